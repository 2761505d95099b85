/**
 * Index names from a date pattern (`--index`), pure functions.
 *
 * The pattern's `%Y`, `%m`, `%d` and `%H` are replaced with the UTC fields of the document's own
 * `@timestamp` (not the wall clock), so a document re-sent from the spool days later lands in the
 * same index and overwrites itself instead of appearing twice.
 *
 * @module
 */

/** The default `--index` pattern: one index per UTC day. */
export const DEFAULT_INDEX_PATTERN = "xrd-fstream-%Y.%m.%d";

const TOKEN = /%([YmdH%])/g;

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/**
 * The index a document with this timestamp goes to.
 *
 * @example
 * ```ts
 * import { indexFor } from "./index_name.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(indexFor("xrd-fstream-%Y.%m.%d", new Date("2021-07-13T17:29:22Z")), "xrd-fstream-2021.07.13");
 * ```
 */
export function indexFor(pattern: string, time: Date): string {
  return pattern.replace(TOKEN, (_, token: string) => {
    switch (token) {
      case "Y":
        return pad(time.getUTCFullYear(), 4);
      case "m":
        return pad(time.getUTCMonth() + 1, 2);
      case "d":
        return pad(time.getUTCDate(), 2);
      case "H":
        return pad(time.getUTCHours(), 2);
      default:
        return "%";
    }
  });
}

/**
 * The index a document body goes to: from its `@timestamp`, or `fallback` when that is missing
 * or unreadable.
 *
 * @example
 * ```ts
 * import { indexForBody } from "./index_name.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(indexForBody("x-%Y", { "@timestamp": "2021-07-13T17:29:22Z" }, new Date()), "x-2021");
 * ```
 */
export function indexForBody(
  pattern: string,
  body: Record<string, unknown>,
  fallback: Date,
): string {
  const stamp = body["@timestamp"];
  const time = typeof stamp === "string" || typeof stamp === "number" ? new Date(stamp) : fallback;
  return indexFor(pattern, Number.isNaN(time.getTime()) ? fallback : time);
}

/**
 * The wildcard matching every index the pattern can produce (for the template and the lookup).
 *
 * @example
 * ```ts
 * import { indexWildcard } from "./index_name.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(indexWildcard("xrd-fstream-%Y.%m.%d"), "xrd-fstream-*.*.*");
 * ```
 */
export function indexWildcard(pattern: string): string {
  return pattern.replace(/%[YmdH]/g, "*").replace(/%%/g, "%").replace(/\*+/g, "*");
}

/**
 * Checks an `--index` pattern; returns an error message or `undefined` when usable.
 * Elasticsearch index names must be lower case and free of a few characters.
 *
 * @example
 * ```ts
 * import { checkIndexPattern } from "./index_name.ts";
 * checkIndexPattern("Bad Index"); // an error message
 * ```
 */
export function checkIndexPattern(pattern: string): string | undefined {
  const sample = indexFor(pattern, new Date(0));
  if (sample.length === 0) return "--index must not be empty";
  if (sample !== sample.toLowerCase()) return `--index "${pattern}" must be lower case`;
  if (/[\\/*?"<>| ,#:]/.test(sample)) {
    return `--index "${pattern}" contains a character index names cannot have`;
  }
  if (/^[-_+.]/.test(sample)) return `--index "${pattern}" must not start with - _ + or .`;
  return undefined;
}
