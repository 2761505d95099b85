/**
 * Benchmarks of `esmond-ps-archive` (run by `deno task bench`, or alone with
 * `deno run -A --frozen scripts/bench_archive.ts [--quick] [--points=N]`). The server runs as the real CLI
 * subprocess; this script is the loopback client.
 *
 * 1. metadata list requests/s (target ≥ 5,000/s),
 * 2. points/s served for a 1,000,000-point event type, and the server's peak RSS before/after
 *    (target ≥ 1,000,000/s, memory flat),
 * 3. bulk ingest points/s through `PUT archive/<key>/` (target ≥ 200,000/s).
 *
 * @module
 */
import { addToken, openArchiveDb } from "../lib/archive/mod.ts";
import { metadataChecksum, parseMetadataPost } from "../lib/archive/metadata_post.ts";
import { insertMetadata } from "../lib/archive/metadata_store.ts";
import { parsePyJsonTree, pyFloatJson } from "../lib/esmond/py_json/mod.ts";
import { inTransaction } from "../lib/archive/write_handlers.ts";
import { denoRunArgs, findTool } from "./tools.ts";
import { cpuSeconds, memoryMiB } from "./process_figures.ts";

const quick = Deno.args.includes("--quick");
const pointsArg = Deno.args.find((a) => a.startsWith("--points="));
const BIG_SERIES = pointsArg ? Number(pointsArg.slice(9)) : quick ? 200_000 : 1_000_000;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function serve(dbPath: string) {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(findTool("esmond-ps-archive")!, [
      "serve",
      "--db",
      dbPath,
      "--port",
      String(port),
      "--quiet",
      "--max-body",
      String(256 * 1024 * 1024),
    ]),
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const root = `http://127.0.0.1:${port}/esmond/perfsonar/archive/`;
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${root}?limit=1`);
      await r.body?.cancel();
      if (r.ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    root,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

function metadataBody(i: number, eventTypes: unknown[]) {
  return {
    "subject-type": "point-to-point",
    "source": `10.0.${i >> 8}.${i & 255}`,
    "destination": "10.1.0.1",
    "measurement-agent": `10.0.${i >> 8}.${i & 255}`,
    "tool-name": "bwctl/iperf3",
    "input-source": `host${i}.example.net`,
    "input-destination": "sink.example.net",
    "ip-transport-protocol": "tcp",
    "time-duration": "20",
    "event-types": eventTypes,
  };
}

const dir = await Deno.makeTempDir({ prefix: "esmond-bench-" });
const dbPath = `${dir}/bench.sqlite`;
const results: string[] = [];
try {
  // --- fixture: 20 metadata, one of which holds a big throughput series
  const db = openArchiveDb(dbPath);
  const token = await addToken(db, "bench");
  let bigKey = "";
  for (let i = 0; i < 20; i++) {
    const desc = parseMetadataPost(parsePyJsonTree(JSON.stringify(metadataBody(i, [
      { "event-type": "throughput", "summaries": [] },
      { "event-type": "packet-retransmits", "summaries": [] },
      { "event-type": "failures", "summaries": [] },
    ]))));
    const checksum = await metadataChecksum(desc);
    const { record } = inTransaction(db, () => insertMetadata(db, desc, checksum));
    if (i === 0) {
      bigKey = record.key;
      const series = record.eventTypes.find((e) => e.eventType === "throughput")!.id;
      const insert = db.writer.prepare(
        "INSERT INTO points (series, ts, val, a) VALUES (?, ?, ?, ?)",
      );
      inTransaction(db, () => {
        for (let n = 0; n < BIG_SERIES; n++) {
          const v = 1_000_000_000 + n * 37;
          insert.run(series, 1_000_000_000 + n, pyFloatJson(v), v);
        }
      });
    }
  }
  const ingestDesc = parseMetadataPost(parsePyJsonTree(JSON.stringify(metadataBody(999, [
    { "event-type": "throughput", "summaries": [] },
    { "event-type": "packet-retransmits", "summaries": [] },
  ]))));
  const ingestSummaries = parseMetadataPost(parsePyJsonTree(JSON.stringify(metadataBody(998, [
    {
      "event-type": "throughput",
      "summaries": [{ "summary-type": "average", "summary-window": 86400 }, {
        "summary-type": "aggregation",
        "summary-window": 3600,
      }],
    },
    { "event-type": "packet-retransmits", "summaries": [] },
  ]))));
  const ingestHistograms = parseMetadataPost(parsePyJsonTree(JSON.stringify(metadataBody(997, [{
    "event-type": "histogram-owdelay",
    "summaries": [
      { "summary-type": "aggregation", "summary-window": 3600 },
      { "summary-type": "aggregation", "summary-window": 86400 },
      { "summary-type": "statistics", "summary-window": 0 },
      { "summary-type": "statistics", "summary-window": 86400 },
    ],
  }]))));
  const histogramKey = inTransaction(
    db,
    () => insertMetadata(db, ingestHistograms, "bench-histograms").record.key,
  );
  const plainKey = inTransaction(
    db,
    () => insertMetadata(db, ingestDesc, "bench-plain").record.key,
  );
  const summaryKey = inTransaction(
    db,
    () => insertMetadata(db, ingestSummaries, "bench-summaries").record.key,
  );
  db.close();

  const server = await serve(dbPath);
  try {
    // --- 1. metadata list requests/s. A minimal keep-alive HTTP/1.1 client on raw sockets:
    // fetch() costs more CPU than the server on this 2-core machine and would measure itself.
    const seconds = quick ? 2 : 5;
    const concurrency = 8;
    const url = new URL(`${server.root}?tool-name=bwctl/iperf3&limit=10`);
    const request = new TextEncoder().encode(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: */*\r\n\r\n`,
    );
    let requests = 0;
    let errors = 0;
    const listCpu0 = cpuSeconds(server.pid);
    const until = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(url.port) });
      const buffer = new Uint8Array(1 << 20);
      try {
        while (performance.now() < until) {
          await conn.write(request);
          let have = 0;
          let needed = -1;
          while (needed < 0 || have < needed) {
            const n = await conn.read(buffer.subarray(have));
            if (n === null) throw new Error("connection closed");
            have += n;
            if (needed < 0) {
              const head = new TextDecoder().decode(buffer.subarray(0, have));
              const end = head.indexOf("\r\n\r\n");
              if (end >= 0) {
                const length = /content-length: (\d+)/i.exec(head.slice(0, end));
                needed = end + 4 + Number(length?.[1] ?? 0);
                if (!head.startsWith("HTTP/1.1 200")) errors++;
              }
            }
          }
          requests++;
        }
      } finally {
        conn.close();
      }
    }));
    results.push(
      `metadata list (10 objects/page, ${concurrency} keep-alive connections): ${
        Math.round(requests / seconds)
      } req/s (${errors} errors), ${
        Math.round(requests / (cpuSeconds(server.pid) - listCpu0))
      } per server CPU second`,
    );

    // --- 2. one million points served, streamed
    const rssBefore = memoryMiB(server.pid).rss;
    const started = performance.now();
    const response = await fetch(
      `${server.root}${bigKey}/throughput/base?time-start=0&limit=${BIG_SERIES}`,
    );
    let bytes = 0;
    let maxRss = rssBefore;
    let chunks = 0;
    for await (const chunk of response.body!) {
      bytes += chunk.byteLength;
      if (++chunks % 64 === 0) maxRss = Math.max(maxRss, memoryMiB(server.pid).rss);
    }
    const secondsServed = (performance.now() - started) / 1000;
    results.push(
      `series of ${BIG_SERIES} points: ${Math.round(BIG_SERIES / secondsServed)} points/s ` +
        `(${(bytes / 1048576).toFixed(1)} MiB in ${secondsServed.toFixed(2)} s); server RSS ` +
        `${rssBefore.toFixed(0)} MiB before, max ${maxRss.toFixed(0)} MiB while serving`,
    );

    // --- 3. bulk ingest
    const numericBody = (r: number, perRequest: number) =>
      JSON.stringify({
        data: Array.from({ length: perRequest / 2 }, (_, i) => ({
          ts: 1_400_000_000 + r * perRequest + i,
          val: [
            { "event-type": "throughput", "val": 9_000_000_000 + i },
            { "event-type": "packet-retransmits", "val": i % 7 },
          ],
        })),
      });
    // owamp-like: one 10-bucket histogram per minute
    const histogramBody = (r: number, perRequest: number) =>
      JSON.stringify({
        data: Array.from({ length: perRequest }, (_, i) => {
          const n = r * perRequest + i;
          const val: Record<string, number> = {};
          for (let b = 0; b < 10; b++) val[(30 + ((n + b * 7) % 40) / 10).toFixed(1)] = 1 + b * 7;
          return { ts: 1_400_000_000 + n * 60, val: [{ "event-type": "histogram-owdelay", val }] };
        }),
      });
    const variants: [string, string, number, (r: number, n: number) => string][] = [
      ["no summaries", plainKey, 10_000, numericBody],
      ["2 summaries", summaryKey, 10_000, numericBody],
      ["histograms, 2 aggregations + 2 statistics", histogramKey, 2_000, histogramBody],
    ];
    for (const [label, key, perRequest, makeBody] of variants) {
      const requestsN = quick ? 5 : 20;
      const bodies = Array.from({ length: requestsN }, (_, r) => makeBody(r, perRequest));
      // Two uploaders, so the server parses/stores one body while the next is on the wire.
      const t0 = performance.now();
      const cpu0 = cpuSeconds(server.pid);
      let nextBody = 0;
      await Promise.all([0, 1].map(async () => {
        while (nextBody < bodies.length) {
          const body = bodies[nextBody++];
          const r = await fetch(`${server.root}${key}/`, {
            method: "PUT",
            headers: { "content-type": "application/json", authorization: `Token ${token}` },
            body,
          });
          await r.body?.cancel();
          if (r.status !== 201) throw new Error(`bulk PUT answered ${r.status}`);
        }
      }));
      const s = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(server.pid) - cpu0;
      results.push(
        `bulk ingest (${label}, ${perRequest} points per PUT, 2 uploaders): ` +
          `${Math.round((requestsN * perRequest) / s)} points/s wall clock, ` +
          `${Math.round((requestsN * perRequest) / cpu)} points per server CPU second`,
      );
    }
  } finally {
    await server.stop();
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
console.log("esmond-ps-archive benchmarks");
for (const line of results) console.log(`  ${line}`);
