/**
 * The command line of `esmond-ps-migrate`: the query tools' filter options (same names, taken
 * from the one option table) plus the migration's own (`--from`, `--to`, `--dry-run`,
 * `--state`, `--rate`, `--batch-size`). Pure: the clock comes in as an argument.
 *
 * @module
 */
import { eventTypeInfo } from "../../lib/esmond/event_types.ts";
import { parseDateText } from "../options/dates.ts";
import { type FilterArgs, parseFilterArgs } from "../options/filters.ts";
import { isHostArg } from "../options/hosts.ts";
import { parseOptparse } from "../../lib/args/optparse.ts";
import { UsageError } from "../../lib/args/mod.ts";
import { OPTION_SPECS, type OptionSpec } from "../options/spec.ts";

/** The program name. */
export const MIGRATE_PROGRAM = "esmond-ps-migrate";

const SHARED_KEYS = [
  "help",
  "src",
  "dest",
  "agent",
  "eventType",
  "tool",
  "startTime",
  "endTime",
  "filter",
  "verbose",
  "quiet",
  "insecure",
  "timeout",
  "concurrency",
];

/** The options of `esmond-ps-migrate`, in `--help` order. */
export const MIGRATE_OPTION_SPECS: readonly OptionSpec[] = [
  {
    key: "from",
    long: "from",
    kind: "string",
    metavar: "ESMOND_URL|FILE",
    multiple: true,
    help:
      "esmond archive URL, or esmond-ps-get-bulk -o json export files / esmond fixtures / an esmond-ps-archive .sqlite file (repeatable)",
  },
  {
    key: "to",
    long: "to",
    kind: "string",
    metavar: "OPENSEARCH_URL|ARCHIVE_URL",
    help: "OpenSearch URL (http(s)://host:9200), or esmond-ps-archive URL prefixed archive+",
  },
  {
    key: "token",
    long: "token",
    kind: "string",
    metavar: "TOKEN",
    help: "archive+URL targets: the archive's write token (sent as Authorization: Token TOKEN)",
  },
  {
    key: "dryRun",
    long: "dry-run",
    kind: "flag",
    help: "print the documents (one JSON line each) instead of writing them",
  },
  {
    key: "state",
    long: "state",
    kind: "string",
    metavar: "FILE",
    help: "state file: series done are recorded there and skipped when the run is repeated",
  },
  {
    key: "rate",
    long: "rate",
    kind: "integer",
    metavar: "POINTS_PER_S",
    help: "read at most this many esmond points per second (default: no limit)",
  },
  {
    key: "batchSize",
    long: "batch-size",
    kind: "integer",
    metavar: "N",
    help: "documents per bulk request (default 2000)",
  },
  {
    key: "noTemplate",
    long: "no-template",
    kind: "flag",
    help: "do not install perfSONAR's pscheduler index template when it is missing",
  },
  ...SHARED_KEYS.map((key) => {
    const spec = OPTION_SPECS.find((s) => s.key === key)!;
    if (key === "startTime") {
      return { ...spec, help: "Migrate points from this time (default: all)" };
    }
    if (key === "endTime") {
      return { ...spec, help: "Migrate points up to this time (default: now)" };
    }
    if (key === "concurrency") return { ...spec, help: "series migrated at once (default 4)" };
    if (key === "eventType") {
      return { ...spec, help: "only tests that have this event type (all their types migrate)" };
    }
    return spec;
  }),
];

/** A validated command line. */
export interface MigrateOptions {
  /** esmond URLs or local files to read. */
  readonly from: readonly string[];
  /** Where documents go: OpenSearch URL, `archive+URL`, or `undefined` with `dryRun`. */
  readonly to?: string;
  /** Write token of an `archive+URL` target. */
  readonly token?: string;
  /** Print documents instead of writing. */
  readonly dryRun: boolean;
  /** State file path. */
  readonly state?: string;
  /** Points per second read limit (0: none). */
  readonly rate: number;
  /** Documents per bulk request. */
  readonly batchSize: number;
  /** Series at once. */
  readonly concurrency: number;
  /** Skip installing the index template. */
  readonly noTemplate: boolean;
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
  /** Window start (epoch seconds, 0 by default). */
  readonly start: number;
  /** Window end (epoch seconds, now by default). */
  readonly end: number;
  /** `-F` filters. */
  readonly filters: FilterArgs;
  /** `-v`. */
  readonly verbose: boolean;
  /** `--quiet`. */
  readonly quiet: boolean;
  /** `--insecure`. */
  readonly insecure: boolean;
  /** `--timeout` in ms. */
  readonly timeoutMs?: number;
}

/** The outcome of validation. */
export type MigrateValidation =
  | { readonly kind: "run"; readonly options: MigrateOptions; readonly notices: string[] }
  | {
    readonly kind: "exit";
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
  };

/**
 * The `--help` text.
 *
 * @example
 * ```ts
 * import { migrateHelpText } from "./options.ts";
 * migrateHelpText().includes("--dry-run"); // true
 * ```
 */
