/**
 * Benchmarks of `esmond-ps-load-gridftp`:
 *
 * - `parse`: lines/s of reading + parsing + mapping a generated netlogger log (no archive);
 * - `resume`: the cost of a run on a fully processed log, 1 MiB vs 1 GiB (sparse file), which
 *   must not depend on the size (no rescan);
 * - `load`: lines/s of the real tool loading a generated log into a local embedded archive.
 *
 * `deno run -A --frozen scripts/bench_gridftp.ts [--lines N] [--sizes N] [parse|resume|load]…`
 * (default: all three, 200 000 lines; the figures in docs/esmond-ps-load-gridftp.md used
 * `--lines 1000000`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { TransferWriter } from "../cli/gridftp/archive_writer.ts";
import { readLines } from "../cli/gridftp/line_reader.ts";
import { runLoader } from "../cli/gridftp/loader.ts";
import { mapParsedLine, parseLine } from "../cli/gridftp/map_line.ts";
import { createHostResolver } from "../cli/gridftp/resolver.ts";
import { recordHash, writeState } from "../cli/gridftp/state.ts";
import { denoRunArgs, findTool } from "./tools.ts";
import { generatedLine, writeGeneratedLog } from "../tests/gridftp/gen_log.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    lines: { type: "string", default: "200000" },
    // Distinct transfer sizes: the size is part of the metadata, so this sets how many
    // metadata the load creates (a busy real server: close to one per transfer).
    sizes: { type: "string", default: "2" },
  },
});
const LINES = Number(values.lines);
const SIZES = Number(values.sizes);
const modes = positionals.length > 0 ? positionals : ["parse", "resume", "load"];
const dir = await Deno.makeTempDir({ prefix: "bench-gridftp-" });

function report(name: string, figures: Record<string, string | number>): void {
  console.log(
    `${name}: ` + Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(" "),
  );
}

async function benchParse(): Promise<void> {
  const path = `${dir}/parse.log`;
  await writeGeneratedLog(path, LINES);
  const resolver = createHostResolver();
  const began = performance.now();
  let posts = 0;
  using file = await Deno.open(path);
  for await (const line of readLines(file)) {
    const outcome = mapParsedLine(parseLine(line.text, { json: false }), {
      lookup: (host, family) => resolver.cached(host, family),
    });
    if (outcome.action === "post") posts++;
  }
  const seconds = (performance.now() - began) / 1000;
  report("parse", {
    lines: LINES,
    transfers: posts,
    seconds: seconds.toFixed(2),
    lines_per_s: Math.round(LINES / seconds),
  });
}

const refusing = new TransferWriter({
  client: {
    postMetadata: () => Promise.reject(new Error("resume must not post")),
    putBulk: () => Promise.reject(new Error("resume must not post")),
    postValue: () => Promise.reject(new Error("resume must not post")),
  },
});

async function resumeCost(size: number): Promise<number> {
  const path = `${dir}/resume-${size}.log`;
  const last = generatedLine(1).trimEnd();
  const lastBytes = new TextEncoder().encode(last + "\n");
  // A sparse file: holes, then one real record at the very end.
  {
    using file = await Deno.open(path, { write: true, create: true, truncate: true });
    await file.truncate(size - lastBytes.length);
    await file.seek(0, Deno.SeekMode.End);
    await file.write(lastBytes);
  }
  const info = await Deno.stat(path);
  const statePath = `${path}.state`;
  await writeState(statePath, {
    version: 1,
    format: "netlogger",
    path,
    dev: info.dev!,
    ino: info.ino!,
    offset: size,
    recordStart: size - lastBytes.length,
    recordHash: await recordHash(lastBytes.subarray(0, lastBytes.length - 1)),
    line: null,
    savedAt: new Date().toISOString(),
  });
  const runs = 20;
  const began = performance.now();
  for (let i = 0; i < runs; i++) {
    const summary = await runLoader({
      file: path,
      statePath,
      writeState: true,
      single: false,
      deleteState: false,
      json: false,
      sensitive: {},
      progress: false,
      verbose: 0,
      batchSize: 200,
      writer: refusing,
      resolver: createHostResolver(),
      log: { log: () => {} },
    });
    if (summary.records !== 0) throw new Error("resume rescanned records");
  }
  const ms = (performance.now() - began) / runs;
  await Deno.remove(path);
  return ms;
}

async function benchResume(): Promise<void> {
  const small = await resumeCost(1 << 20);
  const large = await resumeCost(1 << 30);
  report("resume", { "1MiB_ms": small.toFixed(2), "1GiB_ms": large.toFixed(2) });
}

async function benchLoad(): Promise<void> {
  const { startArchive } = await import("../tests/archive_server.ts");
  await using archive = await startArchive({ tokenUser: "bench" });
  const path = `${dir}/load.log`;
  await writeGeneratedLog(path, LINES, { sizes: SIZES });
  const args = [
    "-f",
    path,
    "-p",
    `${dir}/load.state`,
    "-U",
    `${archive.url}/esmond`,
    "-u",
    "bench",
    "-k",
    archive.token,
    "-P",
  ];
  const began = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(findTool("esmond-ps-load-gridftp")!, args),
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - began) / 1000;
  const stderr = new TextDecoder().decode(out.stderr);
  if (out.code !== 0) throw new Error(`loader failed: ${stderr.slice(-2000)}`);
  report("load", {
    lines: LINES,
    seconds: seconds.toFixed(1),
    lines_per_s: Math.round(LINES / seconds),
    summary: JSON.stringify(/stored=.*$/m.exec(stderr)?.[0] ?? ""),
  });
}

try {
  for (const mode of modes) {
    if (mode === "parse") await benchParse();
    else if (mode === "resume") await benchResume();
    else if (mode === "load") await benchLoad();
    else throw new Error(`unknown mode ${mode}`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
