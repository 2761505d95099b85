/**
 * Per-record times: a packet only carries the window `tBeg`…`tEnd`, so a record's likely time
 * is interpolated from its position (spec section 6, the seed's rule).
 *
 * @module
 */
import type { TimeWindow } from "../decode/fstream.ts";

/** The timestamp fields of one record, before they get their `open`/`close` prefix. */
export interface RecordTiming {
  /** Records in the packet (`nRecs[1]`, or the real count if the header undercounts). */
  readonly count: number;
  /** 1-based position of the record after the time record. */
  readonly pos: number;
  readonly tBeg: number;
  readonly tEnd: number;
  /** `floor(tBeg + (tEnd − tBeg) × (pos − 1) / count)`. */
  readonly derived: number;
}

/**
 * The derived time of the record at `pos` of a packet with `recordsSeen` records.
 *
 * @example
 * ```ts
 * import { recordTiming } from "./timestamps.ts";
 * import assert from "node:assert/strict";
 * const window = { xfrCount: 0, recordCount: 6, tBeg: 1626197346, tEnd: 1626197355 };
 * assert.deepEqual(recordTiming(window, 3, 6).derived, 1626197349);
 * ```
 */
export function recordTiming(window: TimeWindow, pos: number, recordsSeen: number): RecordTiming {
  // A header that undercounts would push positions past tEnd; never extrapolate.
  const count = Math.max(window.recordCount, recordsSeen, 1);
  const derived = Math.floor(window.tBeg + ((window.tEnd - window.tBeg) * (pos - 1)) / count);
  return { count, pos, tBeg: window.tBeg, tEnd: window.tEnd, derived };
}

/**
 * ISO-8601 UTC without fractional seconds, as in the seed's documents.
 *
 * @example
 * ```ts
 * import { isoSeconds } from "./timestamps.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(isoSeconds(1626197362), "2021-07-13T17:29:22Z");
 * ```
 */
export function isoSeconds(unixSeconds: number): string {
  const second = Math.floor(unixSeconds);
  // Opens and closes carry their record times, logins the arrival time: a few distinct
  // seconds interleave, so a small direct-mapped cache keeps nearly every call a hit.
  const slot = second & (ISO_SLOTS - 1);
  if (isoSecond[slot] === second) return isoText[slot];
  // Formatting a Date is the costly part; records of a day share the date, so only the time
  // of day is computed for each new second.
  const day = Math.floor(second / 86400);
  if (day !== lastDay) {
    lastDay = day;
    dayPrefix = new Date(day * 86400_000).toISOString().slice(0, 11);
  }
  const inDay = second - day * 86400;
  const h = Math.floor(inDay / 3600);
  const m = Math.floor((inDay % 3600) / 60);
  const s = inDay % 60;
  const text = `${dayPrefix}${h < 10 ? "0" : ""}${h}:${m < 10 ? "0" : ""}${m}:${
    s < 10 ? "0" : ""
  }${s}Z`;
  isoSecond[slot] = second;
  isoText[slot] = text;
  return text;
}

const ISO_SLOTS = 256;
const isoSecond = new Float64Array(ISO_SLOTS).fill(NaN);
const isoText: string[] = new Array(ISO_SLOTS).fill("");
let lastDay = NaN;
let dayPrefix = "";
