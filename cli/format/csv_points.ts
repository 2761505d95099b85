/**
 * The csv rows of the two bulk families (numeric values, histograms without `-T statistics`)
 * written straight into bytes: the cells that are the same for the whole series are rendered
 * once, the timestamp and integer values go in as digits, and no row object or row string is
 * built per point. The bytes are those of `pointRows` + the csv renderer; any point of
 * another shape is left to that generic path (see `CsvRenderer.writePoints`).
 *
 * @module
 */
import type { ByteBuffer } from "./byte_buffer.ts";
import { type PointLike, PREFIX_COLUMNS, type SeriesContext } from "./data_rows.ts";
import { PyFloat, pyFloatRepr, pyNumber } from "./py_text.ts";
import { formatTimestamp, MAX_DISPLAY_EPOCH } from "./timestamp.ts";

const encoder = new TextEncoder();

// Keys whose repr is `'key'` and whose csv text needs no quoting of its own.
const PLAIN_KEY = /^[\x20\x21\x23-\x26\x28-\x2b\x2d-\x5b\x5d-\x7e]*$/;

// Integers this small print the same as digits and (when written as floats) digits + `.0`.
const DIGITS_LIMIT = 1e15;

/**
 * Writes the csv rows of one series' points into bytes, for the series layouts it knows.
 *
 * @example
 * ```ts
 * import { ByteBuffer } from "./byte_buffer.ts";
 * import { CsvPointLayout } from "./csv_points.ts";
 * import { seriesColumns } from "./data_rows.ts";
 * import assert from "node:assert/strict";
 * const context = {
 *   source: "a", destination: "b", eventType: "throughput", tool: "t", summaryType: "base",
 *   summaryWindow: 0, bucketWidth: null, family: "numeric" as const, statistics: false,
 *   humanTrace: false, hostName: (a: string) => a,
 * };
 * const layout = CsvPointLayout.create(context, seriesColumns(context)!, (_k, v) => String(v));
 * const out = new ByteBuffer();
 * assert.ok(layout?.write({ tsEpoch: 1391563070, val: 5524593445, valIsFloat: true }, out));
 * assert.equal(new TextDecoder().decode(out.view()), "a,b,throughput,t,base,0,2014-02-05 01:17:50,5524593445.0\r\n");
 * ```
 */
export class CsvPointLayout {
  // The cells before the timestamp, each followed by its comma.
  readonly #head: Uint8Array;
  // Histograms: `,bucket,` between timestamp and value; numeric: `,`.
  readonly #middle: Uint8Array;
  readonly #histogram: boolean;
  readonly #cell: (key: string, value: unknown) => string;
  #day = NaN;
  #dayText: Uint8Array = new Uint8Array(0);

  private constructor(
    head: string,
    middle: string,
    histogram: boolean,
    cell: (key: string, value: unknown) => string,
  ) {
    this.#head = encoder.encode(head);
    this.#middle = encoder.encode(middle);
    this.#histogram = histogram;
    this.#cell = cell;
  }

  /**
   * The layout of `context`'s rows under `columns`, or undefined when it is not one of the
   * fast layouts. `cell` is the renderer's own text of a csv cell (quoted when needed).
   */
  static create(
    context: SeriesContext,
    columns: readonly string[],
    cell: (key: string, value: unknown) => string,
  ): CsvPointLayout | undefined {
    const histogram = context.family === "histogram" && !context.statistics;
    if (context.family !== "numeric" && !histogram) return undefined;
    const expected = [...PREFIX_COLUMNS, ...(histogram ? ["bucket", "value"] : ["value"])];
    if (columns.length !== expected.length || columns.some((c, i) => c !== expected[i])) {
      return undefined;
    }
    const fixed: unknown[] = [
      context.source,
      context.destination,
      context.eventType,
      context.tool,
      context.summaryType,
      context.summaryWindow,
    ];
    const head = fixed.map((value, i) => cell(PREFIX_COLUMNS[i], value) + ",").join("");
    const middle = histogram ? "," + cell("bucket", context.bucketWidth) + "," : ",";
    return new CsvPointLayout(head, middle, histogram, cell);
  }

