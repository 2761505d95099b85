/**
 * Benchmark of `esmond-ps-migrate` from a local `esmond-ps-archive` into one local OpenSearch
 * 2.19 node (perfSONAR's template): one latency metadata of N runs, 7 event types per run
 * (histogram-owdelay, histogram-ttl, packet-count-sent/-lost, packet-duplicates,
 * packet-reorders, time-error-estimates), migrated by the real tool as a subprocess, for two
 * series lengths. Prints one JSON line per length: points/s, documents/s, wall and CPU seconds,
 * the tool's peak RSS (`VmHWM`), and the load average next to the figures.
 *
 * ```
 * deno run -A --frozen scripts/bench_migrate.ts [SHORT_RUNS=60000] [LONG_RUNS=240000]
 * ```
 *
 * Environment: `SEARCH_ENGINE_HEAP` (default 512m), `BENCH_MIGRATE_TARGET` (an OpenSearch URL
 * to use instead of starting a node; `BENCH_OS_PID` then names its JVM), `BENCH_DRY_RUN=1` (also time `--dry-run`: the reading and
 * folding side alone; `only`: no node, the dry run alone), `BENCH_TOOL_V8_FLAGS` (e.g. `--max-old-space-size=64`, for the tool).
 *
 * @module
 */
import { cpuSeconds, memoryMiB } from "./process_figures.ts";
import { denoRunArgs, findTool } from "./tools.ts";
import { startArchive, type TestArchive } from "../tests/archive_server.ts";
import { startEngine } from "../tests/collector_search/engine.ts";

// An esmond history is long (a year of one-minute runs is 525,600 per series); the first,
// shorter series also warms the node's JIT, which a migration does in its first minutes.
const lengths = [Number(Deno.args[0] ?? 60_000), Number(Deno.args[1] ?? 240_000)];
const CHUNK = 5_000;
const toolV8Flags = Deno.env.get("BENCH_TOOL_V8_FLAGS");
const words = (name: string) => (Deno.env.get(name) ?? "").split(" ").filter((w) => w !== "");
const toolDenoFlags = words("BENCH_TOOL_DENO_FLAGS");
const toolArgs = words("BENCH_TOOL_ARGS");
const EVENT_TYPES = [
  "histogram-owdelay",
  "histogram-ttl",
  "packet-count-sent",
  "packet-count-lost",
  "packet-duplicates",
  "packet-reorders",
  "time-error-estimates",
];
if (Deno.env.get("SEARCH_ENGINE_HEAP") === undefined) Deno.env.set("SEARCH_ENGINE_HEAP", "512m");

/** The pid of the archive subprocess serving `port` (found in `/proc`), or 0. */
function archivePid(port: number): number {
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const cmdline = procCmdline(Number(entry.name));
    if (cmdline.includes("esmond_ps_archive") && cmdline.includes(`--port\0${port}\0`)) {
      return Number(entry.name);
    }
  }
  return 0;
}

function procCmdline(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return "";
  }
}

async function seed(archive: TestArchive, runs: number, agent: string): Promise<void> {
  const post = await fetch(archive.archiveUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Token ${archive.token}` },
    body: JSON.stringify({
      "subject-type": "point-to-point",
      "source": "10.0.0.1",
      "destination": "10.0.0.2",
      "measurement-agent": agent,
      "tool-name": "pscheduler/powstream",
      "input-source": "a.example.net",
      "input-destination": "b.example.net",
      "time-duration": "60",
      "sample-bucket-width": "0.0001",
      "event-types": EVENT_TYPES.map((et) => ({ "event-type": et })),
    }),
  });
  const key = (await post.json())["metadata-key"];
  const base = Math.floor(Date.now() / 1000) - runs * 60 - 3600;
  for (let start = 0; start < runs; start += CHUNK) {
    const data = [];
    for (let i = start; i < Math.min(runs, start + CHUNK); i++) {
      data.push({
        ts: base + i * 60,
        val: [
          {
            "event-type": "histogram-owdelay",
            val: { "41.00": 98, "41.10": 500 + (i % 7), "41.20": 2 },
          },
          { "event-type": "histogram-ttl", val: { "250": 600 } },
          { "event-type": "packet-count-sent", val: 600 },
          { "event-type": "packet-count-lost", val: i % 3 },
          { "event-type": "packet-duplicates", val: 0 },
          { "event-type": "packet-reorders", val: 0 },
          { "event-type": "time-error-estimates", val: 0.03 },
        ],
      });
    }
    const put = await fetch(`${archive.archiveUrl}${key}/`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Token ${archive.token}` },
      body: JSON.stringify({ data }),
    });
    await put.body?.cancel();
    if (put.status !== 201) throw new Error(`seeding: PUT ${put.status}`);
  }
}

