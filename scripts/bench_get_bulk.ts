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
 * Two servers: the real archive (`server: "archive"`, seeded with the series) and a static
 * page server (`server: "static"`, {@linkcode startPageServer}) that answers the same series'
 * data pages in the archive's bytes (checked against the archive first) without SQLite, so
 * the tool's own limit shows; its runs are also made at 10x the length (memory must stay flat)
 * and their files compared byte for byte with the archive run's. Each line carries the tool's
 * CPU per point, the archive server's CPU during the run (its share) and the load average.
 *
 * Environment: `BENCH_SERVER` (`archive`, `static` or `both`, default both),
 * `BENCH_STATIC_SCALES` (lengths of the static runs as multiples of the sizes, default `1,10`),
 * `BENCH_FORMAT` (`csv` or `json`, default csv), `BENCH_REPEAT` (runs of the tool
 * against the same seeded archive, default 1; one JSON line each, so a loaded machine shows as a
 * range), `BENCH_TOOL_V8_FLAGS` (e.g. `--max-old-space-size=48`), `BENCH_DENO_FLAGS` (extra
 * `deno run` flags for the tool, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), `ESMOND_SOURCE` (an
 * esmond checkout: then the original Python programs read the same series, see below).
 *
 * The last line is the issue-20 table: best points/s per server, the tool's CPU per point,
 * peak RSS at 1x and 10x (and their ratio), and, with `ESMOND_SOURCE`, the speed-up over the
 * Python original measured in the same run.
 *
 * Where the time went (`--cpu-prof` of the tool, 1M numeric + 100k histograms, csv; shares of
 * the tool's busy time, 2-core machine at load 5–11, so read them as proportions):
 *
 * - Before (2.5 µs/point): garbage collection 22 %; rendering 25 % (a `Row` object and a cell
 *   string per column per point, the memo look-ups, `pyRepr` of the histogram dicts at
 *   ~4.5 µs each); `TextEncoder.encodeInto` of the page text 10 %; page parsing 13 %; file
 *   writes in 256 kB pieces 5 %; the paging loop waited for each request before rendering.
 * - Changed, largest first: csv rows of numeric and histogram series go straight into a reused
 *   byte buffer (`cli/format/csv_points.ts`: constant cells once per series, timestamp and
 *   integers as digits, plain histogram dicts as bytes; anything else through the generic
 *   rows), one write per page, two buffers taken in turn; the next page is requested while
 *   the current one is rendered (`readAhead`). 1.2–1.4 µs/point.
 * - Then `fetch` itself: a loop that only fetched the pages cost 0.65 ms CPU per 10k-point
 *   page and ~60 MB RSS above a raw-socket loop (0.14 ms, runtime baseline). Bulk reads now
 *   use `lib/esmond/keep_alive_http.ts` (plain HTTP/1.1 GETs, one reused buffer per kept
 *   connection, everything unusual through `fetch`).
 * - Memory: RSS grew with the page size, not the series (the pages in flight, promoted to the
 *   old generation before they died): 10k-point pages 166 MB at 11M points, 96 kB pages
 *   132 MB, 36 kB pages 105 MB. get-bulk aims its pages at 36 kB (`BULK_PAGE_BYTES`), which
 *   costs some CPU per point in extra requests (mostly kernel time on loopback). The rest of
 *   the 1x/10x difference was V8 growing the young generation in steps during a long series:
 *   get-bulk runs with `--max-semi-space-size=4` (its `runtimeFlags`), 81–88 MB at 1.1M and
 *   11M alike. With that cap, 96 kB pages (2026-12-03) stay at 81–85 MiB too and cost the
 *   archive 15–25 % less CPU than 36 kB ones: get-bulk aims at 96 kB now.
 * - Then the file writes (2026-12-02, load 0.8): `op_write_all` of the file's writable stream was
 *   19 % of the tool's busy time; the same 85 MB took 200 ms through the stream and 34 ms through
 *   `writeSync`. Pages now go out with `writeSync`: tool CPU against the archive 1.65 → 1.07–1.15
 *   µs/point, 530k → 664–695k points/s.
 * - Left: parsing (`scanNumericPage`, `JSON.parse` of histogram pages) ~35 %, byte rendering
 *   ~30 %, the per-request path (URL, retry wrapper, timer) and the kernel's socket and file
 *   writes the rest; ~0.3 s of start-up (module loading, the date parser) is in every run.
 *
 * @module
 */
import { denoRunArgs, findTool } from "./tools.ts";
import { cpuSeconds, loadAverage, memoryMiB } from "./process_figures.ts";
import { startArchive } from "../tests/archive_server.ts";
import { tempDir } from "../tests/harness/mod.ts";
import {
  type BenchSeries,
  histogramValue,
  numericValue,
  renderPage,
  startPageServer,
} from "./get_bulk_page_server.ts";

const numeric = Number(Deno.args[0] ?? 1_000_000);
const histograms = Number(Deno.args[1] ?? 100_000);
const CHUNK = 50_000;
const toolV8Flags = Deno.env.get("BENCH_TOOL_V8_FLAGS");
const format = Deno.env.get("BENCH_FORMAT") ?? "csv";
const repeat = Number(Deno.env.get("BENCH_REPEAT") ?? 1);
const denoFlags = (Deno.env.get("BENCH_DENO_FLAGS") ?? "").split(" ").filter((f) => f !== "");
const servers = Deno.env.get("BENCH_SERVER") ?? "both";
// Every run's line, for the summary.
const results: Array<{ server: string; program: string; points: number } & RunFigures> = [];
const staticScales = (Deno.env.get("BENCH_STATIC_SCALES") ?? "1,10").split(",").map(Number);

async function put(url: string, token: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Token ${token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`PUT ${url}: ${response.status} ${text}`);
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
    if (i < numeric) val.push({ "event-type": "throughput", val: numericValue(i) });
    if (i < histograms) val.push({ "event-type": "histogram-owdelay", val: histogramValue(i) });
    if (val.length > 0) data.push({ ts: base + i, val });
  }
  if (data.length > 0) await put(`${archive.archiveUrl}${key}/`, archive.token, { data });
}
console.error(
  `seeded ${numeric} + ${histograms} points in ${
    ((performance.now() - seedStart) / 1000).toFixed(1)
  } s`,
);

