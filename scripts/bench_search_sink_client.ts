/**
 * `deno run -A --frozen scripts/bench_search_sink_client.ts [DOCS]`: the search sink's own cost,
 * CPU-µs per document, against a stand-in node on loopback that accepts every `_bulk` item at
 * once (no engine: what is measured is the collector side alone — building the records, the
 * spool, the `_bulk` bodies, the client, reading the answers; the stand-in is a subprocess, so
 * its CPU is not counted). Documents are the collector's own (logins, opens, closes of the UDP
 * benchmark's workload), each run with the spool off and on.
 *
 * @module
 */
import process from "node:process";
import { SearchSink } from "../collector/sink/search/mod.ts";
import { workloadDocuments as collectorDocs } from "../tests/collector/workload.ts";

const STAND_IN = "--stand-in";

/** Answers like an OpenSearch 2 node: `GET /`, templates, `_bulk` with every item created. */
function standIn(): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
    if (url.pathname.endsWith("/_bulk")) {
      const text = await request.text();
      let lines = 0;
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
      const item = {
        index: { _index: "x", _id: "y", _version: 1, result: "created", status: 201 },
      };
      const filtered = url.searchParams.get("filter_path") !== null;
      return json({
        took: 1,
        errors: false,
        items: Array.from(
          { length: lines / 2 },
          () => filtered ? { index: { status: 201 } } : item,
        ),
      });
    }
    await request.body?.cancel();
    if (url.pathname === "/") {
      return json({ version: { number: "2.19.1", distribution: "opensearch" } });
    }
    return json({ acknowledged: true });
  });
}

if (Deno.args[0] === STAND_IN) {
  const server = standIn();
  console.log(server.addr.port);
  await server.finished;
  Deno.exit(0);
}

const total = Number(Deno.args[0] ?? 60_000);
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--frozen", new URL(import.meta.url).pathname, STAND_IN],
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
const url = `http://127.0.0.1:${(await reader.read()).value!.trim()}`;
const spoolRoot = await Deno.makeTempDir({ prefix: "xrd-bench-client-spool-" });
let round = 0;
for (const spool of [false, true, false, true]) {
  const sink = await SearchSink.open({
    connection: { servers: [url] },
    backend: "opensearch",
    indexPattern: "bench-%Y",
    template: true,
    replicas: 0,
    flushIntervalMs: 1000,
    batchSize: 5000,
    spoolDir: spool ? `${spoolRoot}/spool-${round}` : undefined,
    spoolMaxBytes: 4 * 2 ** 30,
    lookupTimeoutMs: 1000,
  });
  await sink.drain(30_000);
  const docs = collectorDocs(total, round++);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (const doc of docs) sink.write(doc);
  await sink.drain(600_000);
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  await sink.close();
  console.log(JSON.stringify({
    bench: "search-sink-client",
    spool: spool ? "disk" : "memory",
    docs: total,
    indexed: sink.metrics.docsIndexed,
    docsPerSecond: Math.round(total / seconds),
    cpuMicrosPerDoc: Number(((cpu.user + cpu.system) / total).toFixed(1)),
    loadAverage: Deno.loadavg()[0],
  }));
}
child.kill("SIGTERM");
await child.status;
reader.releaseLock();
await Deno.remove(spoolRoot, { recursive: true });