export function migrateHelpText(): string {
  const lines = [
    `Usage: ${MIGRATE_PROGRAM} --from ESMOND_URL|FILE... --to OPENSEARCH_URL|archive+ARCHIVE_URL [filters] [--state FILE]`,
    `       ${MIGRATE_PROGRAM} --from ESMOND_URL|FILE... --dry-run [filters]`,
    "",
    "Moves esmond history into perfSONAR 5 pscheduler_* documents (one document per run).",
    "",
    "Options:",
  ];
  for (const spec of MIGRATE_OPTION_SPECS) {
    const names = [spec.short ? `-${spec.short}` : "", `--${spec.long}`].filter(Boolean);
    const head = `  ${names.join(", ")}${spec.metavar ? ` ${spec.metavar}` : ""}`;
    lines.push(head.padEnd(34) + (head.length >= 34 ? `\n${"".padEnd(34)}` : "") + spec.help);
  }
  return lines.join("\n") + "\n";
}

function exit(code: number, stdout: string, stderr = ""): MigrateValidation {
  return { kind: "exit", code, stdout, stderr };
}

function usage(reason: string): MigrateValidation {
  return exit(1, "", `${MIGRATE_PROGRAM}: error: ${reason}\n`);
}

/**
 * Parses and validates the arguments.
 *
 * @example
 * ```ts
 * import { validateMigrateArgs } from "./options.ts";
 * const v = validateMigrateArgs(["--from", "http://h:8080", "--dry-run", "-e", "throughput"], new Date(0));
 * v.kind; // "run"
 * ```
 */
export function validateMigrateArgs(args: readonly string[], now: Date): MigrateValidation {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseOptparse(args, MIGRATE_OPTION_SPECS));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usage(error.message);
  }
  if (values.help === true) return exit(0, migrateHelpText());
  const text = (key: string): string | undefined => {
    const value = values[key];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  // Files after `--from FILE` need no flag of their own (`--from exports/*.json`).
  const from = [...((values.from as string[] | undefined) ?? []), ...positionals].filter((f) =>
    f !== ""
  );
  if (from.length === 0) return usage("--from is required (an esmond URL or export files)");
  const dryRun = values.dryRun === true;
  const to = text("to");
  if (to === undefined && !dryRun) return usage("--to is required (or --dry-run)");
  if (to !== undefined && !/^(archive\+)?https?:\/\/[^/]/i.test(to)) {
    return usage(`--to must be an http(s) URL: ${to}`);
  }
  for (const [key, option] of [["src", "--src"], ["dest", "--dest"], ["agent", "--agent"]]) {
    const value = text(key);
    if (value !== undefined && !isHostArg(value)) {
      return usage(`${option} arg had invalid hostname: ${value}`);
    }
  }
  const eventType = text("eventType");
  if (eventType !== undefined && eventTypeInfo(eventType) === undefined) {
    return usage(`${eventType} is not a valid event type`);
  }
  const times: number[] = [];
  for (
    const [key, option, fallback] of [
      ["startTime", "--start-time", 0],
      ["endTime", "--end-time", Math.floor(now.getTime() / 1000)],
    ] as const
  ) {
    const value = text(key);
    if (value === undefined) {
      times.push(fallback);
      continue;
    }
    const date = parseDateText(value, now);
    if (date === null) return usage(`could not parse ${option} arg: ${value}`);
    times.push(Math.floor(date.getTime() / 1000));
  }
  if (times[1] < times[0]) return usage("--end-time is before --start-time");
  const integer = (key: string, fallback: number, min: number, option: string) => {
    const value = (values[key] as number | undefined) ?? fallback;
    return value < min ? `${option} must be at least ${min}` : value;
  };
  const concurrency = integer("concurrency", 4, 1, "--concurrency");
  const rate = values.rate === undefined ? 0 : integer("rate", 0, 1, "--rate");
  const batchSize = integer("batchSize", 2000, 1, "--batch-size");
  for (const v of [concurrency, rate, batchSize]) if (typeof v === "string") return usage(v);
  const filters = parseFilterArgs((values.filter as string[] | undefined) ?? []);
  const timeout = values.timeout as number | undefined;
  return {
    kind: "run",
    notices: filters.messages,
    options: {
      from,
      to,
      dryRun,
      token: text("token"),
      state: text("state"),
      rate: rate as number,
      batchSize: batchSize as number,
      concurrency: concurrency as number,
      noTemplate: values.noTemplate === true,
      source: text("src"),
      destination: text("dest"),
      agent: text("agent"),
      eventType,
      tool: text("tool"),
      start: times[0],
      end: times[1],
      filters,
      verbose: values.verbose === true,
      quiet: values.quiet === true,
      insecure: values.insecure === true,
      timeoutMs: timeout !== undefined && timeout > 0 ? timeout * 1000 : undefined,
    },
  };
}
