/**
 * The one parse entry of every tool's command line. Two rule sets, chosen by the tool:
 *
 * - `{ specs, rules: "optparse" }`: Python optparse's rules (prefixes of long names, values
 *   starting with `-`, optparse's error texts), which the query tools' users rely on; the
 *   result is keyed by {@linkcode OptionSpec.key}.
 * - `{ options, allowPositionals }`: `node:util` parseArgs in strict mode, typed by the
 *   options object (the archive, load-gridftp, pipe and the collector).
 *
 * Either way a mistake throws {@linkcode UsageError} with one line naming it (under the strict
 * rules the message is `node:util`'s and `cause` its error).
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { type OptionSpec, type ParsedArgs, parseOptparse } from "./optparse.ts";
import { UsageError } from "./usage_error.ts";

/** Options in `node:util` parseArgs form. */
export type NodeOptions = NonNullable<ParseArgsConfig["options"]>;

/** The command line under optparse's rules. */
export interface OptparseConfig {
  /** Every option. */
  readonly specs: readonly OptionSpec[];
  /** The rule set. */
  readonly rules: "optparse";
}

/** The command line under `node:util` parseArgs' strict rules. */
export interface StrictConfig<T extends NodeOptions, P extends boolean> {
  /** Every option. */
  readonly options: T;
  /** Whether arguments that are not options are kept (default false: refused). */
  readonly allowPositionals?: P;
}

/** What the strict rules return, typed by the options. */
export type StrictResult<T extends NodeOptions, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: P; strict: true }>
>;

/**
 * Parses `args` (without the program name); throws {@linkcode UsageError} on a mistake.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./parse.ts";
 * import { UsageError } from "./usage_error.ts";
 * import assert from "node:assert/strict";
 * const options = { db: { type: "string" }, demo: { type: "boolean", default: false } } as const;
 * const { values, positionals } = parseCommandLine(["seed", "--db", "a.db"], {
 *   options,
 *   allowPositionals: true,
 * });
 * assert.deepEqual({ ...values }, { db: "a.db", demo: false });
 * assert.deepEqual(positionals, ["seed"]);
 * assert.throws(() => parseCommandLine(["--bogus"], { options }), UsageError);
 *
 * const specs = [{ key: "url", long: "url", short: "u", kind: "string", help: "archive" }] as const;
 * assert.equal(parseCommandLine(["--ur=http://h"], { specs, rules: "optparse" }).values.url, "http://h");
 * ```
 */
export function parseCommandLine(args: readonly string[], config: OptparseConfig): ParsedArgs;
/** Parses `args` under `node:util` parseArgs' strict rules. */
export function parseCommandLine<const T extends NodeOptions, const P extends boolean = false>(
  args: readonly string[],
  config: StrictConfig<T, P>,
): StrictResult<T, P>;
export function parseCommandLine(
  args: readonly string[],
  config: OptparseConfig | StrictConfig<NodeOptions, boolean>,
): ParsedArgs | StrictResult<NodeOptions, boolean> {
  if ("rules" in config) return parseOptparse(args, config.specs);
  try {
    return parseArgs({
      args: [...args],
      options: config.options,
      allowPositionals: config.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