const windowOf = (start: number) => [
  ...["-S", new Date((start - 60) * 1000).toISOString()],
  ...["-E", new Date((now + 3600) * 1000).toISOString()],
];
const window = windowOf(base);
const toolArgs = (url: string, dir: string, args = window) => [
  ...args,
  ...["-u", url, "-o", format, "--ip", "-D", dir],
];
const archivePid = findArchivePid();
const exportRuns = (server: string, url: string, dir: string, series: BenchSeries) =>
  exportOnce(
    "deno",
    {
      command: Deno.execPath(),
      args: withDenoFlags(
        denoRunArgs(findTool("esmond-ps-get-bulk")!, toolArgs(url, dir, windowOf(series.base))),
      ),
      // BENCH_TOOL_V8_FLAGS (e.g. --max-old-space-size=64) caps the tool's heap to show that
      // memory is not retained: a leak would fail the run, garbage only makes GC work harder.
      env: toolV8Flags === undefined ? {} : { DENO_V8_FLAGS: toolV8Flags },
    },
    dir,
    series.numeric + series.histograms,
    server,
  );
await using denoOut = await tempDir();
const seeded: BenchSeries = { base, numeric, histograms };
if (servers !== "static") {
  for (let run = 0; run < repeat; run++) {
    await exportRuns("archive", archive.url, denoOut.path, seeded);
  }
}
if (servers !== "archive") {
  // The static pages must be the archive's bytes, or the comparison below means nothing.
  for (const eventType of ["throughput", "histogram-owdelay"]) {
    const query = `time-start=${base + 2}&time-end=${base + 40}&limit=7&offset=3`;
    const fromArchive =
      await (await fetch(`${archive.archiveUrl}${key}/${eventType}/base?${query}`))
        .text();
    const rendered = renderPage(eventType, seeded, new URLSearchParams(query));
    if (fromArchive !== rendered) {
      throw new Error(
        `static ${eventType} page differs from the archive's:\n${fromArchive}\n${rendered}`,
      );
    }
  }
  for (const scale of staticScales) {
    const series: BenchSeries = {
      base: now - Math.max(numeric, histograms) * scale - 3600,
      numeric: numeric * scale,
      histograms: histograms * scale,
    };
    await using pages = startPageServer(archive.url, series);
    await using staticOut = await tempDir();
    for (let run = 0; run < repeat; run++) {
      await exportRuns("static", pages.url, staticOut.path, series);
      if (scale === 1 && servers === "both") {
        console.log(JSON.stringify({
          server: "static",
          identicalToArchiveRun: sameFiles(staticOut.path, denoOut.path),
        }));
      }
    }
  }
}

// The original Python programs, when an esmond checkout is given (never part of this repo).
// Its esmond-ps-get-bulk crashes under Python 3 when writing the first file (it opens the file
// in binary mode and writes text), so the original is timed as esmond-ps-get per event type: the
// same fetching and row formatting, printed to stdout (redirected to a file), and compared byte
// for byte with our bulk file (which lacks only print's final newline).
const esmondSource = Deno.env.get("ESMOND_SOURCE");
let pythonRate = 0;
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
  pythonRate = Math.round((numeric + histograms) / seconds);
  console.log(JSON.stringify({
    program: "python esmond-ps-get, both event types",
    seconds: Number(seconds.toFixed(2)),
    pointsPerSecond: Math.round((numeric + histograms) / seconds),
  }));
}

summary();

