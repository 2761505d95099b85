/**
 * The archive over OpenSearch vs over SQLite, same data, same run: metadata listing requests/s
 * and series points/s served by `esmond-ps-archive` on each backend, and `/logstash` ingest
 * runs/s into OpenSearch (pScheduler http-archiver posts, one run per request, concurrent).
 * Starts its own OpenSearch node (`scripts/search_engine.sh`, heap 512m) unless
 * `OPENSEARCH_BENCH_URL` names one. Sizes: `BENCH_OS_RUNS` (ingest, default 20000).
 *
 * @module
 */
import { startEngine } from "../tests/collector_search/engine.ts";
import { openSearchClient } from "../lib/opensearch/connection.ts";
import { installPschedulerTemplate } from "../lib/opensearch/template.ts";
import { writeDocuments } from "../lib/opensearch/document_writer.ts";
import { serveArchive } from "../lib/archive/server.ts";
import { addToken } from "../lib/archive/tokens.ts";
import { OFFLINE_RESOLVER } from "../lib/pscheduler/mod.ts";
import { REPO_ROOT } from "./tools.ts";
import { indexDocuments, sqliteArchiveOf } from "../tests/opensearch/documents.ts";

Deno.env.set("SEARCH_ENGINE_HEAP", Deno.env.get("SEARCH_ENGINE_HEAP") ?? "512m");
const RUNS = Number(Deno.env.get("BENCH_OS_RUNS") ?? 20_000);
const load = () => Deno.loadavg().map((x) => x.toFixed(2)).join(" ");

const given = Deno.env.get("OPENSEARCH_BENCH_URL");
await using engine = given
  ? { url: given, async [Symbol.asyncDispose]() {} }
  : await startEngine("opensearch");
if (!engine) {
  console.log("bench_opensearch: SKIPPED (no OpenSearch)");
  Deno.exit(0);
}
const client = openSearchClient({ url: engine.url, timeoutMs: 120_000 });
await fetch(`${engine.url}/_data_stream/pscheduler_*`, { method: "DELETE" }).then((r) =>
  r.body?.cancel()
);
await installPschedulerTemplate(client);

// 1. /logstash ingest: latency runs, one per request, 64 in flight.
const template = JSON.parse(
  Deno.readTextFileSync(`${REPO_ROOT}/testdata/pscheduler/latency-twamp.json`),
);
const bodies = Array.from({ length: RUNS }, (_, i) => {
  const b = structuredClone(template);
  b.run.href = `${b.run.href}-${i}`;
  b.schedule.start = new Date(Date.parse(b.schedule.start) + i * 60_000).toISOString();
  b.run["start-time"] = b.schedule.start;
  return JSON.stringify(b);
});
{
  await using archive = serveArchive({
    dbPath: ":memory:",
    port: 0,
    handleSignals: false,
    opensearch: { url: engine.url },
    installTemplate: false,
    logstash: { resolver: OFFLINE_RESOLVER },
  });
  const token = await addToken(archive.db, "bench");
  const headers = {
    "content-type": "application/json",
    "x-ps-observer": "192.168.1.101",
    authorization: `Token ${token}`,
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const r = await fetch(`${archive.url}/logstash`, { method: "PUT", headers, body });
      if (r.status !== 200) throw new Error(`ingest ${r.status} ${await r.text()}`);
      await r.body?.cancel();
    }
  }));
  const s = (performance.now() - started) / 1000;
  console.log(
    `opensearch /logstash ingest: ${RUNS} latency runs in ${s.toFixed(1)} s = ${
      Math.round(RUNS / s)
    } runs/s (64 concurrent posts; load ${load()})`,
  );
}

// 1b. The OpenSearch side of the ingest alone: prepared Logstash documents, bulk `create`
// with deterministic ids, 1000 per request (what the ingest sends when posts arrive together).
{
  const { logstashDocument } = await import("../lib/pscheduler/logstash_document.ts");
  const prepared = [];
  for (const text of bodies) {
    const out = await logstashDocument(JSON.parse(text), {
      observer: "192.168.1.102",
      resolver: OFFLINE_RESOLVER,
    });
    prepared.push(out);
  }
  const started = performance.now();
  for (let i = 0; i < prepared.length; i += 1000) {
    await writeDocuments(client, prepared.slice(i, i + 1000), { refresh: false });
  }
  const s = (performance.now() - started) / 1000;
  console.log(
    `opensearch bulk create (documents prepared): ${prepared.length} in ${s.toFixed(1)} s = ${
      Math.round(prepared.length / s)
    } docs/s (load ${load()})`,
  );
}