  /** Writes the row of `point`; false (nothing written) when the point needs the generic path. */
  write(point: PointLike, out: ByteBuffer): boolean {
    const val = point.val;
    if (this.#histogram) {
      if (!isDict(val)) return false;
    } else if (val !== null && val !== undefined && typeof val !== "number") {
      return false;
    }
    out.bytes(this.#head);
    this.#timestamp(point.tsEpoch, out);
    out.bytes(this.#middle);
    if (this.#histogram) {
      if (!this.#dict(val as Map<string, unknown> | Record<string, unknown>, out)) {
        out.ascii(this.#cell("value", val));
      }
    } else if (typeof val === "number") numberCell(val, point.valIsFloat === true, out);
    out.byte(13);
    out.byte(10);
    return true;
  }

  // `'key': ` bytes of the bucket names seen (histograms repeat theirs from point to point).
  readonly #keys = new Map<string, Uint8Array | null>();

  // The csv cell of a histogram dict, `"{'41.00': 98, '41.10': 2}"`, written as bytes when
  // every key is plain (printable ASCII without `'`, `"`, `,`, `\`, so repr and csv add
  // nothing but the quotes seen here) and every value a number; false (nothing written) for
  // anything else, which then takes the generic text.
  #dict(val: Map<string, unknown> | Record<string, unknown>, out: ByteBuffer): boolean {
    const keys = val instanceof Map ? [...val.keys()] : Object.keys(val);
    const values = val instanceof Map ? [...val.values()] : undefined;
    const parts: Uint8Array[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      let part = this.#keys.get(key);
      if (part === undefined) {
        part = PLAIN_KEY.test(key) ? encoder.encode(`'${key}': `) : null;
        // Bucket names are few; a series of ever new names must not grow the cache unbounded.
        if (this.#keys.size >= 4096) this.#keys.clear();
        this.#keys.set(key, part);
      }
      if (part === null) return false;
      const value = values === undefined ? (val as Record<string, unknown>)[key] : values[i];
      if (typeof value !== "number" && !(value instanceof PyFloat)) return false;
      parts.push(part);
    }
    // Python's csv module quotes the cell because of the `, ` between entries.
    const quoted = keys.length >= 2;
    if (quoted) out.byte(34);
    out.byte(123);
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) {
        out.byte(44);
        out.byte(32);
      }
      out.bytes(parts[i]);
      const value = values === undefined ? (val as Record<string, unknown>)[keys[i]] : values[i];
      if (typeof value === "number") {
        if (Number.isInteger(value) && value >= 0 && value < DIGITS_LIMIT) out.digits(value);
        else out.ascii(pyNumber(value));
      } else out.ascii(pyFloatRepr((value as PyFloat).value));
    }
    out.byte(125);
    if (quoted) out.byte(34);
    return true;
  }

  // formatTimestamp's text: the `YYYY-MM-DD ` part once per day, the time as digits.
  #timestamp(tsEpoch: number, out: ByteBuffer): void {
    if (tsEpoch > MAX_DISPLAY_EPOCH || !Number.isInteger(tsEpoch)) {
      out.ascii(formatTimestamp(tsEpoch));
      return;
    }
    const day = Math.floor(tsEpoch / 86400);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayText = encoder.encode(formatTimestamp(day * 86400).slice(0, 11));
    }
    out.bytes(this.#dayText);
    const inDay = tsEpoch - day * 86400;
    const minutes = Math.floor(inDay / 60);
    out.twoDigits(Math.floor(minutes / 60));
    out.byte(58);
    out.twoDigits(minutes % 60);
    out.byte(58);
    out.twoDigits(inDay - minutes * 60);
  }
}

// The value cell of a numeric row: pyNumber, or pyFloatRepr when the archive wrote a float.
function numberCell(value: number, isFloat: boolean, out: ByteBuffer): void {
  if (Number.isInteger(value) && value >= 1 && value < DIGITS_LIMIT) {
    out.digits(value);
    if (isFloat) {
      out.byte(46);
      out.byte(48);
    }
    return;
  }
  out.ascii(isFloat && Number.isInteger(value) ? pyFloatRepr(value) : pyNumber(value));
}

// A histogram value the generic path prints as a Python dict.
function isDict(value: unknown): boolean {
  if (value instanceof Map) return true;
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype;
}
