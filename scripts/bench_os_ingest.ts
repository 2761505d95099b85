/**
 * `/logstash` ingest into OpenSearch through a real `esmond-ps-archive serve --opensearch`
 * subprocess: latency runs (one per request) posted by `BENCH_INGEST_CONCURRENCY` clients
 * (default 64), in `BENCH_OS_ROUNDS` rounds of RUNS (default 2: the first meets a cold node,
 * the next a warm one). Prints runs/s and the CPU time per run of the archive process and, when the
 * node's pid is known (`BENCH_OS_PID`, or started here), of the OpenSearch JVM, with the load
 * average: the CPU figures do not depend on the machine's load as the rate does.
 *
 * ```
 * deno run -A --frozen scripts/bench_os_ingest.ts [RUNS=5000]
 * ```
 *
 * Environment: `OPENSEARCH_BENCH_URL` (a node to use instead of starting one), `BENCH_OS_PID`
 * (its JVM pid), `BENCH_ARCHIVE_FLAGS` (extra `deno run` flags of the archive, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 *
 * @module
 */
import { denoRunArgs, findTool, REPO_ROOT } from "./tools.ts";
import { cpuSeconds, loadAverage } from "./process_figures.ts";
import { startEngine } from "../tests/collector_search/engine.ts";

Deno.env.set("SEARCH_ENGINE_HEAP", Deno.env.get("SEARCH_ENGINE_HEAP") ?? "512m");
const RUNS = Number(Deno.args[0] ?? 5000);
const CONCURRENCY = Number(Deno.env.get("BENCH_INGEST_CONCURRENCY") ?? 64);
// Round 1 meets a node just started (its JIT cold), later rounds a warm one.
const ROUNDS = Number(Deno.env.get("BENCH_OS_ROUNDS") ?? 2);

const given = Deno.env.get("OPENSEARCH_BENCH_URL");
const engine = given ? undefined : await startEngine("opensearch");
const url = given ?? engine!.url;
const osPid = Number(
  Deno.env.get("BENCH_OS_PID") ??
    (engine ? Deno.readTextFileSync(`${engine.dir}/pid`).trim() : 0),
);
try {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const extra = (Deno.env.get("BENCH_ARCHIVE_FLAGS") ?? "").split(" ").filter((s) => s);
  const args = denoRunArgs(findTool("esmond-ps-archive")!, [
    "serve",
    "--opensearch",
    url,
    "--port",
    String(port),
    "--offline",
    "--new-token",
    "bench",
    "-q",
  ]);
  args.splice(1, 0, ...extra);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let token = "";
  while (!token.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the archive exited before printing its token");
    token += value;
  }
  token = token.trim();
  const archiveUrl = `http://127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    try {
      await (await fetch(`${archiveUrl}/esmond/perfsonar/archive/?limit=1`)).body?.cancel();
      break;
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const template = JSON.parse(
    Deno.readTextFileSync(`${REPO_ROOT}/testdata/pscheduler/latency-twamp.json`),
  );
  const tag = `${Date.now()}`;
  let round = 0;
  // Round i's runs: distinct run hrefs and start times, a minute apart.
  const bodiesOf = (round: number) =>
    Array.from({ length: RUNS }, (_, i) => {
      const b = structuredClone(template);
      const n = round * RUNS + i;
      b.run.href = `${b.run.href}-${tag}-${n}`;
      b.schedule.start = new Date(Date.parse(b.schedule.start) + n * 60_000).toISOString();
      b.run["start-time"] = b.schedule.start;
      return JSON.stringify(b);
    });
  const headers = {
    "content-type": "application/json",
    "x-ps-observer": "192.168.1.101",
    authorization: `Token ${token}`,
  };
  for (; round < ROUNDS; round++) {
    const bodies = bodiesOf(round);
    const cpu0 = cpuSeconds(child.pid);
    const os0 = osPid ? cpuSeconds(osPid) : 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const r = await fetch(`${archiveUrl}/logstash`, { method: "PUT", headers, body });
        if (r.status !== 200) throw new Error(`ingest ${r.status} ${await r.text()}`);
        await r.body?.cancel();
      }
    }));
    const s = (performance.now() - started) / 1000;
    const archiveCpu = cpuSeconds(child.pid) - cpu0;
    const osCpu = osPid ? cpuSeconds(osPid) - os0 : NaN;
    console.log(JSON.stringify({
      round: round + 1,
      node: given ? "given" : round === 0 ? "cold (first runs after start)" : "warm",
      runs: RUNS,
      concurrency: CONCURRENCY,
      seconds: Number(s.toFixed(2)),
      runsPerSecond: Math.round(RUNS / s),
      archiveCpuUsPerRun: Math.round(archiveCpu * 1e6 / RUNS),
      openSearchCpuUsPerRun: Math.round(osCpu * 1e6 / RUNS),
      load: loadAverage(),
    }));
  }
  child.kill("SIGTERM");
  await child.status;
} finally {
  await engine?.[Symbol.asyncDispose]();
}
