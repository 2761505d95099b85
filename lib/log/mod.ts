/**
 * Logging set up once for every tool: structured lines on stderr (never stdout, which carries
 * data), level chosen by `--verbose`/`--quiet`.
 *
 * Lines are logfmt (`ts=… level=… category=… msg=… key=value`) by default, JSON Lines when
 * `format: "json"` or the environment variable `LOG_FORMAT=json` is set. Control characters in
 * a line are escaped (`\u001b`), so data cannot reach the terminal raw.
 *
 * @example
 * ```ts
 * import { getLogger, setupLogging } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * await setupLogging({ verbose: true, write: (line) => lines.push(line) });
 * getLogger("esmond-ps-get").info("fetched {count} points", { count: 3 });
 * assert.match(lines[0], / level=info logger=esmond-ps-get msg="fetched 3 points" count=3\n$/);
 * ```
 *
 * @module
 */
import {
  configure,
  getJsonLinesFormatter,
  getLogfmtFormatter,
  getLogger as getLogtapeLogger,
  type Logger,
  type LogLevel,
  type LogRecord,
  reset,
  type Sink,
} from "@logtape/logtape";
import { escapeControl } from "./escape.ts";

export type { Logger, LogLevel };
export { escapeControl, type EscapeOptions, fileNamePart } from "./escape.ts";

/** Options for {@linkcode setupLogging}. */
export interface LoggingOptions {
  /** Log debug lines too. */
  readonly verbose?: boolean;
  /** Log only errors. */
  readonly quiet?: boolean;
  /** Line format; defaults to `LOG_FORMAT` from the environment, then `text` (logfmt). */
  readonly format?: "text" | "json";
  /** Where lines go; defaults to a synchronous writer on stderr. */
  readonly write?: (line: string) => void;
}

const encoder = new TextEncoder();

function writeStderr(line: string): void {
  const bytes = encoder.encode(line);
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}

/**
 * The level a tool logs at, from its `--verbose`/`--quiet` flags.
 *
 * @example
 * ```ts
 * import { levelFor } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(levelFor({ verbose: true }), "debug");
 * ```
 */
export function levelFor(options: Pick<LoggingOptions, "verbose" | "quiet">): LogLevel {
  if (options.quiet) return "error";
  if (options.verbose) return "debug";
  return "info";
}

function envFormat(): "text" | "json" {
  try {
    return Deno.env.get("LOG_FORMAT") === "json" ? "json" : "text";
  } catch {
    return "text";
  }
}

/**
 * Configures logging for the whole process. Safe to call more than once: the last call wins.
 *
 * @example
 * ```ts
 * import { getLogger, setupLogging } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * await setupLogging({ quiet: true, write: (line) => lines.push(line) });
 * getLogger("esmond-ps-get").info("not shown when quiet");
 * getLogger("esmond-ps-get").error("shown");
 * assert.equal(lines.length, 1);
 * ```
 */
export async function setupLogging(options: LoggingOptions = {}): Promise<void> {
  const format = options.format ?? envFormat();
  const formatter = format === "json" ? getJsonLinesFormatter() : getLogfmtFormatter();
  const write = options.write ?? writeStderr;
  // One record is one line: control characters from data (ESC, CR, newlines) are escaped.
  const sink: Sink = (record: LogRecord) =>
    write(`${escapeControl(formatter(record).replace(/\n$/, ""))}\n`);
  await reset();
  await configure({
    reset: true,
    sinks: { main: sink },
    loggers: [
      { category: [], lowestLevel: levelFor(options), sinks: ["main"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["main"] },
    ],
  });
}

/**
 * A logger for one part of the project; the category is the tool or module name.
 *
 * @example
 * ```ts
 * import { getLogger, setupLogging } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * await setupLogging({ format: "json", write: (line) => lines.push(line) });
 * getLogger("collector", "decode").warn("packet rejected: {reason}", { reason: "truncated" });
 * const record = JSON.parse(lines[0]);
 * assert.equal(record.logger, "collector.decode");
 * assert.equal(record.properties.reason, "truncated");
 * ```
 */
export function getLogger(...category: [string, ...string[]]): Logger {
  return getLogtapeLogger(category);
}
