/**
 * Time-series points as the query side yields them, and the pure parser of one archive data
 * page (`[{"ts":…,"val":…},…]`) into them.
 *
 * @module
 */
import { scanNumericPage } from "./numeric_page.ts";
import { isFloatText, PyFloat } from "./py_json/py_float.ts";
import { parsePyJson } from "./py_json/parse.ts";

/**
 * The largest timestamp the original tools display as a date (9999-12-29 23:59:59 UTC);
 * later `ts` values are clamped to it in {@linkcode DataPoint.ts} (`tsEpoch` stays raw).
 */
export const MAX_EPOCH = 253402127999;

/**
 * One point of a series.
 *
 * @example
 * ```ts
 * import type { DataPoint } from "./data_point.ts";
 * const p: DataPoint = { ts: new Date(0), tsEpoch: 0, val: 325, valIsFloat: true };
 * ```
 */
export interface DataPoint {
  /**
   * The timestamp as a UTC `Date` (clamped at {@linkcode MAX_EPOCH}). Points from
   * {@linkcode parseDataPage} build it on first access and keep it.
   */
  readonly ts: Date;
  /** The timestamp in whole seconds since the epoch, exactly as the archive sent it. */
  readonly tsEpoch: number;
  /**
   * The value as parsed. Integral numbers written as floats *inside* objects and arrays are
   * {@linkcode PyFloat}s; a top-level number stays a plain number (see `valIsFloat`).
   * `null` when the archive sent none.
   */
  readonly val: unknown;
  /** True when `val` is a number the archive wrote as a float (`325.0`, `0.04`, `1e-05`). */
  readonly valIsFloat: boolean;
}

/**
 * A point of a histogram series: `val` maps bucket names (strings, as posted) to counts.
 *
 * @example
 * ```ts
 * import type { DataHistogram } from "./data_point.ts";
 * const h: DataHistogram = { ts: new Date(0), tsEpoch: 0, val: { "34.4": 506 }, valIsFloat: false };
 * ```
 */
export interface DataHistogram extends DataPoint {
  /**
   * Bucket → count, in the archive's order: a plain object, or a `Map` when JS would reorder
   * the (integer-like) bucket names. `orderedEntries(val)` reads either.
   */
  readonly val: Record<string, unknown> | Map<string, unknown>;
}

/**
 * The UTC `Date` of an epoch-seconds timestamp, clamped like the original clients.
 *
 * @example
 * ```ts
 * import { epochToDate } from "./data_point.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(epochToDate(1391563070).toISOString(), "2014-02-05T01:17:50.000Z");
 * ```
 */
export function epochToDate(tsEpoch: number): Date {
  return new Date(Math.min(tsEpoch, MAX_EPOCH) * 1000);
}

/**
 * The points the parser makes. `ts` is a prototype getter that builds its `Date` on first
 * access and keeps it: building a `Date` per point cost about as much as the JSON parse of a
 * numeric page, and the tools read only `tsEpoch`. `toJSON` keeps the serialised form of the
 * former plain objects.
 */
class Point implements DataPoint {
  readonly tsEpoch: number;
  readonly val: unknown;
  readonly valIsFloat: boolean;
  #ts: Date | undefined = undefined;

  constructor(tsEpoch: number, val: unknown, valIsFloat: boolean) {
    this.tsEpoch = tsEpoch;
    this.val = val;
    this.valIsFloat = valIsFloat;
  }

  get ts(): Date {
    return this.#ts ??= epochToDate(this.tsEpoch);
  }

  toJSON(): { ts: Date; tsEpoch: number; val: unknown; valIsFloat: boolean } {
    return { ts: this.ts, tsEpoch: this.tsEpoch, val: this.val, valIsFloat: this.valIsFloat };
  }
}

function makePoint(tsEpoch: number, val: unknown, valIsFloat: boolean): DataPoint {
  return new Point(tsEpoch, val, valIsFloat);
}

