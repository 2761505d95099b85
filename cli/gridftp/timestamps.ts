/**
 * Timestamp parsing for both log formats, to integer microseconds since the epoch so that
 * durations come out exactly as the original's `datetime` arithmetic computes them.
 *
 * @module
 */

const NETLOGGER_DATE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{1,6})$/;

/**
 * Parses a netlogger `DATE`/`START` value (`YYYYmmddHHMMSS.ffffff`, taken as UTC) to epoch
 * microseconds; `undefined` when it is not a valid date of that shape.
 *
 * @example
 * ```ts
 * import { parseNetloggerDate } from "./timestamps.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseNetloggerDate("20150407145936.596363"), 1428418776596363);
 * ```
 */
export function parseNetloggerDate(text: string): number | undefined {
  const m = NETLOGGER_DATE.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day || check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute || check.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  // strptime's %f reads the digits as a left-aligned fraction: ".5" is 500000 µs.
  return ms * 1000 + Number(m[7].padEnd(6, "0"));
}

const EPOCH_TEXT = /^\s*(-?)(\d+)(?:\.(\d*))?\s*$/;

/**
 * Parses a JSON-log epoch timestamp (a number or a numeric string such as `"1795541199.4"`) to
 * epoch microseconds, rounded to the microsecond like `datetime.utcfromtimestamp`;
 * `undefined` when it is not a number.
 *
 * @example
 * ```ts
 * import { parseEpochTimestamp } from "./timestamps.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseEpochTimestamp("1795541199.4"), 1795541199400000);
 * ```
 */
export function parseEpochTimestamp(value: unknown): number | undefined {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    text = value.toFixed(7);
  } else if (typeof value === "string") {
    text = value;
  } else {
    return undefined;
  }
  const m = EPOCH_TEXT.exec(text);
  if (m === null) return undefined;
  const fraction = (m[3] ?? "").padEnd(7, "0");
  let micros = Number(m[2]) * 1_000_000 + Number(fraction.slice(0, 6));
  if (Number(fraction[6]) >= 5) micros += 1;
  if (!Number.isSafeInteger(micros)) return undefined;
  return m[1] === "-" ? -micros : micros;
}

/**
 * Whole epoch seconds of a microsecond timestamp (what the archive is sent as `ts`).
 *
 * @example
 * ```ts
 * import { epochSeconds } from "./timestamps.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(epochSeconds(1795541199400000), 1795541199);
 * ```
 */
export function epochSeconds(micros: number): number {
  return Math.floor(micros / 1_000_000);
}

/**
 * Throughput in bits/s as the original computes it: `8 * nbytes / seconds`, the duration taken
 * at microsecond precision; `undefined` when the duration is not positive.
 *
 * @example
 * ```ts
 * import { throughputBits } from "./timestamps.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(throughputBits(1048576, 2301), 3645635810.517166);
 * ```
 */
export function throughputBits(nbytes: number, durationMicros: number): number | undefined {
  if (!(durationMicros > 0)) return undefined;
  return (8 * nbytes) / (durationMicros / 1_000_000);
}