async function migrateOnce(
  args: string[],
  sourcePid: number,
): Promise<Record<string, number>> {
  const started = performance.now();
  const sourceCpu0 = cpuSeconds(sourcePid);
  const targetCpu0 = cpuSeconds(targetPid);
  const runArgs = denoRunArgs(findTool("esmond-ps-migrate")!, [...args, ...toolArgs]);
  runArgs.splice(1, 0, ...toolDenoFlags);
  const child = new Deno.Command(Deno.execPath(), {
    args: runArgs,
    stdout: "null",
    stderr: "piped",
    // BENCH_TOOL_V8_FLAGS=--max-old-space-size=64 shows that nothing is retained: a leak would
    // fail the run; garbage only makes the collector work harder.
    env: toolV8Flags === undefined ? {} : { DENO_V8_FLAGS: toolV8Flags },
  }).spawn();
  let peak = 0;
  let cpu = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memoryMiB(child.pid).peak);
    cpu = Math.max(cpu, cpuSeconds(child.pid));
  }, 20);
  const out = await child.output();
  clearInterval(sampler);
  const sourceCpu = cpuSeconds(sourcePid) - sourceCpu0;
  const targetCpu = cpuSeconds(targetPid) - targetCpu0;
  const stderr = new TextDecoder().decode(out.stderr);
  if (out.code !== 0) throw new Error(`esmond-ps-migrate exited ${out.code}: ${stderr}`);
  const seconds = (performance.now() - started) / 1000;
  const m = /(\d+) runs from (\d+) points folded.*; ([\d.]+) s,/.exec(stderr);
  const points = Number(m?.[2] ?? 0);
  const toolSeconds = Number(m?.[3] ?? seconds);
  return {
    runs: Number(m?.[1] ?? 0),
    points,
    wallSeconds: Number(seconds.toFixed(2)),
    migrationSeconds: toolSeconds,
    cpuSeconds: cpu,
    pointsPerSecond: Math.round(points / toolSeconds),
    peakRssMiB: Number(peak.toFixed(1)),
    toolCpuUsPerPoint: Number((cpu * 1e6 / points).toFixed(2)),
    sourceCpuUsPerPoint: Number((sourceCpu * 1e6 / points).toFixed(2)),
    openSearchCpuUsPerPoint: Number((targetCpu * 1e6 / points).toFixed(2)),
  };
}

const givenTarget = Deno.env.get("BENCH_MIGRATE_TARGET");
const dryRun = Deno.env.get("BENCH_DRY_RUN");
let engine: Awaited<ReturnType<typeof startEngine>> | undefined;
if (givenTarget === undefined && dryRun !== "only") {
  try {
    engine = await startEngine("opensearch");
  } catch (error) {
    console.error(`bench_migrate: SKIPPED, no OpenSearch node: ${(error as Error).message}`);
    Deno.exit(0);
  }
}
await using _engine = engine;
const target = givenTarget ?? engine?.url;
// The node's JVM (its CPU time per point is reported too): started here, or BENCH_OS_PID.
const targetPid = Number(
  Deno.env.get("BENCH_OS_PID") ?? (engine ? Deno.readTextFileSync(`${engine.dir}/pid`).trim() : 0),
);
for (const [i, runs] of lengths.entries()) {
  await using archive = await startArchive();
  await seed(archive, runs, `10.0.1.${i + 1}`);
  const sourcePid = archivePid(archive.port);
  if (dryRun === "1" || dryRun === "only") {
    const dry = await migrateOnce(["--from", archive.url, "--dry-run"], sourcePid);
    console.log(
      JSON.stringify({ target: "--dry-run", seriesRuns: runs, ...dry, load: Deno.loadavg() }),
    );
  }
  if (target === undefined) continue;
  const result = await migrateOnce(["--from", archive.url, "--to", target], sourcePid);
  console.log(JSON.stringify({
    target: "opensearch 2.19 (1 node)",
    seriesRuns: runs,
    ...result,
    documentsPerSecond: Math.round(result.runs / result.migrationSeconds),
    load: Deno.loadavg(),
  }));
}
