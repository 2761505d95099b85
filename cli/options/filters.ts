/**
 * `-F key:value` arguments. Keys of the library's filter object are accepted with underscores
 * or dashes; any other key is passed to the archive as a free-form metadata filter (the
 * original dropped them). Values may contain `:` (split at the first one). Malformed arguments
 * are reported with the original's text; the query tools refuse them as usage errors.
 *
 * @module
 */
import { SUBJECT_FIELDS } from "../../lib/esmond/subject.ts";

/** The filter keys that map to named search fields (underscore spelling). */
export const KNOWN_FILTER_KEYS: readonly string[] = Object.freeze([
  ...SUBJECT_FIELDS.map((field) => field.replaceAll("-", "_")),
  "event_type",
  "subject_type",
  "summary_type",
  "summary_window",
  "metadata_key",
  "time",
  "time_start",
  "time_end",
  "time_range",
]);

/** Keys of the original's filter object that are settings, not filters: refused. */
const INTERNAL_KEYS = new Set(["verbose", "timeout", "ssl_verify", "auth_username", "auth_apikey"]);

const TIME_KEYS = new Set(["time", "time_start", "time_end", "time_range"]);

/** The outcome of reading the `-F` arguments. */
export interface FilterArgs {
  /** Named filters by underscore key (time values as integers). */
  readonly known: Record<string, string | number>;
  /** Free-form archive filters by their dashed archive name, in argument order. */
  readonly freeform: Record<string, string>;
  /** One line per malformed argument, in the original's wording (a usage error). */
  readonly messages: string[];
}

/**
 * Reads the `-F` arguments.
 *
 * @example
 * ```ts
 * import { parseFilterArgs } from "./filters.ts";
 * import assert from "node:assert/strict";
 * const f = parseFilterArgs(["input-source:lbl-pt1.es.net", "ip-transport-protocol:tcp", "x"]);
 * assert.deepEqual(f.known, { input_source: "lbl-pt1.es.net" });
 * assert.deepEqual(f.freeform, { "ip-transport-protocol": "tcp" });
 * assert.deepEqual(f.messages, ["--filter arg x should be of the format key:value"]);
 * ```
 */
export function parseFilterArgs(args: readonly string[]): FilterArgs {
  const known: Record<string, string | number> = {};
  const freeform: Record<string, string> = {};
  const messages: string[] = [];
  for (const arg of args) {
    const colon = arg.indexOf(":");
    if (colon === -1) {
      messages.push(`--filter arg ${arg} should be of the format key:value`);
      continue;
    }
    const rawKey = arg.slice(0, colon).trim();
    const value = arg.slice(colon + 1);
    const key = rawKey.replaceAll("-", "_");
    if (rawKey === "" || INTERNAL_KEYS.has(key)) {
      messages.push(`--filter arg ${key} is not a valid filtering value`);
      continue;
    }
    if (!KNOWN_FILTER_KEYS.includes(key)) {
      freeform[rawKey.replaceAll("_", "-")] = value;
      continue;
    }
    if (TIME_KEYS.has(key)) {
      const seconds = Math.trunc(Number(value));
      if (value.trim() === "" || !Number.isFinite(seconds)) {
        messages.push(`--filter arg ${key} is not a valid filtering value`);
        continue;
      }
      known[key] = seconds;
    } else {
      known[key] = value;
    }
  }
  return { known, freeform, messages };
}
