/**
 * The program log in the original's line shape,
 * `ts=<YYYY-MM-DD HH:MM:SS,mmm local time> event=<event> id=<UNIX seconds> <message>`, on
 * stderr or appended to `<log_dir>/esmond-ps-load-gridftp.log`. Cron users grep these lines,
 * so the shape is kept rather than the project's logfmt.
 *
 * @module
 */
import { format } from "date-fns";

/** Writes program-log lines. */
export interface ProgramLog {
  /** Writes one line for `event`. */
  log(event: string, message: string): void;
}

/** File name of the program log inside `--log_dir`. */
export const LOG_FILE_NAME = "esmond-ps-load-gridftp.log";

/**
 * One program-log line (with its newline) for a moment in time.
 *
 * @example
 * ```ts
 * import { formatLogLine } from "./program_log.ts";
 * formatLogLine("main.start", "no last record found", new Date(0));
 * // "ts=1970-01-01 00:00:00,000 event=main.start id=0 no last record found\n" (in UTC)
 * ```
 */
export function formatLogLine(event: string, message: string, now: Date): string {
  const ts = format(now, "yyyy-MM-dd HH:mm:ss,SSS");
  return `ts=${ts} event=${event} id=${Math.floor(now.getTime() / 1000)} ${message}\n`;
}

/**
 * A program log writing synchronously to stderr, or appending to a file when `logDir` is set.
 *
 * @example
 * ```ts
 * import { openProgramLog } from "./program_log.ts";
 * using log = openProgramLog({});
 * log.log("main.start", "no last record found");
 * ```
 */
export function openProgramLog(
  options: { readonly logDir?: string },
): ProgramLog & Disposable {
  const encoder = new TextEncoder();
  const file = options.logDir === undefined
    ? undefined
    : Deno.openSync(`${options.logDir.replace(/\/+$/, "")}/${LOG_FILE_NAME}`, {
      append: true,
      create: true,
    });
  const target = file ?? Deno.stderr;
  return {
    log(event, message) {
      const bytes = encoder.encode(formatLogLine(event, message, new Date()));
      let written = 0;
      while (written < bytes.length) written += target.writeSync(bytes.subarray(written));
    },
    [Symbol.dispose]() {
      file?.close();
    },
  };
}
