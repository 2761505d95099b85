/**
 * In-process throughput of decode + correlate (records per second), the collector's hot path
 * without sockets. Target: ≥ 1,000,000 records/s. Also reports the figure with every document
 * serialised (`doc.json`), and through the NDJSON sink into memory that discards the bytes
 * (what the running collector does per document, minus the write syscall).
 *
 * Run: `deno run -A scripts/bench_collector.ts`; `BENCH_REORDER_TIMEOUT=0` turns resequencing off,
 * `BENCH_MODES=decode+correlate` runs one mode, `BENCH_SHAPES=2` one packet shape. CPU-µs per
 * packet (process and main thread) are printed next to the rates, as they do not depend on
 * the machine's load.
 *
 * @module
 */
import { Correlator } from "../collector/correlate/correlate.ts";
import { Pipeline } from "../collector/correlate/pipeline.ts";
import { NdjsonSink } from "../collector/sink/ndjson.ts";
import { buildWorkload, type Workload } from "../tests/collector/workload.ts";
import { cpuSeconds } from "./collector_probe.ts";
import process from "node:process";

const sender = { hostname: "10.1.2.3", port: 41000 };
/** `BENCH_REORDER_TIMEOUT=0` measures without resequencing (default: on, 1 s, as shipped). */
const REORDER_TIMEOUT = Number(Deno.env.get("BENCH_REORDER_TIMEOUT") ?? 1);
const ONLY = Deno.env.get("BENCH_MODES")?.split(",");
/** `BENCH_OUTPUT=/dev/null`: the NDJSON sink writes to that file, as the UDP benchmark's collector does. */
const OUTPUT = Deno.env.get("BENCH_OUTPUT");
/** `BENCH_SHAPES=2` runs only the 2-records-a-packet shape (`80`: only the big one). */
const SHAPES = Deno.env.get("BENCH_SHAPES")?.split(",");

type Mode = "decode+correlate" | "decode+correlate+JSON" | "decode+correlate+NDJSON sink";

async function run(workload: Workload, rounds: number, mode: Mode) {
  let docs = 0;
  let chars = 0;
  const sink = await NdjsonSink.open(
    OUTPUT === undefined
      ? { output: { write: (bytes) => (chars += bytes.length, Promise.resolve(bytes.length)) } }
      : { path: OUTPUT },
  );
  const correlator = new Correlator({
    emit: mode === "decode+correlate"
      ? () => docs++
      : mode === "decode+correlate+JSON"
      ? (doc) => (chars += doc.json!.length, docs++)
      : (doc) => (sink.write(doc), docs++),
    evtType: "xrd_fstream",
    cacheSeconds: 3600,
    maxEntries: 1_000_000,
  });
  const pipeline = new Pipeline({ correlator, reorderTimeout: REORDER_TIMEOUT });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const mainBefore = cpuSeconds(Deno.pid)?.main;
  let now = 1795390000;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    // Each round is another server process (its own sequence counters): one process never
    // sends the same `pseq` run twice, and resequencing would take a repeat for reordering.
    const from = { ...sender, port: sender.port + r };
    for (const bytes of workload.packets) {
      pipeline.handle(bytes, from, now += 0.001);
      // As the listener does: let the sink's writes run between batches.
      if (++n % 4096 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  pipeline.finish();
  await sink.close();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = cpuSeconds(Deno.pid)?.main;
  return {
    seconds,
    docs,
    records: workload.records * rounds,
    chars,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainCpuSeconds: mainBefore === undefined || mainAfter === undefined
      ? undefined
      : mainAfter - mainBefore,
  };
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
  if (SHAPES !== undefined && !SHAPES.includes(String(files === 1 ? 2 : 80))) continue;
  const workload = buildWorkload({ packets, filesPerPacket: files });
  await run(workload, 1, "decode+correlate"); // warm-up
  const modes: Mode[] = [
    "decode+correlate",
    "decode+correlate+JSON",
    "decode+correlate+NDJSON sink",
  ];
  for (const mode of modes.filter((m) => ONLY === undefined || ONLY.includes(m))) {
    const result = await run(workload, 5, mode);
    console.log(JSON.stringify({
      bench: mode,
      reorderTimeout: REORDER_TIMEOUT,
      shape,
      records: result.records,
      documents: result.docs,
      seconds: Number(result.seconds.toFixed(3)),
      recordsPerSecond: Math.round(result.records / result.seconds),
      packetsPerSecond: Math.round((workload.packets.length * 5) / result.seconds),
      // Load-insensitive: CPU of the whole process (GC threads too) and of its main thread
      // (10 ms ticks), per packet.
      cpuMicrosPerPacket: Number(
        (result.cpuSeconds * 1e6 / (workload.packets.length * 5)).toFixed(2),
      ),
      mainThreadCpuMicrosPerPacket: result.mainCpuSeconds === undefined
        ? undefined
        : Number((result.mainCpuSeconds * 1e6 / (workload.packets.length * 5)).toFixed(2)),
      bytesPerDocument: result.chars === 0 ? undefined : Math.round(result.chars / result.docs),
      loadAverage: Deno.loadavg()[0],
    }));
  }
}