// A value that is an object or array: such pages need the exact parse.
const NESTED_VAL = /"val"\s*:\s*[[{]/;
const VAL_NUMBER = /"val"\s*:\s*(-?[0-9][0-9.eE+-]*)/g;

interface RawPoint {
  ts?: unknown;
  val?: unknown;
}

function toEpoch(ts: unknown, index: number): number {
  const n = typeof ts === "number" ? ts : typeof ts === "string" && ts.trim() !== "" ? +ts : NaN;
  if (!Number.isFinite(n)) {
    throw new TypeError(`point ${index} has no numeric ts (${JSON.stringify(ts)})`);
  }
  return Math.trunc(n);
}

function checkArray(parsed: unknown): RawPoint[] {
  if (!Array.isArray(parsed)) throw new TypeError("expected a JSON array of points");
  for (let i = 0; i < parsed.length; i++) {
    const p = parsed[i];
    if (p === null || typeof p !== "object" || Array.isArray(p)) {
      throw new TypeError(`point ${i} is not an object`);
    }
  }
  return parsed as RawPoint[];
}

/** Float flags of the top-level numeric vals, or null when the fast scan cannot be trusted. */
function scanValFloats(text: string, points: RawPoint[]): Uint8Array | null {
  let numeric = 0;
  for (let i = 0; i < points.length; i++) {
    const v = points[i].val;
    if (typeof v === "number") numeric++;
    else if (v !== null && v !== undefined) return null;
  }
  const flags = new Uint8Array(points.length);
  if (numeric === 0) return flags;
  const tokens: string[] = [];
  VAL_NUMBER.lastIndex = 0;
  for (let m = VAL_NUMBER.exec(text); m !== null; m = VAL_NUMBER.exec(text)) tokens.push(m[1]);
  if (tokens.length !== numeric) return null;
  let t = 0;
  for (let i = 0; i < points.length; i++) {
    if (typeof points[i].val === "number") flags[i] = isFloatText(tokens[t++]) ? 1 : 0;
  }
  return flags;
}

function build(points: RawPoint[], flags: Uint8Array | null): DataPoint[] {
  const out = new Array<DataPoint>(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const tsEpoch = toEpoch(p.ts, i);
    let val = p.val === undefined ? null : p.val;
    let valIsFloat = false;
    if (flags !== null) {
      valIsFloat = flags[i] === 1;
    } else if (val instanceof PyFloat) {
      val = val.value;
      valIsFloat = true;
    } else if (typeof val === "number") {
      valIsFloat = !Number.isInteger(val);
    }
    out[i] = new Point(tsEpoch, val, valIsFloat);
  }
  return out;
}

/**
 * Parses one data page. Pages of `{ts, val}` objects with numeric or null values are read in
 * one scan ({@linkcode scanNumericPage}); other numeric pages take `JSON.parse` plus one scan
 * of the number tokens after `"val":`; pages with object or array values go through
 * {@linkcode parsePyJson}: integral floats inside them become {@linkcode PyFloat}, and objects
 * whose integer-like keys JS would reorder (histogram buckets) become `Map`s in the page's order. Throws `SyntaxError` for bad JSON and
 * `TypeError` when the JSON is not an array of `{ts, val}` objects.
 *
 * @example
 * ```ts
 * import { parseDataPage } from "./data_point.ts";
 * import assert from "node:assert/strict";
 * const [p] = parseDataPage('[{"ts":1391563070,"val":5524593445.0}]');
 * assert.deepEqual(p.val, 5524593445);
 * assert.deepEqual(p.valIsFloat, true);
 * ```
 */
export function parseDataPage(text: string): DataPoint[] {
  const plain = scanNumericPage(text, makePoint);
  if (plain !== null) return plain;
  if (!NESTED_VAL.test(text)) {
    const fast = checkArray(JSON.parse(text));
    const flags = scanValFloats(text, fast);
    if (flags !== null) return build(fast, flags);
  }
  return build(checkArray(parsePyJson(text)), null);
}
