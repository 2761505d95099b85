/**
 * The command line shared by the four query tools: the originals' options (same short and long
 * names, defaults and meaning) plus the additions of this project, and the `--help` text.
 *
 * @module
 */

import type { OptionSpec } from "../../lib/args/mod.ts";

export type { OptionKind, OptionSpec } from "../../lib/args/mod.ts";

/**
 * Every option, in `--help` order.
 *
 * @example
 * ```ts
 * import { OPTION_SPECS } from "./spec.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(OPTION_SPECS.find((o) => o.short === "u")?.long, "url");
 * ```
 */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: "help", long: "help", short: "h", kind: "flag", help: "show this help message and exit" },
  {
    key: "url",
    long: "url",
    short: "u",
    kind: "string",
    metavar: "URL",
    help: "URL of the archive to query (http://host:port)",
  },
  {
    key: "src",
    long: "src",
    short: "s",
    kind: "string",
    metavar: "SRC",
    help: "Host originating the test",
  },
  { key: "dest", long: "dest", short: "d", kind: "string", metavar: "DEST", help: "Test endpoint" },
  {
    key: "agent",
    long: "agent",
    short: "a",
    kind: "string",
    metavar: "AGENT",
    help: "Host that initiated the test - useful for central MAs",
  },
  {
    key: "eventType",
    long: "event-type",
    short: "e",
    kind: "string",
    metavar: "EVENT",
    help: "Type of data (-L lists the names)",
  },
  {
    key: "tool",
    long: "tool",
    short: "t",
    kind: "string",
    metavar: "TOOL",
    help: "Tool used to make the measurement (e.g. bwctl/iperf3, owamp/powstream)",
  },
  {
    key: "startTime",
    long: "start-time",
    short: "S",
    kind: "string",
    metavar: "START_TIME",
    help: "Start of the query window (default: 24 hours ago; UTC unless a zone is given)",
  },
  {
    key: "endTime",
    long: "end-time",
    short: "E",
    kind: "string",
    metavar: "END_TIME",
    help: "End of the query window (default: now)",
  },
  {
    key: "filter",
    long: "filter",
    short: "F",
    kind: "string",
    metavar: "FILTER",
    multiple: true,
    help: "key:value filter for the archive, repeatable; unknown keys are free-form filters",
  },
  {
    key: "listEvents",
    long: "list-events",
    short: "L",
    kind: "flag",
    help: "List the valid event types and exit",
  },
  {
    key: "metadataExtended",
    long: "metadata-extended",
    short: "M",
    kind: "flag",
    help: "Show extended metadata (not with csv output)",
  },
  {
    key: "summaryType",
    long: "summary-type",
    short: "T",
    kind: "string",
    metavar: "SUMMARY_TYPE",
    help: "aggregation, average or statistics",
  },
  {
    key: "summaryWindow",
    long: "summary-window",
    short: "W",
    kind: "integer",
    metavar: "SUMMARY_WINDOW",
    help: "Summary window in seconds (default 0)",
  },
  {
    key: "outputFormat",
    long: "output-format",
    short: "o",
    kind: "string",
    metavar: "OUTPUT_FORMAT",
    help: "human, json or csv (default human)",
  },
  {
    key: "outputDirectory",
    long: "output-directory",
    short: "D",
    kind: "string",
    metavar: "OUTPUT_DIRECTORY",
    help: "Directory for the files (default: current directory)",
  },
  {
    key: "ip",
    long: "ip",
    short: "I",
    kind: "flag",
    help: "Show IP addresses instead of resolving host names",
  },
  { key: "verbose", long: "verbose", short: "v", kind: "flag", help: "Debug output on stderr" },
  {
    key: "sslVerify",
    long: "ssl-verify",
    kind: "flag",
    help: "Verify TLS certificates (the default here; kept for compatibility)",
  },
  {
    key: "insecure",
    long: "insecure",
    kind: "flag",
    help: "Do not verify TLS certificates",
  },
  {
    key: "timeout",
    long: "timeout",
    kind: "integer",
    metavar: "TIMEOUT",
    help: "Per-request timeout in seconds (default 30)",
  },
  {
    key: "matchDataTime",
    long: "match-data-time",
    kind: "flag",
    help: "Find metadata by data inside the window, not by last-update time (finds old tests)",
  },
  { key: "quiet", long: "quiet", kind: "flag", help: "No progress display, errors only on stderr" },
  {
    key: "concurrency",
    long: "concurrency",
    kind: "integer",
    metavar: "N",
    help: "Event types downloaded at once (default 4)",
  },
  {
    key: "resume",
    long: "resume",
    kind: "flag",
    help: "Skip files already complete in the output directory",
  },
];

/**
 * The usage line and the line after it, as the originals print them.
 *
 * @example
 * ```ts
 * import { usageText } from "./spec.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(usageText("esmond-ps-get").startsWith("Usage: esmond-ps-get [ -u URL"), true);
 * ```
 */
export function usageText(program: string): string {
  return `Usage: ${program} [ -u URL -s SRC -d DEST | -a AGENT | -e EVENT | -t TOOL | -L | -o FORMAT | -v ]\n` +
    "-S/--start-time and -E/--end-time are read like python-dateutil reads dates, so fairly\n" +
    "flexible with the date formats (UTC unless a zone is given).\n";
}

/** Options only `esmond-ps-get-bulk` has (left out of the other tools' help). */
const BULK_ONLY: ReadonlySet<string> = new Set(["outputDirectory", "concurrency", "resume"]);

/**
 * The options `program`'s help lists: every one but those only another tool has.
 *
 * @example
 * ```ts
 * import { programOptions } from "./spec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(programOptions("esmond-ps-get").some((o) => o.long === "resume"), false);
 * assert.equal(programOptions("esmond-ps-get-bulk").some((o) => o.long === "resume"), true);
 * ```
 */
export function programOptions(program: string): OptionSpec[] {
  return OPTION_SPECS.filter((spec) =>
    program === "esmond-ps-get-bulk" || !BULK_ONLY.has(spec.key)
  );
}

function optionLabel(spec: OptionSpec): string {
  const long = spec.kind === "flag" ? `--${spec.long}` : `--${spec.long}=${spec.metavar}`;
  if (spec.short === undefined) return long;
  return spec.kind === "flag"
    ? `-${spec.short}, ${long}`
    : `-${spec.short} ${spec.metavar}, ${long}`;
}

/**
 * The full `--help` text (usage, then the option list in optparse's layout).
 *
 * @example
 * ```ts
 * import { helpText } from "./spec.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(helpText("esmond-ps-get").includes("--output-format"), true);
 * ```
 */
export function helpText(program: string): string {
  let out = usageText(program) + "\nOptions:\n";
  for (const spec of programOptions(program)) {
    const label = optionLabel(spec);
    out += label.length <= 20
      ? `  ${label.padEnd(22)}${spec.help}\n`
      : `  ${label}\n${" ".repeat(24)}${spec.help}\n`;
  }
  return out;
}
