/**
 * Command-line parsing with Python optparse's rules, which the originals' users rely on:
 * `--opt=value` and `--opt value`, clustered short flags (`-IvL`), a short option's value glued
 * on (`-ojson`) or in the next argument even when it starts with `-`, unique prefixes of long
 * names (`--out csv`), and optparse's error texts. `node:util` parseArgs follows other rules
 * (no prefixes, values starting with `-` refused), hence this small parser.
 *
 * @module
 */
import { UsageError } from "./usage_error.ts";

/** How an option takes its value. */
export type OptionKind = "string" | "integer" | "flag";

/** One command-line option. */
export interface OptionSpec {
  /** Property name in the parsed result. */
  readonly key: string;
  /** Long name without dashes. */
  readonly long: string;
  /** Short letter, if any. */
  readonly short?: string;
  /** Value kind. */
  readonly kind: OptionKind;
  /** Placeholder shown in the help. */
  readonly metavar?: string;
  /** Help text. */
  readonly help: string;
  /** Repeatable (values collected in a list). */
  readonly multiple?: boolean;
}

/** The parsed command line, before validation. */
export interface ParsedArgs {
  /** Values by {@linkcode OptionSpec.key}: strings, integers, `true` or string lists. */
  readonly values: Record<string, string | number | boolean | string[]>;
  /** Arguments that are not options (ignored by the tools, as by the originals). */
  readonly positionals: string[];
}

const INTEGER = /^\s*[+-]?\d+(_\d+)*\s*$/;

function findLong(name: string, specs: readonly OptionSpec[]): OptionSpec {
  const exact = specs.find((spec) => spec.long === name);
  if (exact !== undefined) return exact;
  const matches = specs.filter((spec) => spec.long.startsWith(name));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new UsageError(`no such option: --${name}`);
  const names = matches.map((spec) => `--${spec.long}`).join(", ");
  throw new UsageError(`ambiguous option: --${name} (${names}?)`);
}

function store(
  values: ParsedArgs["values"],
  spec: OptionSpec,
  typed: string,
  value: string | undefined,
): void {
  if (spec.kind === "flag") {
    values[spec.key] = true;
  } else if (spec.kind === "integer") {
    if (!INTEGER.test(value!)) {
      throw new UsageError(`option ${typed}: invalid integer value: '${value}'`);
    }
    values[spec.key] = Number(value!.replaceAll("_", ""));
  } else if (spec.multiple) {
    const list = (values[spec.key] as string[] | undefined) ?? [];
    list.push(value!);
    values[spec.key] = list;
  } else {
    values[spec.key] = value!;
  }
}

/**
 * Parses `args` (without the program name). Throws {@linkcode UsageError} with optparse's reason text.
 *
 * @example
 * ```ts
 * import { parseOptparse } from "./optparse.ts";
 * import assert from "node:assert/strict";
 * const specs = [
 *   { key: "url", long: "url", short: "u", kind: "string", help: "archive" },
 *   { key: "outputFormat", long: "output-format", short: "o", kind: "string", help: "format" },
 *   { key: "ip", long: "ip", short: "I", kind: "flag", help: "addresses" },
 *   { key: "summaryWindow", long: "summary-window", short: "W", kind: "integer", help: "s" },
 * ] as const;
 * assert.deepEqual(parseOptparse(["-u", "http://h:8085", "--out=csv", "-IW", "3600"], specs).values, {
 *   url: "http://h:8085",
 *   outputFormat: "csv",
 *   ip: true,
 *   summaryWindow: 3600,
 * });
 * ```
 */
export function parseOptparse(
  args: readonly string[],
  specs: readonly OptionSpec[],
): ParsedArgs {
  const values: ParsedArgs["values"] = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = findLong(name, specs);
      const typed = `--${spec.long}`;
      if (spec.kind === "flag") {
        if (eq !== -1) throw new UsageError(`${typed} option does not take a value`);
        store(values, spec, typed, undefined);
        continue;
      }
      let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
      if (value === undefined) {
        if (i + 1 >= args.length) throw new UsageError(`${typed} option requires 1 argument`);
        value = args[++i];
      }
      store(values, spec, typed, value);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const spec = specs.find((s) => s.short === letter);
        if (spec === undefined) throw new UsageError(`no such option: -${letter}`);
        const typed = `-${letter}`;
        if (spec.kind === "flag") {
          store(values, spec, typed, undefined);
          continue;
        }
        let value = arg.slice(j + 1);
        if (value === "") {
          if (i + 1 >= args.length) {
            throw new UsageError(`${typed} option requires 1 argument`);
          }
          value = args[++i];
        }
        store(values, spec, typed, value);
        break;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { values, positionals };
}
