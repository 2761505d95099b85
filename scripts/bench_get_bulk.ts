/**
 * Benchmark of `esmond-ps-get-bulk -o csv` against a local `esmond-ps-archive`: one metadata
 * with N numeric points (`throughput`, one a second) and M histograms (`histogram-owdelay`),
 * exported by the real tool as a subprocess. Prints points/s and the tool's peak RSS
 * (`VmHWM` sampled from /proc), so RSS can be compared between sizes.
 *
 * ```
 * deno run -A --frozen scripts/bench_get_bulk.ts [NUMERIC=1000000] [HISTOGRAMS=100000]
 * ```
 *
 * @module
 */
import { denoRunArgs, findTool } from "./tools.ts";
import { startArchive } from "../tests/archive_server.ts";
import { tempDir } from "../tests/harness/mod.ts";

const numeric = Number(Deno.args[0] ?? 1_000_000);
const histograms = Number(Deno.args[1] ?? 100_000);
const CHUNK = 50_000;
const toolV8Flags = Deno.env.get("BENCH_TOOL_V8_FLAGS");

async function put(url: string, token: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Token ${token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`PUT ${url}: ${response.status} ${text}`);
}

function peakRss(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

await using archive = await startArchive();
const now = Math.floor(Date.now() / 1000);
const base = now - Math.max(numeric, histograms) - 3600;
const created = await fetch(archive.archiveUrl, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Token ${archive.token}` },
  body: JSON.stringify({
    "subject-type": "point-to-point",
    "source": "10.0.0.1",
    "destination": "10.0.0.2",
    "measurement-agent": "10.0.0.1",
    "tool-name": "bench",
    "input-source": "a",
    "input-destination": "b",
    "sample-bucket-width": ".0001",
    "event-types": [{ "event-type": "throughput" }, { "event-type": "histogram-owdelay" }],
  }),
});
const key = (await created.json())["metadata-key"];
const seedStart = performance.now();
for (let start = 0; start < Math.max(numeric, histograms); start += CHUNK) {
  const data = [];
  for (let i = start; i < start + CHUNK; i++) {
    const val = [];
    if (i < numeric) val.push({ "event-type": "throughput", val: 9_000_000_000 + i });
    if (i < histograms) {
      val.push({
        "event-type": "histogram-owdelay",
        val: { "41.00": 98, "41.10": 98 + (i % 7), "41.20": 3, "50.0": 1 },
      });
    }
    if (val.length > 0) data.push({ ts: base + i, val });
  }
  if (data.length > 0) await put(`${archive.archiveUrl}${key}/`, archive.token, { data });
}
console.error(
  `seeded ${numeric} + ${histograms} points in ${
    ((performance.now() - seedStart) / 1000).toFixed(1)
  } s`,
);

await using out = await tempDir();
const started = performance.now();
const child = new Deno.Command(Deno.execPath(), {
  args: denoRunArgs(findTool("esmond-ps-get-bulk")!, [
    ...["-u", archive.url, "-o", "csv", "--ip", "-D", out.path],
    ...[
      "-S",
      new Date((base - 60) * 1000).toISOString(),
      "-E",
      new Date((now + 3600) * 1000).toISOString(),
    ],
  ]),
  stdout: "null",
  stderr: "inherit",
  // BENCH_TOOL_V8_FLAGS (e.g. --max-old-space-size=64) caps the tool's heap to show that
  // memory is not retained: a leak would fail the run, garbage only makes GC work harder.
  env: toolV8Flags === undefined ? {} : { DENO_V8_FLAGS: toolV8Flags },
}).spawn();
let peak = 0;
const sampler = setInterval(() => peak = Math.max(peak, peakRss(child.pid)), 20);
const status = await child.status;
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;
let bytes = 0;
for (const entry of Deno.readDirSync(out.path)) {
  bytes += Deno.statSync(`${out.path}/${entry.name}`).size;
}
const points = numeric + histograms;
console.log(JSON.stringify({
  numeric,
  histograms,
  exitCode: status.code,
  seconds: Number(seconds.toFixed(2)),
  pointsPerSecond: Math.round(points / seconds),
  peakRssMiB: Number((peak / 1024 / 1024).toFixed(1)),
  toolV8Flags: toolV8Flags ?? null,
  outputMiB: Number((bytes / 1024 / 1024).toFixed(1)),
}));
