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
 * Environment: `BENCH_FORMAT` (`csv` or `json`, default csv), `BENCH_REPEAT` (runs of the tool
 * against the same seeded archive, default 1; one JSON line each, so a loaded machine shows as a
 * range), `BENCH_TOOL_V8_FLAGS` (e.g. `--max-old-space-size=48`), `BENCH_DENO_FLAGS` (extra
 * `deno run` flags for the tool, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), `ESMOND_SOURCE` (an
 * esmond checkout: then the original Python programs read the same series, see below).
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
const format = Deno.env.get("BENCH_FORMAT") ?? "csv";
const repeat = Number(Deno.env.get("BENCH_REPEAT") ?? 1);
const denoFlags = (Deno.env.get("BENCH_DENO_FLAGS") ?? "").split(" ").filter((f) => f !== "");

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

// utime + stime of a live process in seconds (the tool's own CPU, less noisy than wall time on
// a shared machine).
function cpuSeconds(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
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

const window = [
  ...["-S", new Date((base - 60) * 1000).toISOString()],
  ...["-E", new Date((now + 3600) * 1000).toISOString()],
];
const toolArgs = (dir: string) => [...window, "-u", archive.url, "-o", format, "--ip", "-D", dir];
await using denoOut = await tempDir();
for (let run = 0; run < repeat; run++) {
  await exportOnce("deno", {
    command: Deno.execPath(),
    args: withDenoFlags(denoRunArgs(findTool("esmond-ps-get-bulk")!, toolArgs(denoOut.path))),
    // BENCH_TOOL_V8_FLAGS (e.g. --max-old-space-size=64) caps the tool's heap to show that
    // memory is not retained: a leak would fail the run, garbage only makes GC work harder.
    env: toolV8Flags === undefined ? {} : { DENO_V8_FLAGS: toolV8Flags },
  }, denoOut.path);
}

// The original Python programs, when an esmond checkout is given (never part of this repo).
// Its esmond-ps-get-bulk crashes under Python 3 when writing the first file (it opens the file
// in binary mode and writes text), so the original is timed as esmond-ps-get per event type: the
// same fetching and row formatting, printed to stdout (redirected to a file), and compared byte
// for byte with our bulk file (which lacks only print's final newline).
const esmondSource = Deno.env.get("ESMOND_SOURCE");
if (esmondSource !== undefined) {
  await using pyOut = await tempDir();
  const names = [...Deno.readDirSync(denoOut.path)].map((entry) => entry.name);
  let seconds = 0;
  for (const [eventType, points] of [["throughput", numeric], ["histogram-owdelay", histograms]]) {
    const dir = `${pyOut.path}/${eventType}`;
    Deno.mkdirSync(dir);
    const file = `${dir}/out.${format}`;
    const script = `${esmondSource}/esmond_client/clients/esmond-ps-get`;
    const args = [...window, "-u", archive.url, "-o", format, "--ip"];
    const result = await exportOnce(
      `python esmond-ps-get -e ${eventType}`,
      {
        command: "sh",
        args: [
          "-c",
          'exec python3 "$@" > "$OUT"',
          "sh",
          script,
          ...args,
          "-s",
          "10.0.0.1",
          "-d",
          "10.0.0.2",
          "-e",
          String(eventType),
        ],
        env: {
          PYTHONPATH: `${esmondSource}/esmond_client`,
          PYTHONDONTWRITEBYTECODE: "1",
          OUT: file,
        },
      },
      dir,
      Number(points),
    );
    seconds += result.seconds;
    const ours = names.find((name) => name.includes(`_${eventType}_`));
    console.log(JSON.stringify({
      eventType,
      identicalToDenoBulkFile: ours !== undefined &&
        sameBytes(Deno.readFileSync(file), Deno.readFileSync(`${denoOut.path}/${ours}`)),
    }));
  }
  console.log(JSON.stringify({
    program: "python esmond-ps-get, both event types",
    seconds: Number(seconds.toFixed(2)),
    pointsPerSecond: Math.round((numeric + histograms) / seconds),
  }));
}

// Python's output is ours plus print's final newline.
function sameBytes(python: Uint8Array, ours: Uint8Array): boolean {
  return python.length === ours.length + 1 && python[ours.length] === 0x0a &&
    ours.every((byte, i) => byte === python[i]);
}

async function exportOnce(
  program: string,
  run: { command: string; args: string[]; env: Record<string, string> },
  dir: string,
  points = numeric + histograms,
): Promise<{ seconds: number }> {
  const started = performance.now();
  const child = new Deno.Command(run.command, {
    args: run.args,
    stdout: "null",
    stderr: "inherit",
    env: run.env,
  }).spawn();
  let peak = 0;
  let cpu = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, peakRss(child.pid));
    cpu = Math.max(cpu, cpuSeconds(child.pid));
  }, 20);
  const status = await child.status;
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  let bytes = 0;
  for (const entry of Deno.readDirSync(dir)) bytes += Deno.statSync(`${dir}/${entry.name}`).size;
  console.log(JSON.stringify({
    program,
    points,
    format,
    exitCode: status.code,
    seconds: Number(seconds.toFixed(2)),
    pointsPerSecond: Math.round(points / seconds),
    cpuSeconds: cpu,
    peakRssMiB: Number((peak / 1024 / 1024).toFixed(1)),
    toolV8Flags: program === "deno" ? toolV8Flags ?? null : null,
    outputMiB: Number((bytes / 1024 / 1024).toFixed(1)),
  }));
  return { seconds };
}

function withDenoFlags(args: string[]): string[] {
  return [args[0], ...denoFlags, ...args.slice(1)];
}
