/**
 * Number and time text of the graphs page: SI units, percentages, UTC with the local time.
 * Pure.
 *
 * @module
 */

const PREFIXES = ["", "k", "M", "G", "T", "P"];

/**
 * A value with an SI prefix, e.g. `4.2 Gbit/s`.
 *
 * @example
 * ```ts
 * import { si } from "./format.ts";
 * if (si(4.2e9, "bit/s") !== "4.2 Gbit/s") throw new Error(si(4.2e9, "bit/s"));
 * ```
 */
export function si(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  let scaled = Math.abs(value);
  let i = 0;
  while (scaled >= 1000 && i < PREFIXES.length - 1) {
    scaled /= 1000;
    i++;
  }
  const digits = scaled >= 100 ? 0 : scaled >= 10 ? 1 : scaled === 0 ? 0 : 2;
  const text = String(Number((Math.sign(value) * scaled).toFixed(digits)));
  return `${text} ${PREFIXES[i]}${unit}`;
}

/**
 * A fraction as a percentage with enough digits for small losses.
 *
 * @example
 * ```ts
 * import { percent } from "./format.ts";
 * if (percent(0.0012) !== "0.12 %") throw new Error(percent(0.0012));
 * ```
 */
export function percent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "–";
  const p = fraction * 100;
  const digits = p === 0 ? 0 : p < 1 ? 2 : 1;
  return `${p.toFixed(digits)} %`;
}

/**
 * UNIX seconds as `YYYY-MM-DD HH:MM:SS UTC`.
 *
 * @example
 * ```ts
 * import { utcText } from "./format.ts";
 * if (utcText(0) !== "1970-01-01 00:00:00 UTC") throw new Error(utcText(0));
 * ```
 */
export function utcText(ts: number): string {
  return `${new Date(ts * 1000).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * UNIX seconds in the browser's local time zone, e.g. `2026-12-02 06:00:00 GMT+1`.
 *
 * @example
 * ```ts
 * import { localText } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(localText(0, "UTC"), "1970-01-01 00:00:00 UTC");
 * ```
 */
export function localText(ts: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).formatToParts(new Date(ts * 1000));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${
    get("second")
  } ${get("timeZoneName")}`;
}

/**
 * The UTC time with the local time after it, as the charts' legends and tooltips show it.
 *
 * @example
 * ```ts
 * import { utcWithLocal } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(utcWithLocal(0, "UTC"), "1970-01-01 00:00:00 UTC (local 1970-01-01 00:00:00 UTC)");
 * ```
 */
export function utcWithLocal(ts: number, timeZone?: string): string {
  return `${utcText(ts)} (local ${localText(ts, timeZone)})`;
}
