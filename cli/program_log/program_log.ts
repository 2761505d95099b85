/**
 * The program log of the original esmond clients, in their line shape,
 * `ts=<YYYY-MM-DD HH:MM:SS,mmm local time> event=<event> id=<UNIX seconds> <message>`, on
 * stderr or appended to `<log_dir>/<tool>.log`. Cron users grep these lines, so the shape is
 * kept rather than the project's logfmt.
 *
 * @module
 */
import { format } from "date-fns";
import { escapeControl } from "../../lib/log/mod.ts";

/** Writes program-log lines. */
export interface ProgramLog {
  /** Writes one line for `event` (`<function>.<kind>`, e.g. `main.fatal`). */
  log(event: string, message: string): void;
}

/** Options of {@linkcode openProgramLog}. */
export interface ProgramLogOptions {
  /** Tool name; the file in `logDir` is `<tool>.log`. */
  readonly tool: string;
  /** Append to `<logDir>/<tool>.log` instead of writing to stderr. */
  readonly logDir?: string;
  /** Where lines go without `logDir` (default: synchronous writes to stderr). */
  readonly write?: (text: string) => void;
  /**
   * Keep only problems: `*.warning`, `*.warn`, `*.error` and `*.fatal` events (a `--quiet` flag;
   * warnings stay because some of them, e.g. a refused data PUT, are why a run failed).
   */
  readonly problemsOnly?: boolean;
}

const encoder = new TextEncoder();
const PROBLEM = /\.(warning|warn|error|fatal)$/;

/**
 * Writes all of `text` synchronously (a short write is continued), so lines from one process
 * never interleave half-written.
 *
 * @example
 * ```ts
 * import { writeAllSync } from "./program_log.ts";
 * import assert from "node:assert/strict";
 * const chunks: Uint8Array[] = [];
 * // A writer that takes at most 3 bytes per call: the text still arrives whole.
 * const writer = { writeSync: (b: Uint8Array) => (chunks.push(b.slice(0, 3)), Math.min(3, b.length)) };
 * writeAllSync(writer, "one whole line\n");
 * assert.equal(new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c]))), "one whole line\n");
 * ```
 */
export function writeAllSync(target: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += target.writeSync(bytes.subarray(written));
}

/**
 * One program-log line (with its newline) for a moment in time; control characters in the
 * event and message are escaped.
 *
 * @example
 * ```ts
 * import { formatLogLine } from "./program_log.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatLogLine("main.start", "no last record found", new Date(0)), "ts=1970-01-01 00:00:00,000 event=main.start id=0 no last record found\n"); // in UTC
 * ```
 */
export function formatLogLine(event: string, message: string, now: Date): string {
  const ts = format(now, "yyyy-MM-dd HH:mm:ss,SSS");
  const id = Math.floor(now.getTime() / 1000);
  return `ts=${ts} event=${escapeControl(event)} id=${id} ${escapeControl(message)}\n`;
}

/** Path of the program log of `tool` inside `logDir`. */
export function programLogPath(logDir: string, tool: string): string {
  return `${logDir.replace(/\/+$/, "")}/${tool}.log`;
}

/**
 * A program log writing synchronously to stderr, or appending to `<logDir>/<tool>.log`.
 *
 * @example
 * ```ts
 * import { openProgramLog } from "./program_log.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * {
 *   using log = openProgramLog({ tool: "esmond-ps-pipe", logDir: dir });
 *   log.log("main.start", "reading input");
 * }
 * assert.match(await Deno.readTextFile(`${dir}/esmond-ps-pipe.log`), / event=main.start id=\d+ reading input\n$/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function openProgramLog(options: ProgramLogOptions): ProgramLog & Disposable {
  const file = options.logDir === undefined
    ? undefined
    : Deno.openSync(programLogPath(options.logDir, options.tool), { append: true, create: true });
  const write = file !== undefined
    ? (text: string) => writeAllSync(file, text)
    : options.write ?? ((text: string) => writeAllSync(Deno.stderr, text));
  return {
    log(event, message) {
      if (options.problemsOnly && !PROBLEM.test(event)) return;
      write(formatLogLine(event, message, new Date()));
    },
    [Symbol.dispose]() {
      file?.close();
    },
  };
}
