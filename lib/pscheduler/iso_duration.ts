/**
 * ISO 8601 durations as the two originals read them: Logstash's Ruby script (spec §2.5,
 * float seconds, no years/months/weeks/repeats) and pScheduler's Python
 * (`iso8601_as_timedelta(...).total_seconds()`, microsecond resolution, weeks allowed).
 *
 * @module
 */

/** Thrown when the Ruby script would raise (a non-string value): the event gets `_rubyexception`. */
export class RubyException extends Error {}

// Ruby's ^ and $ are line anchors that know only \n as a line end (JavaScript's multiline
// flag would also take \r, U+2028 and U+2029), hence the explicit look-arounds.
const RUBY_DURATION =
  /(?:^|(?<=\n))(R(\d+)?)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?(?=\n|$)/;

/**
 * Logstash's D(v): seconds as a float, or undefined when `v` is null/absent or not a
 * convertible duration (the field then stays as it is). Throws {@linkcode RubyException} for a
 * value that is not a string.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { rubyDurationSeconds } from "./iso_duration.ts";
 * deepStrictEqual(rubyDurationSeconds("PT1H2M3.5S"), 3723.5);
 * deepStrictEqual(rubyDurationSeconds("P2W"), undefined);
 * ```
 */
export function rubyDurationSeconds(value: unknown): number | undefined {
  // Only nil is passed over; false is a value like any other non-string (spec §2.5).
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string") {
    throw new RubyException(`no implicit conversion of ${typeof value} into String`);
  }
  const m = RUBY_DURATION.exec(value);
  if (!m || m[1] !== undefined || m[3] !== undefined || m[4] !== undefined) return undefined;
  let total = 0.0;
  total += m[8] !== undefined ? Number(m[8]) : 0;
  total += m[7] !== undefined ? Number(m[7]) * 60 : 0;
  total += m[6] !== undefined ? Number(m[6]) * 3600 : 0;
  total += m[5] !== undefined ? Number(m[5]) * 86400 : 0;
  return total;
}

const PY_DURATION =
  /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

function micros(text: string | undefined, unitSeconds: number): number {
  if (text === undefined) return 0;
  return Number(text.replace(",", ".")) * unitSeconds * 1e6;
}

/**
 * pScheduler's seconds of an ISO 8601 duration (a Python `timedelta`: rounded to whole
 * microseconds), or undefined when it cannot be read (years, months, junk).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { pythonDurationSeconds } from "./iso_duration.ts";
 * deepStrictEqual(pythonDurationSeconds("PT19S"), 19);
 * deepStrictEqual(pythonDurationSeconds("PT0.0000004S"), 0);
 * ```
 */
export function pythonDurationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = PY_DURATION.exec(value.trim());
  if (!m || value.trim() === "P" || value.trim().endsWith("T")) return undefined;
  const total = micros(m[1], 604800) + micros(m[2], 86400) + micros(m[3], 3600) +
    micros(m[4], 60) + micros(m[5], 1);
  // timedelta rounds to the microsecond, half to even.
  const floor = Math.floor(total);
  const frac = total - floor;
  const us = frac > 0.5 || (frac === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return us / 1e6;
}
