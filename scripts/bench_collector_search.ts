/**
 * `deno run -A --frozen scripts/bench_collector_search.ts [elasticsearch|opensearch] [DOCS]`:
 * documents/s the search sink indexes into one local node, with the durable spool on and off.
 * Starts its own node through `scripts/search_engine.sh` and stops it afterwards.
 * `BENCH_DOCS=collector` indexes the collector's own documents (logins, opens and closes of
 * the UDP benchmark's workload, ~1.3 KB each, as the correlator builds them) instead of small
 * synthetic closes. The first run (on the cold node) is printed too, as it is what a node
 * sees first after a start.
 *
 * @module
 */
import { SearchSink, type SearchSinkOptions } from "../collector/sink/search/mod.ts";
import { countDocs, type EngineKind, startEngine } from "../tests/collector_search/engine.ts";
import { syntheticCloses } from "../tests/collector_search/fixtures.ts";
import process from "node:process";
import { workloadDocuments as collectorDocs } from "../tests/collector/workload.ts";

let runs = 0;

const kind = (Deno.args[0] ?? "opensearch") as EngineKind;
const total = Number(Deno.args[1] ?? 100_000);

await using engine = await startEngine(kind);
const spoolRoot = await Deno.makeTempDir({ prefix: "xrd-bench-spool-" });

async function run(label: string, spoolDir: string | undefined, index: string): Promise<void> {
  const options: SearchSinkOptions = {
    connection: { servers: [engine.url] },
    backend: kind,
    indexPattern: `${index}-%Y`,
    template: true,
    replicas: 0,
    flushIntervalMs: 1000,
    batchSize: 5000,
    spoolDir,
    spoolMaxBytes: 4 * 2 ** 30,
    lookupTimeoutMs: 1000,
  };
  const sink = await SearchSink.open(options);
  await sink.drain(30_000); // connection + template outside the measurement
  const docs = Deno.env.get("BENCH_DOCS") === "collector"
    ? collectorDocs(total, runs++)
    : syntheticCloses(1, total, "2026-11-24T12:00:00Z");
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (const doc of docs) sink.write(doc);
  const drained = await sink.drain(600_000);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await sink.close();
  const indexed = await countDocs(engine.url, `${index}-*`);
  console.log(
    `${kind} ${label}: ${total} docs in ${seconds.toFixed(2)} s = ${
      Math.round(total / seconds)
    } docs/s (indexed ${indexed}, drained ${drained}, bulk requests ${sink.metrics.bulkRequests}, dropped ${sink.metrics.spoolDropped}; sink CPU ${
      ((cpu.user + cpu.system) / total).toFixed(1)
    } µs/doc, load ${Deno.loadavg()[0].toFixed(2)})`,
  );
}

// The first run meets a cold JVM (no JIT yet, first index): the "cold" figure.
await run("cold node (first run)", undefined, "bench-warm");
// Alternated, two rounds each, so neither mode profits alone from a warmer JVM.
for (const round of [1, 2]) {
  await run(`spool off (memory queue), round ${round}`, undefined, `bench-mem-${round}`);
  await run(
    `spool on (fsync per flush), round ${round}`,
    `${spoolRoot}/spool`,
    `bench-disk-${round}`,
  );
}
await Deno.remove(spoolRoot, { recursive: true });
