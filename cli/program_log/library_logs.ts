/**
 * Sends what the client library logs (retries, `--verbose` request lines) into a program log,
 * so a run's log stays in one shape: `event=<module>.<level>`, e.g. `http.warning`.
 *
 * @module
 */
import { configure, getTextFormatter, type LogRecord, reset } from "@logtape/logtape";
import type { ProgramLog } from "./program_log.ts";

const messageOnly = getTextFormatter({ value: "bare", format: ({ message }) => message });

/**
 * Routes the library's log records of level info and above to `log` until disposed.
 *
 * @example
 * ```ts
 * import { forwardLibraryLogs, openProgramLog } from "./mod.ts";
 * import { getLogger } from "../../lib/log/mod.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * using log = openProgramLog({ tool: "esmond-ps-pipe", write: (line) => lines.push(line) });
 * {
 *   await using _forward = await forwardLibraryLogs(log);
 *   getLogger("esmond", "http").warn("retrying in {ms} ms", { ms: 250 });
 * }
 * assert.match(lines[0], / event=http.warning id=\d+ retrying in 250 ms\n$/);
 * ```
 */
export async function forwardLibraryLogs(log: ProgramLog): Promise<AsyncDisposable> {
  const sink = (record: LogRecord) => {
    const module = record.category.at(-1) ?? "library";
    log.log(`${module}.${record.level}`, messageOnly(record).trimEnd());
  };
  await configure({
    reset: true,
    sinks: { program: sink },
    loggers: [
      { category: [], lowestLevel: "info", sinks: ["program"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["program"] },
    ],
  });
  return { [Symbol.asyncDispose]: () => reset() };
}
