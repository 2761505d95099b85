/**
 * Benchmarks of the pScheduler ingest of `esmond-ps-archive` (run by `deno task bench`, or
 * alone with `deno run -A --frozen scripts/bench_ingest.ts [--quick] [--posts=N] [--runs=N]
 * [--concurrency=N]`):
 *
 * 1. latency-run posts/s accepted at `/logstash` (target ≥ 2,000/s): the real CLI server as a
 *    subprocess, this script the loopback client, `--concurrency` posts in flight, each a
 *    distinct run of `testdata/pscheduler/latency-twamp.json` (100 tasks);
 * 2. the server's RSS with 1,000,000 stored runs: the database is filled directly, as posting a
 *    million runs takes too long on a shared machine: the first run of each task goes through
 *    the ingest's own store (`prepareRuns`, `storeRunGroups`: metadata, points, summaries), every
 *    further run is copied by SQL (its document row, its base points one minute later per run;
 *    summaries are not recomputed for the copies). Then the server is started on it, asked for
 *    the metadata list, a whole series and fresh posts, and its VmRSS/VmHWM read from /proc.
 *
 * The load average is printed next to every figure (the machine is shared).
 *
 * @module
 */
import { addToken, openArchiveDb } from "../lib/archive/mod.ts";
import { prepareRuns } from "../lib/archive/logstash_ingest.ts";
import { type PreparedRun, storeRunGroups } from "../lib/archive/pscheduler_store.ts";
import { OFFLINE_RESOLVER } from "../lib/pscheduler/mod.ts";
import { denoRunArgs, findTool } from "./tools.ts";
import { cpuSeconds, loadAverage, memoryMiB } from "./process_figures.ts";
import { testDataPath } from "../tests/harness/test_data.ts";
import { freePort } from "../tests/harness/free_port.ts";

const arg = (name: string, fallback: number) => {
  const a = Deno.args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
};
const quick = Deno.args.includes("--quick");
const POSTS = arg("posts", quick ? 4_000 : 20_000);
const RUNS = arg("runs", quick ? 100_000 : 1_000_000);
const CONCURRENCY = arg("concurrency", 32);
const TASKS = 100;
// `--cpu-prof-dir=DIR`: the server writes a V8 CPU profile there when it stops.
const PROF_DIR = Deno.args.find((x) => x.startsWith("--cpu-prof-dir="))?.slice(15);

const load = loadAverage;
const memory = memoryMiB;

