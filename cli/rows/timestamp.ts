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
 * formatTimestamp(1391563070); // "2014-02-05 01:17:50"
 * formatTimestamp(1e15); // "9999-12-29 23:59:59.999999"
 * ```
 */
export function formatTimestamp(tsEpoch: number): string {
  if (tsEpoch > MAX_DISPLAY_EPOCH) return "9999-12-29 23:59:59.999999";
  const d = new Date(Math.trunc(tsEpoch) * 1000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * The `YYYY-MM-DD` (UTC) of a date, as used in bulk file names.
 *
 * @example
 * ```ts
 * import { formatDay } from "./timestamp.ts";
 * formatDay(new Date("2015-03-15T10:00:00Z")); // "2015-03-15"
 * ```
 */
export function formatDay(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${
    pad(date.getUTCDate())
  }`;
}
