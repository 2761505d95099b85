/**
 * Generates long netlogger logs in the real server's line shape for crash tests and
 * benchmarks: RETR/STOR over a fixed set of destinations and sizes (so metadata repeat the way
 * they do on a busy server), a failure now and then, listings in between.
 *
 * @module
 */

/** Options of {@linkcode generatedLine}. */
export interface GenerateOptions {
  /** Distinct destinations (default 10). */
  readonly destinations?: number;
  /** Distinct transfer sizes (default 2). */
  readonly sizes?: number;
  /** First START, epoch seconds (default 1795540000). */
  readonly startEpoch?: number;
}

function stamp(epochMicros: number): string {
  const d = new Date(Math.floor(epochMicros / 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}` +
    `${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${p(epochMicros % 1_000_000, 6)}`;
}

/**
 * Line `n` (0-based) of a generated log, with its newline. Transfer `n` starts at second
 * `startEpoch + n`, so every transfer has its own timestamp.
 *
 * @example
 * ```ts
 * import { generatedLine } from "./gen_log.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(generatedLine(0).startsWith("DATE="), true);
 * ```
 */
export function generatedLine(n: number, options: GenerateOptions = {}): string {
  const destinations = options.destinations ?? 10;
  const sizes = options.sizes ?? 2;
  const start = ((options.startEpoch ?? 1795540000) + n) * 1_000_000 + 123_456;
  const nbytes = 1048576 * (1 + (n % sizes));
  const date = start + 1000 + (n % 997) * 37;
  const type = n % 50 === 49 ? "MLSD" : n % 3 === 0 ? "STOR" : "RETR";
  const code = n % 97 === 96 ? 426 : 226;
  const dest = `10.0.${Math.floor(n / 7) % destinations}.${1 + (n % 2)}`;
  return `DATE=${stamp(date)} HOST=localhost PROG=globus-gridftp-server NL.EVNT=FTP_INFO ` +
    `START=${stamp(start)} USER=anonymous FILE=/data/file ${n % 5}.dat BUFFER=131072 ` +
    `BLOCK=262144 NBYTES=${nbytes} VOLUME=/ STREAMS=${1 + (n % 2) * 3} STRIPES=1 DEST=[${dest}] ` +
    `TYPE=${type} CODE=${code} TASKID=none${n % 2 ? " retrans=0,1,0,2" : ""}\n`;
}

/**
 * Writes `lines` generated lines to `path`.
 *
 * @example
 * ```ts
 * import { writeGeneratedLog } from "./gen_log.ts";
 * await writeGeneratedLog("/tmp/gridftp.log", 1000);
 * ```
 */
export async function writeGeneratedLog(
  path: string,
  lines: number,
  options: GenerateOptions = {},
): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  const chunk: string[] = [];
  for (let n = 0; n < lines; n++) {
    chunk.push(generatedLine(n, options));
    if (chunk.length === 10_000 || n === lines - 1) {
      const bytes = encoder.encode(chunk.join(""));
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      chunk.length = 0;
    }
  }
}
