/**
 * Histogram statistics exactly as perfSONAR's `pscheduler_histogram.rb` computes them
 * (spec §2.7.1): buckets sorted by value, population variance, NIST percentiles, all ties
 * of the mode.
 *
 * @module
 */
import type { PyFloat } from "../esmond/py_json/py_float.ts";
import { float, isObject, numberOf } from "./json_value.ts";
import { RubyException } from "./iso_duration.ts";

/** The statistics written under `result.latency` / `result.ttl`. */
export interface HistogramStatistics {
  /** Bucket values ascending and their counts (stored, not indexed). */
  readonly histogram: { values: (number | PyFloat)[]; counts: number[] };
  /** Values of the most populated buckets, ascending. */
  readonly mode: (number | PyFloat)[];
  /** Further statistics by name: mean, min, max, p_25, median, p_75, p_95, variance, stddev. */
  readonly [name: string]: unknown;
}

/**
 * Ruby's `String#to_f`: the leading decimal number of the text, 0.0 when there is none.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { rubyToF } from "./histogram_stats.ts";
 * deepStrictEqual(rubyToF("39.52"), 39.52);
 * deepStrictEqual(rubyToF("abc"), 0);
 * ```
 */
export function rubyToF(text: string): number {
  if (isPlainDecimal(text)) return Number(text);
  const m = /^\s*([+-]?(?:\d+(?:_\d+)*)?(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+)?)/.exec(text);
  if (!m) return 0;
  let t = m[1].replaceAll("_", "");
  // "1e" or "." alone are not numbers: keep the longest numeric prefix.
  while (t !== "" && Number.isNaN(Number(t))) t = t.slice(0, -1);
  const n = Number(t === "" || t === "+" || t === "-" ? "0" : t);
  return Number.isNaN(n) ? 0 : n;
}

// `-?digits(.digits)?`, what every latency bucket looks like: Number reads it as Ruby does.
function isPlainDecimal(text: string): boolean {
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const start = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === start) return false;
  if (i === text.length) return true;
  if (text.charCodeAt(i) !== 46) return false; // '.'
  const fraction = ++i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  return i > fraction && i === text.length;
}

class Percentile {
  value: number | undefined;
  calculated = false;
  readonly k: number;
  readonly d: number;
  readonly key: string;

  constructor(readonly percentile: number, readonly sampleSize: number) {
    const n = (percentile / 100.0) * (sampleSize + 1);
    this.k = Math.floor(n);
    this.d = n - this.k;
    this.key = percentile === 50 ? "median" : `p_${percentile}`;
  }

  find(count: number, value: number): void {
    if (this.value !== undefined) {
      this.value += this.d * (value - this.value);
      this.calculated = true;
    } else if (this.k === 0) {
      this.value = value;
      this.calculated = true;
    } else if (count >= this.sampleSize && this.k >= this.sampleSize) {
      this.value = value;
      this.calculated = true;
    } else if (this.k + this.d < count) {
      this.value = value;
      this.calculated = true;
    } else {
      this.value = value;
    }
  }
}

/**
 * H(h): the statistics of a bucket → count object, or undefined when nothing is written
 * (absent, empty or zero samples). Throws {@linkcode RubyException} where the Ruby script
 * raises (not an object, non-numeric counts).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { histogramStatistics } from "./histogram_stats.ts";
 * const s = histogramStatistics({ "0.10": 2, "0.20": 5, "0.35": 3 })!;
 * deepStrictEqual(s.mean, 0.225);
 * deepStrictEqual(s.p_25, 0.17500000000000002);
 * ```
 */
export function histogramStatistics(
  histogram: unknown,
  quantiles: readonly number[] = [25, 50, 75, 95],
): HistogramStatistics | undefined {
  if (histogram === null || histogram === undefined || histogram === false) return undefined;
  if (!isObject(histogram)) throw new RubyException("undefined method `keys'");
  const buckets = Object.keys(histogram).map((key) => {
    const count = numberOf(histogram[key]);
    if (count === undefined) throw new RubyException(`bad count for bucket ${key}`);
    return { key, value: rubyToF(key), count };
  });
  buckets.sort((a, b) => a.value - b.value);
  const values: (number | PyFloat)[] = [];
  const counts: number[] = [];
  let modeCount = -Infinity;
  let mode: number[] = [];
  let meanNum = 0;
  let sampleSize = 0;
  for (const b of buckets) {
    values.push(float(b.value));
    counts.push(Math.trunc(b.count));
    if (mode.length === 0 || b.count > modeCount) {
      mode = [b.value];
      modeCount = b.count;
    } else if (b.count === modeCount) {
      mode.push(b.value);
    }
    meanNum += b.value * b.count;
    sampleSize += b.count;
  }
  if (sampleSize === 0) return undefined;
  const mean = meanNum / (1.0 * sampleSize);
  const stats: Record<string, unknown> = {
    histogram: { values, counts },
    mode: mode.map(float),
    mean: float(mean),
    min: float(buckets[0].value),
    max: float(buckets[buckets.length - 1].value),
  };
  let sumSquares = 0;
  const pending = quantiles.map((q) => new Percentile(q, sampleSize));
  let current = pending.shift();
  let running = 0;
  for (const b of buckets) {
    sumSquares += ((b.value - mean) ** 2) * b.count;
    running += b.count;
    while (current && running >= current.k) {
      current.find(running, b.value);
      if (!current.calculated) break;
      stats[current.key] = float(current.value!);
      current = pending.shift();
    }
  }
  const variance = sumSquares / sampleSize;
  stats.variance = float(variance);
  stats.stddev = float(Math.sqrt(variance));
  return stats as unknown as HistogramStatistics;
}
