/**
 * esmond data points → chart columns: numbers, histogram statistics (minimum, median,
 * maximum) read from a `statistics` summary or computed from a raw histogram. Pure.
 *
 * @module
 */

/** One point as the esmond API returns it. */
export interface ApiPoint {
  /** UNIX seconds. */
  readonly ts: number;
  /** The value (number, object, list). */
  readonly val: unknown;
}

/** The three figures the latency and RTT charts draw. */
export interface SpreadStats {
  /** Smallest sample. */
  readonly minimum: number;
  /** Median sample. */
  readonly median: number;
  /** Largest sample. */
  readonly maximum: number;
}

/**
 * A point's value as a number, or null (failures, non-numeric text, missing).
 *
 * @example
 * ```ts
 * import { numericValue } from "./series_values.ts";
 * if (numericValue("0.5") !== 0.5 || numericValue({}) !== null) throw new Error();
 * ```
 */
export function numericValue(val: unknown): number | null {
  if (typeof val === "number") return Number.isFinite(val) ? val : null;
  if (typeof val === "string" && val.trim() !== "") {
    const n = Number(val);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * Minimum, median and maximum of a value that is either a `statistics` summary object
 * (`{minimum, median, maximum, …}`) or a raw histogram (`{"bucket": count, …}`).
 *
 * @example
 * ```ts
 * import { spreadStats } from "./series_values.ts";
 * const s = spreadStats({ "10.0": 1, "11.0": 2, "15.0": 1 })!;
 * if (s.minimum !== 10 || s.median !== 11 || s.maximum !== 15) throw new Error();
 * ```
 */
export function spreadStats(val: unknown): SpreadStats | null {
  if (val === null || typeof val !== "object" || Array.isArray(val)) return null;
  const record = val as Record<string, unknown>;
  if ("median" in record || "minimum" in record) {
    const minimum = numericValue(record.minimum);
    const median = numericValue(record.median);
    const maximum = numericValue(record.maximum);
    if (minimum === null || median === null || maximum === null) return null;
    return { minimum, median, maximum };
  }
  const buckets: [number, number][] = [];
  let total = 0;
  for (const [key, count] of Object.entries(record)) {
    const bucket = Number(key);
    const n = numericValue(count);
    if (!Number.isFinite(bucket) || n === null || n <= 0) continue;
    buckets.push([bucket, n]);
    total += n;
  }
  if (total === 0) return null;
  buckets.sort((a, b) => a[0] - b[0]);
  const half = total / 2;
  let running = 0;
  let median = buckets[buckets.length - 1][0];
  for (const [bucket, n] of buckets) {
    running += n;
    if (running >= half) {
      median = bucket;
      break;
    }
  }
  return { minimum: buckets[0][0], median, maximum: buckets[buckets.length - 1][0] };
}

/** Column-wise series for a chart: times and one value list per figure. */
export interface Columns {
  /** UNIX seconds, ascending. */
  readonly ts: number[];
  /** Values by figure name, each as long as `ts`. */
  readonly values: Record<string, (number | null)[]>;
}

/**
 * Splits API points into columns with `pick`, which names the figures of one value.
 *
 * @example
 * ```ts
 * import { columnsOf, numericValue } from "./series_values.ts";
 * const c = columnsOf([{ ts: 1, val: 5 }, { ts: 2, val: 7 }], (v) => ({ value: numericValue(v) }));
 * if (c.ts.length !== 2 || c.values.value[1] !== 7) throw new Error();
 * ```
 */
export function columnsOf(
  points: readonly ApiPoint[],
  pick: (val: unknown) => Record<string, number | null>,
): Columns {
  const ts: number[] = [];
  const values: Record<string, (number | null)[]> = {};
  for (const point of points) {
    const figures = pick(point.val);
    const at = ts.length;
    ts.push(point.ts);
    for (const [name, value] of Object.entries(figures)) {
      (values[name] ??= new Array(at).fill(null)).push(value);
    }
    for (const list of Object.values(values)) if (list.length < ts.length) list.push(null);
  }
  return { ts, values };
}