async function serve(dbPath: string) {
  const port = freePort();
  const runArgs = denoRunArgs(findTool("esmond-ps-archive")!, [
    "serve",
    "--db",
    dbPath,
    "--port",
    String(port),
    "--quiet",
    "--offline",
  ]);
  if (PROF_DIR) runArgs.splice(1, 0, "--cpu-prof", `--cpu-prof-dir=${PROF_DIR}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: runArgs,
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${url}/esmond/perfsonar/archive/?limit=1`);
      await r.body?.cancel();
      if (r.ok) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

const TEMPLATE = Deno.readTextFileSync(testDataPath("pscheduler", "latency-twamp.json"));
const BASE_START = Date.parse("2026-07-27T05:46:05Z");

// Run `run` of task `task`: its own run uuid and href, start time one minute after the last,
// and per task its own destination (so each task is its own esmond metadata).
function latencyBody(task: number, run: number): string {
  const start = new Date(BASE_START + run * 60_000).toISOString().replace(".000Z", "+00:00");
  const dest = `10.${(task >> 8) & 255}.${task & 255}.2`;
  const runId = `00000000-0000-4000-8000-${task.toString(16).padStart(4, "0")}${
    run.toString(16).padStart(8, "0")
  }`;
  return TEMPLATE
    .replaceAll("28063fc8-2f5f-408b-90a9-74cb6da37d9a", runId)
    .replaceAll(
      "c419d131-7b62-4f5f-9f57-e7a43054ad4e",
      `c419d131-7b62-4f5f-9f57-${task.toString(16).padStart(12, "0")}`,
    )
    .replaceAll("192.168.1.101", dest)
    .replaceAll("2026-07-27T05:46:05+00:00", start);
}

async function benchPosts(results: string[]): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "bench-ingest-" });
  try {
    const dbPath = `${dir}/archive.sqlite`;
    const db = openArchiveDb(dbPath);
    const token = await addToken(db, "bench");
    db.close();
    const server = await serve(dbPath);
    const bodies = Array.from(
      { length: POSTS },
      (_, i) => latencyBody(i % TASKS, Math.floor(i / TASKS)),
    );
    const headers = {
      "content-type": "application/json",
      "x-ps-observer": "192.168.1.104",
      authorization: `Token ${token}`,
    };
    // Warm-up: one post per task registers the metadata.
    for (let t = 0; t < TASKS; t++) {
      const r = await fetch(`${server.url}/logstash`, {
        method: "PUT",
        headers,
        body: latencyBody(t, 1_000_000),
      });
      await r.body?.cancel();
      if (!r.ok) throw new Error(`warm-up post: ${r.status}`);
    }
    const loadBefore = load();
    const cpu0 = cpuSeconds(server.pid);
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const r = await fetch(`${server.url}/logstash`, { method: "PUT", headers, body });
        await r.body?.cancel();
        if (r.status !== 200) failed++;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(server.pid) - cpu0;
    const mem = memory(server.pid);
    await server.stop();
    report(
      results,
      `latency-run posts accepted: ${
        Math.round(POSTS / seconds)
      }/s (${POSTS} posts, ${CONCURRENCY} in flight, ` +
        `${failed} refused; server CPU ${(cpu / POSTS * 1e6).toFixed(0)} µs/post = ${
          Math.round(POSTS / cpu)
        }/s per core; ` +
        `RSS ${mem.rss.toFixed(0)} MiB) [load ${loadBefore} → ${load()}] (target ≥ 2,000/s)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function benchStoredRuns(results: string[]): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "bench-ingest-1m-" });
  try {
    const dbPath = `${dir}/archive.sqlite`;
    const db = openArchiveDb(dbPath);
    const token = await addToken(db, "bench");
    const perTask = Math.ceil(RUNS / TASKS);
    const loadBefore = load();
    const started = performance.now();
    // The first run of each task through the real store: metadata, points, summaries.
    const groups: PreparedRun[][] = [];
    for (let t = 0; t < TASKS; t++) {
      groups.push(
        await prepareRuns(latencyBody(t, 0), {
          observer: "192.168.1.104",
          resolver: OFFLINE_RESOLVER,
        }),
      );
    }
    const first = storeRunGroups(db, groups, Math.floor(Date.now() / 1000));
    const bad = first.find((r) => r instanceof Error);
    if (bad) throw bad;
    // Every further run copied by SQL: its document row and its base points one minute later
    // per run (summary rows are not recomputed for the copies).
    const conn = db.writer;
    const docs = conn.prepare(
      `INSERT INTO pscheduler_documents (run_key, index_name, received, metadata_key, document)
       SELECT 'bench-' || ? || '-' || ?, index_name, received, metadata_key,
              replace(document, '"run_id":"', '"run_id":"' || ? || '-')
       FROM pscheduler_documents WHERE id = ?`,
    );
    const basePoints = conn.prepare(
      `INSERT INTO points (series, ts, val, a, b)
       SELECT p.series, p.ts + ?, p.val, p.a, p.b FROM points p
       JOIN event_types e ON e.id = p.series
       WHERE e.metadata_id = ? AND e.summary_type = 'base' AND p.ts = ?`,
    );
    const metadataIds = conn.prepare(
      `SELECT d.id AS doc, m.id AS metadata FROM pscheduler_documents d
       JOIN metadata m ON m.key = d.metadata_key ORDER BY d.id`,
    ).all() as { doc: number; metadata: number }[];
    let stored = TASKS;
    for (let k = 1; k < perTask && stored < RUNS; k += 20) {
      conn.exec("BEGIN IMMEDIATE");
      for (let j = k; j < Math.min(k + 20, perTask); j++) {
        for (let t = 0; t < TASKS && stored < RUNS; t++, stored++) {
          docs.run(t, j, j, metadataIds[t].doc);
          basePoints.run(j * 60, metadataIds[t].metadata, BASE_START / 1000);
        }
      }
      conn.exec("COMMIT");
    }
    const loadSecs = (performance.now() - started) / 1000;
    db.close();
    const size = Deno.statSync(dbPath).size / 2 ** 30;
    report(
      results,
      `store load of ${stored} latency runs (${TASKS} tasks; the first run of each through the ` +
        `ingest store, the others copied by SQL: document + base points): ${
          loadSecs.toFixed(0)
        } s, ` +
        `database ${size.toFixed(2)} GiB [load ${loadBefore} → ${load()}]`,
    );
    const server = await serve(dbPath);
    const afterStart = memory(server.pid);
    const list = await fetch(`${server.url}/esmond/perfsonar/archive/?limit=1000`);
    const metadata = await list.json();
    const key = metadata[0]["metadata-key"];
    const series = await fetch(
      `${server.url}/esmond/perfsonar/archive/${key}/histogram-owdelay/base?limit=1000000&time-start=0`,
    );
    const points = (await series.json()).length;
    const headers = {
      "content-type": "application/json",
      "x-ps-observer": "192.168.1.104",
      authorization: `Token ${token}`,
    };
    for (let i = 0; i < 200; i++) {
      const r = await fetch(`${server.url}/logstash`, {
        method: "PUT",
        headers,
        body: latencyBody(i % TASKS, 2_000_000 + i),
      });
      await r.body?.cancel();
      if (!r.ok) throw new Error(`post on the big archive: ${r.status}`);
    }
    const after = memory(server.pid);
    await server.stop();
    report(
      results,
      `archive RSS with ${stored} stored runs: ${afterStart.rss.toFixed(0)} MiB after start, ` +
        `${after.rss.toFixed(0)} MiB (peak ${
          after.peak.toFixed(0)
        } MiB) after listing ${metadata.length} metadata, ` +
        `reading one series of ${points} histograms and 200 more posts [load ${load()}]`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function report(results: string[], line: string): void {
  results.push(line);
  console.error(line);
}

const results: string[] = [];
await benchPosts(results);
await benchStoredRuns(results);
console.log("esmond-ps-archive pScheduler ingest benchmarks");
for (const line of results) console.log(`  ${line}`);
