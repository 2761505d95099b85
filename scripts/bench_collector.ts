/**
 * In-process throughput of decode + correlate (records per second), the collector's hot path
 * without sockets. Target: ≥ 1,000,000 records/s. Also reports the figure with NDJSON
 * serialisation (`JSON.stringify` of every document) included.
 *
 * Run: `deno run -A scripts/bench_collector.ts`
 *
 * @module
 */
import { Correlator } from "../collector/correlate.ts";
import { Pipeline } from "../collector/pipeline.ts";
import { buildWorkload, type Workload } from "../tests/collector/workload.ts";

const sender = { hostname: "10.1.2.3", port: 41000 };

function run(workload: Workload, rounds: number, serialise: boolean) {
  let docs = 0;
  let chars = 0;
  const correlator = new Correlator({
    emit: serialise ? (doc) => (chars += doc.json!.length, docs++) : () => docs++,
    evtType: "xrd_fstream",
    cacheSeconds: 3600,
    maxEntries: 1_000_000,
  });
  const pipeline = new Pipeline({ correlator });
  const started = performance.now();
  let now = 1795390000;
  for (let r = 0; r < rounds; r++) {
    for (const bytes of workload.packets) pipeline.handle(bytes, sender, now += 0.001);
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, docs, records: workload.records * rounds, chars };
}

// Big packets (40 opens + 40 closes) measure records/s; small ones (1 open + 1 close, plus a
// login per packet, the shape the UDP benchmark sends) measure the packets/s ceiling.
for (
  const [shape, files, packets] of [["80 records/packet", 40, 2_000], [
    "2 records/packet",
    1,
    40_000,
  ]] as const
) {
  const workload = buildWorkload({ packets, filesPerPacket: files });
  run(workload, 1, false); // warm-up
  for (const serialise of [false, true]) {
    const result = run(workload, 5, serialise);
    console.log(JSON.stringify({
      bench: serialise ? "decode+correlate+JSON" : "decode+correlate",
      shape,
      records: result.records,
      documents: result.docs,
      seconds: Number(result.seconds.toFixed(3)),
      recordsPerSecond: Math.round(result.records / result.seconds),
      packetsPerSecond: Math.round((workload.packets.length * 5) / result.seconds),
    }));
  }
}
