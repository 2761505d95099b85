/**
 * Timestamps as the original tools print them: UTC `YYYY-MM-DD HH:MM:SS`, clamped at the
 * largest date Python's `datetime` handles there.
 *
 * @module
 */

/** The largest `ts` shown as a date (9999-12-29 23:59:59 UTC). */
export const MAX_DISPLAY_EPOCH = 253402127999;

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/**
 * The display text of an epoch-seconds timestamp.
 *
 * @example
 * ```ts
 * import { formatTimestamp } from "./timestamp.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatTimestamp(1391563070), "2014-02-05 01:17:50");
 * assert.deepEqual(formatTimestamp(1e15), "9999-12-29 23:59:59.999999");
 * ```
 */
export function formatTimestamp(tsEpoch: number): string {
  if (tsEpoch > MAX_DISPLAY_EPOCH) return "9999-12-29 23:59:59.999999";
  const seconds = Math.trunc(tsEpoch);
  const day = Math.floor(seconds / 86400);
  // Points come in time order, so the date part is computed once per day, not once per point.
  if (day !== lastDay) {
    lastDay = day;
    lastDayText = formatDay(new Date(day * 86400_000)) + " ";
  }
  const inDay = seconds - day * 86400;
  const minutes = Math.floor(inDay / 60);
  return lastDayText + TWO_DIGITS[Math.floor(minutes / 60)] + ":" + TWO_DIGITS[minutes % 60] +
    ":" + TWO_DIGITS[inDay % 60];
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, n) => pad(n));
let lastDay = NaN;
let lastDayText = "";

/**
 * The `YYYY-MM-DD` (UTC) of a date, as used in bulk file names.
 *
 * @example
 * ```ts
 * import { formatDay } from "./timestamp.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatDay(new Date("2015-03-15T10:00:00Z")), "2015-03-15");
 * ```
 */
export function formatDay(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${
    pad(date.getUTCDate())
  }`;
}