// 2. Reads: the same documents in OpenSearch and (as esmond posts) in SQLite, nothing else
// (the ingest's runs are removed first).
await fetch(`${engine.url}/_data_stream/pscheduler_*`, { method: "DELETE" }).then((r) =>
  r.body?.cancel()
);
const docs = [];
const iso = (ts: number) => new Date(ts * 1000).toISOString();
for (let g = 0; g < 200; g++) {
  const n = g === 0 ? 10_000 : 20;
  for (let i = 0; i < n; i++) {
    const ts = 1785000000 + i * 60;
    docs.push({
      "@timestamp": iso(1785900000),
      "@version": "1",
      test: { type: "throughput", spec: { source: "10.0.0.1", dest: `10.3.${g >> 8}.${g & 255}` } },
      pscheduler: {
        start_time: iso(ts),
        duration: 10.0,
        tool: "iperf3",
        participants: ["10.0.0.1"],
        run_href: `https://h/pscheduler/tasks/${g}/runs/${i}`,
        test_checksum: String(g).padStart(64, "7"),
      },
      meta: {
        observer: { ip: "10.0.0.1" },
        source: { ip: "10.0.0.1" },
        destination: { ip: `10.3.${g >> 8}.${g & 255}` },
      },
      result: { succeeded: true, throughput: 9e8 + i, retransmits: i % 7 },
    });
  }
}
for (let i = 0; i < docs.length; i += 5000) await indexDocuments(client, docs.slice(i, i + 5000));
await fetch(`${engine.url}/pscheduler_*/_refresh`, { method: "POST" }).then((r) =>
  r.body?.cancel()
);
// Both backends on the real clock: the default window ends now on each.
const sqlite = await sqliteArchiveOf(docs, { now: () => Math.floor(Date.now() / 1000) });
await using os = serveArchive({
  dbPath: ":memory:",
  port: 0,
  handleSignals: false,
  opensearch: { url: engine.url },
  installTemplate: false,
});
const sq = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sqlite.handler);
const sqUrl = `http://127.0.0.1:${(sq.addr as Deno.NetAddr).port}`;
const big =
  (await (await fetch(`${sqUrl}/esmond/perfsonar/archive/?destination=10.3.0.0`)).json())[0];

async function rate(url: string, seconds = 5): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const r = await fetch(url);
    if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
    await r.arrayBuffer();
    n++;
  }
  return n / seconds;
}
const paths = {
  metadata: "?limit=200&time-start=0",
  base: `${big["metadata-key"]}/throughput/base?time-start=0&limit=10000`,
  averages: `${big["metadata-key"]}/throughput/averages/86400?time-start=0`,
};
// The rates compare like with like only if both backends give the same answers (apart from
// their own address and `time-updated`: SQLite's is when the bench wrote, OpenSearch's the
// documents' @timestamp).
const comparable = (text: string) =>
  text.replaceAll(/http:\/\/127\.0\.0\.1:\d+/g, "").replaceAll(/"time-updated": ?\d+/g, "");
for (const [what, path] of Object.entries(paths)) {
  const [a, b] = await Promise.all(
    [sqUrl, os.url].map((base) =>
      fetch(`${base}/esmond/perfsonar/archive/${path}`).then(async (r) =>
        comparable(await r.text())
      )
    ),
  );
  if (a !== b) {
    if (Deno.env.get("BENCH_DUMP")) {
      Deno.writeTextFileSync(`${Deno.env.get("BENCH_DUMP")}.${what}`, a + "\n" + b);
    }
    throw new Error(`${what}: SQLite and OpenSearch answer differently`);
  }
  if (what === "base" && JSON.parse(a).length !== 10_000) {
    throw new Error("base: not 10,000 points");
  }
}
for (const [name, base] of [["sqlite", sqUrl], ["opensearch", os.url]]) {
  const root = `${base}/esmond/perfsonar/archive/`;
  const md = await rate(`${root}${paths.metadata}`);
  const pts = await rate(`${root}${paths.base}`);
  const avg = await rate(`${root}${paths.averages}`);
  console.log(
    `${name}: metadata listing (200 metadata) ${md.toFixed(1)} req/s; throughput base ${
      Math.round(pts * 10_000)
    } points/s (10,000-point pages); daily averages ${avg.toFixed(1)} req/s (load ${load()})`,
  );
}
await sq.shutdown();
sqlite.db.close();
await client.close();
