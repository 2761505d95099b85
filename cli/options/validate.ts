/**
 * Validation of the query tools' command line, in the originals' order and with their texts
 * (clients spec §1.1): what goes to stdout, what to stderr. Exit statuses follow this project:
 * 0 for `--help`/`-L`, 1 for any usage or validation error. Pure: the clock, the working
 * directory and the directory check come in through {@linkcode ValidationContext}.
 *
 * @module
 */
import {
  CLIENT_EVENT_TYPE_NAMES,
  eventTypeInfo,
  type SummaryType,
} from "../../lib/esmond/event_types.ts";
import { OUTPUT_FORMATS, type OutputFormat } from "../format/renderers.ts";
import { parseDateText } from "./dates.ts";
import { type FilterArgs, parseFilterArgs } from "./filters.ts";
import { UsageError } from "../../lib/args/mod.ts";
import { parseArgs } from "./query_args.ts";
import { helpText, usageText } from "./spec.ts";
import { isHostArg } from "./hosts.ts";

/** The four query tools. */
export type QueryProgram =
  | "esmond-ps-get-endpoints"
  | "esmond-ps-get-metadata"
  | "esmond-ps-get"
  | "esmond-ps-get-bulk";

/** The summary types `-T` accepts, in the message's order. */
export const SUMMARY_TYPES: readonly SummaryType[] = ["aggregation", "average", "statistics"];

/** A validated command line. */
export interface QueryOptions {
  /** Which tool runs. */
  readonly program: QueryProgram;
  /** Archive base URL, with a pasted `/esmond/perfsonar/archive` path removed. */
  readonly url: string;
  /** `--src`. */
  readonly source?: string;
  /** `--dest`. */
  readonly destination?: string;
  /** `--agent`. */
  readonly agent?: string;
  /** `--event-type`. */
  readonly eventType?: string;
  /** `--tool`. */
  readonly tool?: string;
  /** Start of the window (whole seconds). */
  readonly start: Date;
  /** End of the window (whole seconds). */
  readonly end: Date;
  /** The `-F` filters. */
  readonly filters: FilterArgs;
  /** `-M`. */
  readonly metadataExtended: boolean;
  /** `-T`. */
  readonly summaryType?: SummaryType;
  /** `-W` (0 when absent). */
  readonly summaryWindow: number;
  /** Whether `-W` was given (for the `-T` without `-W` warning). */
  readonly summaryWindowGiven: boolean;
  /** `-o`. */
  readonly format: OutputFormat;
  /** `-D` as an absolute path (bulk). */
  readonly outputDirectory: string;
  /** `--ip`. */
  readonly ip: boolean;
  /** `-v`. */
  readonly verbose: boolean;
  /** `--quiet`. */
  readonly quiet: boolean;
  /** `--match-data-time`: metadata found by their data in the window, not their update time. */
  readonly matchDataTime: boolean;
  /** `--insecure`: TLS certificates are not verified. */
  readonly insecure: boolean;
  /** `--timeout` in milliseconds, if given. */
  readonly timeoutMs?: number;
  /** `--concurrency` (bulk, default 4). */
  readonly concurrency: number;
  /** `--resume` (bulk). */
  readonly resume: boolean;
}

/** What the tool does next. */
export type Validation =
  | {
    readonly kind: "run";
    readonly options: QueryOptions;
    /** Text for stdout before the output (URL trimming note, `-F` messages). */
    readonly notices: string;
  }
  | {
    readonly kind: "exit";
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
  };

/** The outside facts validation needs. */
export interface ValidationContext {
  /** The current time. */
  readonly now: Date;
  /** The working directory (absolute). */
  readonly cwd: string;
  /** Whether a directory exists. */
  readonly isDirectory: (path: string) => boolean;
}

const ARCHIVE_PATH = "/esmond/perfsonar/archive";

/**
 * The `-L` text.
 *
 * @example
 * ```ts
 * import { eventListText } from "./validate.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(eventListText().split("\n")[2], "    failures");
 * ```
 */
export function eventListText(): string {
  return "\nValid event types:\n" + CLIENT_EVENT_TYPE_NAMES.map((name) => `    ${name}\n`).join("");
}