// The issue-20 table from this run's lines.
function summary(): void {
  const ours = (server: string, points?: number) =>
    results.filter((r) =>
      r.program === "deno" && r.server === server && (points === undefined || r.points === points)
    );
  const best = (rows: RunFigures[]) =>
    rows.length === 0 ? null : {
      pointsPerSecond: Math.max(...rows.map((r) => r.pointsPerSecond)),
      cpuMicrosPerPoint: Math.min(...rows.map((r) => r.cpuMicrosPerPoint)),
      peakRssMiB: Math.max(...rows.map((r) => r.peakRssMiB)),
    };
  const archiveRun = best(ours("archive"));
  const small = best(ours("static", (numeric + histograms) * staticScales[0]));
  const large = best(ours("static", (numeric + histograms) * staticScales.at(-1)!));
  const python = results.find((r) => r.program.startsWith("python"));
  console.log(JSON.stringify({
    summary: "issue 20 get-bulk",
    archive: archiveRun,
    static: small,
    staticLong: large,
    rssLongOverShort: small && large && staticScales.length > 1
      ? Number((large.peakRssMiB / small.peakRssMiB).toFixed(3))
      : null,
    // Python's rate is its two esmond-ps-get runs' combined one (printed above).
    speedUpOverPython: python === undefined || archiveRun === null
      ? null
      : Number((archiveRun.pointsPerSecond / pythonRate).toFixed(2)),
    loadAverage: loadAverage(),
  }));
}

// The same file names with the same bytes in both directories.
function sameFiles(a: string, b: string): boolean {
  const names = (dir: string) => [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
  const left = names(a);
  const right = names(b);
  return left.length > 0 && left.join("/") === right.join("/") &&
    left.every((name) => {
      const x = Deno.readFileSync(`${a}/${name}`);
      const y = Deno.readFileSync(`${b}/${name}`);
      return x.length === y.length && x.every((byte, i) => byte === y[i]);
    });
}

// The archive subprocess (a child of this process running `serve`), to read its CPU time.
function findArchivePid(): number | undefined {
  try {
    for (const task of Deno.readDirSync(`/proc/${Deno.pid}/task`)) {
      const children = Deno.readTextFileSync(`/proc/${Deno.pid}/task/${task.name}/children`)
        .trim().split(" ").filter((pid) => pid !== "");
      for (const pid of children) {
        const cmdline = Deno.readTextFileSync(`/proc/${pid}/cmdline`);
        if (cmdline.includes("esmond_ps_archive") && cmdline.includes("serve")) return Number(pid);
      }
    }
  } catch {
    // Not Linux, or the process is gone: the archive's CPU is then not reported.
  }
  return undefined;
}

function sameBytes(python: Uint8Array, ours: Uint8Array): boolean {
  return python.length === ours.length + 1 && python[ours.length] === 0x0a &&
    ours.every((byte, i) => byte === python[i]);
}

interface RunFigures {
  readonly pointsPerSecond: number;
  readonly cpuMicrosPerPoint: number;
  readonly peakRssMiB: number;
}

async function exportOnce(
  program: string,
  run: { command: string; args: string[]; env: Record<string, string> },
  dir: string,
  points = numeric + histograms,
  server = "archive",
): Promise<{ seconds: number }> {
  const archiveBefore = archivePid === undefined ? undefined : cpuSeconds(archivePid);
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
    peak = Math.max(peak, memoryMiB(child.pid).peak);
    cpu = Math.max(cpu, cpuSeconds(child.pid));
  }, 20);
  const status = await child.status;
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const archiveCpu = archivePid === undefined || archiveBefore === undefined
    ? null
    : Number((cpuSeconds(archivePid) - archiveBefore).toFixed(2));
  let bytes = 0;
  for (const entry of Deno.readDirSync(dir)) bytes += Deno.statSync(`${dir}/${entry.name}`).size;
  const cpuMicrosPerPoint = Number((cpu / points * 1e6).toFixed(2));
  const peakRssMiB = Number(peak.toFixed(1));
  results.push({
    server,
    program,
    points,
    pointsPerSecond: Math.round(points / seconds),
    cpuMicrosPerPoint,
    peakRssMiB,
  });
  console.log(JSON.stringify({
    program,
    server,
    points,
    format,
    exitCode: status.code,
    seconds: Number(seconds.toFixed(2)),
    pointsPerSecond: Math.round(points / seconds),
    cpuSeconds: cpu,
    cpuMicrosPerPoint,
    archiveCpuSeconds: archiveCpu,
    loadAverage: loadAverage(),
    peakRssMiB,
    toolV8Flags: program === "deno" ? toolV8Flags ?? null : null,
    outputMiB: Number((bytes / 1024 / 1024).toFixed(1)),
  }));
  return { seconds };
}

function withDenoFlags(args: string[]): string[] {
  return [args[0], ...denoFlags, ...args.slice(1)];
}
