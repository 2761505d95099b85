/**
 * `--start-time`/`--end-time` parsing, as forgiving as python-dateutil's `parse()` is for the
 * originals' users: ISO forms, `January 1 2015`, `Jan 1`, `04/05/2014` (month first), times
 * with a zone suffix. Missing date parts come from today, a missing time is midnight, text
 * without a zone is UTC, the result is truncated to whole seconds. Relative words (`now`,
 * `yesterday`) and bare epoch numbers are refused, like dateutil refuses them.
 *
 * @module
 */
import * as chrono from "chrono-node";

// Relative phrases chrono understands even in strict mode; dateutil has no such notion.
const RELATIVE =
  /\b(in|ago|next|last|this|now|today|tonight|tomorrow|yesterday|later|from|before|after|(second|sec|minute|min|hour|day|week|fortnight|month|year)s?)\b/i;

const MONTHS = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | null {
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // dateutil refuses out-of-range fields instead of rolling them over.
  const ok = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return ok ? date : null;
}

/** Forms dateutil reads that chrono does not: `20140205[T101500]`, `2014`, `March 2014`. */
function compactForm(text: string, now: Date): Date | null | undefined {
  const digits = /^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?$/.exec(text);
  if (digits !== null) {
    const [y, mo, d, h = 0, mi = 0, sec = 0] = digits.slice(1).map((v) => Number(v ?? 0));
    return utc(y, mo, d, h, mi, sec);
  }
  if (/^\d{4}$/.test(text)) {
    return utc(Number(text), now.getUTCMonth() + 1, now.getUTCDate());
  }
  const monthYear = /^([a-z]{3,9})\.?,?\s+(\d{4})$/i.exec(text);
  if (monthYear !== null) {
    const month = MONTHS.indexOf(monthYear[1].slice(0, 3).toLowerCase());
    if (month === -1) return null;
    return utc(Number(monthYear[2]), month + 1, now.getUTCDate());
  }
  return undefined;
}

type Component = "year" | "month" | "day" | "hour" | "minute" | "second";

/**
 * Parses `text` into a UTC `Date` (whole seconds), or returns null when it is not a date.
 *
 * @example
 * ```ts
 * import { parseDateText } from "./dates.ts";
 * import assert from "node:assert/strict";
 * const now = new Date("2026-11-24T18:00:00Z");
 * assert.deepEqual(parseDateText("April 1", now)?.toISOString(), "2026-04-01T00:00:00.000Z");
 * assert.deepEqual(parseDateText("2014-02-05 01:02:03+0200", now)?.toISOString(), "2014-02-04T23:02:03.000Z");
 * assert.deepEqual(parseDateText("yesterday", now), null);
 * ```
 */
export function parseDateText(text: string, now: Date): Date | null {
  // Fractions of a second are truncated anyway; chrono refuses microsecond digits.
  const trimmed = text.trim().replace(/(\d:\d\d)[.,]\d+/, "$1");
  if (trimmed === "" || RELATIVE.test(trimmed)) return null;
  const compact = compactForm(trimmed, now);
  if (compact !== undefined) return compact;
  const results = chrono.strict.parse(trimmed, { instant: now, timezone: 0 });
  // The whole text must be one date, as dateutil without fuzzy mode demands.
  if (results.length !== 1) return null;
  const [result] = results;
  if (result.index !== 0 || result.text.length !== trimmed.length) return null;
  const start = result.start;
  const today: Record<Component, number> = {
    year: now.getUTCFullYear(),
    month: now.getUTCMonth() + 1,
    day: now.getUTCDate(),
    hour: 0,
    minute: 0,
    second: 0,
  };
  const part = (name: Component): number => start.isCertain(name) ? start.get(name)! : today[name];
  const epochMs = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  const offsetMinutes = start.isCertain("timezoneOffset") ? start.get("timezoneOffset")! : 0;
  const date = new Date(epochMs - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}
