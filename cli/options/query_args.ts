/**
 * The query tools' command line through the one parse entry, under optparse's rules.
 *
 * @module
 */
import { parseCommandLine, type ParsedArgs } from "../../lib/args/mod.ts";
import { OPTION_SPECS } from "./spec.ts";

/**
 * Parses the query tools' `args` (without the program name); throws `UsageError` with
 * optparse's reason text.
 *
 * @example
 * ```ts
 * import { parseArgs } from "./query_args.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseArgs(["-u", "http://h:8085", "--output-f=csv", "-IW", "3600"]).values, {
 *   url: "http://h:8085",
 *   outputFormat: "csv",
 *   ip: true,
 *   summaryWindow: 3600,
 * });
 * ```
 */
export function parseArgs(args: readonly string[]): ParsedArgs {
  return parseCommandLine(args, { specs: OPTION_SPECS, rules: "optparse" });
}