function absolute(path: string, cwd: string): string {
  const joined = path.startsWith("/") ? path : `${cwd.replace(/\/$/, "")}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

function trimArchivePath(url: string): { url: string; trimmed: boolean } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(\/[^?#]*)?/i.exec(url);
  const path = match?.[2] ?? "";
  if (match === null || !path.startsWith(ARCHIVE_PATH)) return { url, trimmed: false };
  return { url: match[1], trimmed: true };
}

function exit(code: number, stdout: string, stderr = ""): Validation {
  return { kind: "exit", code, stdout, stderr };
}

/**
 * Parses and validates the arguments of one of the four query tools.
 *
 * @example
 * ```ts
 * import { validateQueryArgs } from "./validate.ts";
 * import assert from "node:assert/strict";
 * const v = validateQueryArgs("esmond-ps-get-endpoints", ["-u", "http://h:8085", "--ip"], {
 *   now: new Date(), cwd: "/tmp", isDirectory: () => true,
 * });
 * assert.deepEqual(v.kind, "run");
 * ```
 */
export function validateQueryArgs(
  program: QueryProgram,
  args: readonly string[],
  context: ValidationContext,
): Validation {
  let values: Record<string, unknown>;
  try {
    values = parseArgs(args).values;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return exit(1, "", `${usageText(program)}\n${program}: error: ${error.message}\n`);
  }
  const text = (key: string): string | undefined => {
    const value = values[key];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const help = helpText(program);
  if (values.help === true) return exit(0, help);
  if (values.listEvents === true) return exit(0, eventListText());

  let notices = "";
  const rawUrl = text("url");
  if (rawUrl === undefined) return exit(1, `--url is a required arg\n\n${help}`);
  const { url, trimmed } = trimArchivePath(rawUrl);
  if (trimmed) notices += `\n not necessary to add ${ARCHIVE_PATH} to --url arg - trimming\n`;

  const eventType = text("eventType");
  if (
    program === "esmond-ps-get" &&
    (text("src") === undefined || (text("dest") === undefined && !eventType?.startsWith("ntp-")))
  ) {
    return exit(
      1,
      `${notices}--src and --dest args are both required (ntp-* event types only require --src).\n\n${help}`,
    );
  }
  const format = text("outputFormat") ?? "human";
  const outputDirectory = absolute(text("outputDirectory") ?? ".", context.cwd);
  if (program === "esmond-ps-get-bulk") {
    if (format === "human") {
      return exit(
        1,
        `${notices}please specify either json or csv --output-format for bulk output.\n\n${help}`,
      );
    }
    if (!context.isDirectory(outputDirectory)) {
      return exit(1, `${notices}output path ${outputDirectory} does not exist.\n`);
    }
  }
  for (const [key, option] of [["src", "--src"], ["dest", "--dest"], ["agent", "--agent"]]) {
    const value = text(key);
    if (value !== undefined && !isHostArg(value)) {
      return exit(1, `${notices}${option} arg had invalid hostname: ${value}\n`);
    }
  }
  // The 16 newer archive event types are accepted too: they are exported as raw JSON rows.
  if (eventType !== undefined && eventTypeInfo(eventType) === undefined) {
    return exit(1, `${notices}${eventType} is not a valid event type\n${eventListText()}`);
  }
  if (program === "esmond-ps-get" && eventType === undefined) {
    return exit(1, `${notices}The --event-type arg is required. Use -L to see a list.\n\n${help}`);
  }
  const summaryType = text("summaryType");
  if (summaryType !== undefined && !SUMMARY_TYPES.includes(summaryType as SummaryType)) {
    return exit(
      1,
      `${notices}${summaryType} is not a valid --summary-type arg (one of: ['aggregation', 'average', 'statistics'])\n`,
    );
  }
  if (!OUTPUT_FORMATS.includes(format as OutputFormat)) {
    return exit(
      1,
      `${notices}${format} is not a valid --output-format arg (one of: ['human', 'json', 'csv'])\n`,
    );
  }
  if (format === "csv" && values.metadataExtended === true) {
    return exit(1, `${notices}--output-format csv can not be used with --metadata-extended\n`);
  }
  const nowSeconds = new Date(Math.floor(context.now.getTime() / 1000) * 1000);
  const dates: Date[] = [];
  for (
    const [key, option, fallback] of [
      ["startTime", "--start-time", new Date(nowSeconds.getTime() - 86_400_000)],
      ["endTime", "--end-time", nowSeconds],
    ] as const
  ) {
    const value = text(key);
    const date = value === undefined ? fallback : parseDateText(value, context.now);
    if (date === null) return exit(1, `${notices}could not parse ${option} arg: ${value}\n`);
    dates.push(date);
  }
  const filters = parseFilterArgs((values.filter as string[] | undefined) ?? []);
  // A malformed -F is a usage error: nothing is queried with a filter the user did not mean.
  if (filters.messages.length > 0) {
    return exit(1, "", filters.messages.map((m) => `${program}: error: ${m}\n`).join(""));
  }
  const concurrency = (values.concurrency as number | undefined) ?? 4;
  if (concurrency < 1) return exit(1, `${notices}--concurrency must be at least 1\n`);
  const timeout = values.timeout as number | undefined;
  return {
    kind: "run",
    notices,
    options: {
      program,
      url,
      source: text("src"),
      destination: text("dest"),
      agent: text("agent"),
      eventType,
      tool: text("tool"),
      start: dates[0],
      end: dates[1],
      filters,
      metadataExtended: values.metadataExtended === true,
      summaryType: summaryType as SummaryType | undefined,
      summaryWindow: (values.summaryWindow as number | undefined) ?? 0,
      summaryWindowGiven: values.summaryWindow !== undefined,
      format: format as OutputFormat,
      outputDirectory,
      ip: values.ip === true,
      verbose: values.verbose === true,
      quiet: values.quiet === true,
      matchDataTime: values.matchDataTime === true,
      insecure: values.insecure === true,
      timeoutMs: timeout !== undefined && timeout > 0 ? timeout * 1000 : undefined,
      concurrency,
      resume: values.resume === true,
    },
  };
}
