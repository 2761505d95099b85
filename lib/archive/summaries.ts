/**
 * The rollups esmond computes on write (spec §4.1): histogram aggregation and the NIST
 * percentile statistics, and the bin a point falls into. Pure functions.
 *
 * @module
 */
import { numberOf, PyNum, PyObject, type PyValue } from "../esmond/py_json/mod.ts";

/**
 * Start of the summary bin holding `ts`: epoch-aligned multiples of `window`, or `ts` itself
 * for window 0.
 *
 * @example
 * ```ts
 * import { binStart } from "./summaries.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(binStart(1398965989, 86400), 1398902400);
 * ```
 */
export function binStart(ts: number, window: number): number {
  return window > 0 ? Math.floor(ts / window) * window : ts;
}

/**
 * Bucket-wise sum `base + sign × add`, keeping the order buckets first appeared in.
 * Buckets that drop to zero after a subtraction are removed.
 *
 * @example
 * ```ts
 * import { mergeHistograms } from "./summaries.ts";
 * import { PyObject } from "../esmond/py_json/mod.ts";
 * import assert from "node:assert/strict";
 * const merged = mergeHistograms(new PyObject([["1", 2]]), new PyObject([["1", 1], ["2", 5]]));
 * assert.deepEqual(merged.entries, [["1", 3], ["2", 5]]);
 * ```
 */
export function mergeHistograms(base: PyObject, add: PyObject, sign: 1 | -1 = 1): PyObject {
  const out = new PyObject(base.entries.map(([k, v]) => [k, numberOf(v) ?? 0]));
  for (const [key, count] of add.entries) {
    const next = (numberOf(out.get(key)) ?? 0) + sign * (numberOf(count) ?? 0);
    out.set(key, next);
  }
  if (sign < 0) {
    return new PyObject(out.entries.filter(([, v]) => typeof v !== "number" || v > 0));
  }
  return out;
}

/**
 * Adds the counts of `add` into `target` in place (new buckets go last), for aggregates that
 * receive many histograms in a row.
 *
 * @example
 * ```ts
 * import { addToHistogram } from "./summaries.ts";
 * import { PyObject } from "../esmond/py_json/mod.ts";
 * const total = new PyObject([["1", 2]]);
 * addToHistogram(total, new PyObject([["1", 1], ["2", 5]])); // total: {"1": 3, "2": 5}
 * ```
 */
export function addToHistogram(target: PyObject, add: PyObject): void {
  for (const [key, count] of add.entries) {
    target.set(key, (numberOf(target.get(key)) ?? 0) + (numberOf(count) ?? 0));
  }
}

interface PercentileState {
  readonly key: string;
  readonly k: number;
  readonly d: number;
  value: number | undefined;
  done: boolean;
}

function percentileState(p: number, size: number): PercentileState {
  const n = (p / 100) * (size + 1);
  const k = Math.floor(n);
  return {
    key: p === 50 ? "median" : `percentile-${p}`,
    k,
    d: n - k,
    value: undefined,
    done: false,
  };
}

// NIST "(N+1)p": the k-th sample, nudged by d toward the (k+1)-th when that lies in the next
// bucket; so a percentile may only settle on the bucket after the one that reached k.
function offer(state: PercentileState, count: number, size: number, bucket: number): void {
  if (state.value !== undefined) {
    state.value += state.d * (bucket - state.value);
    state.done = true;
  } else if (state.k === 0 || (count >= size && state.k >= size) || state.k + state.d < count) {
    state.value = bucket;
    state.done = true;
  } else {
    state.value = bucket;
  }
}

const f = (n: number) => new PyNum(n, true);

/**
 * Statistics of a histogram with numeric bucket names (`{}` when a bucket is not numeric):
 * mode, mean, minimum, maximum, percentile-25, median, percentile-75, percentile-95,
 * variance (population), standard-deviation.
 *
 * @example
 * ```ts
 * import { histogramStatistics } from "./summaries.ts";
 * import { PyObject } from "../esmond/py_json/mod.ts";
 * histogramStatistics(new PyObject([["41.0", 98], ["41.1", 98], ["41.2", 3], ["50.0", 1]]));
 * ```
 */
export function histogramStatistics(histogram: PyObject): PyObject {
  const items: [number, number][] = [];
  let modeKeys: string[] = [];
  let modeCount = -Infinity;
  let meanSum = 0;
  let size = 0;
  for (const [key, countValue] of histogram.entries) {
    const count = countValue as number;
    const trimmed = key.trim();
    const bucket = trimmed === "" ? NaN : Number(trimmed);
    if (Number.isNaN(bucket) && !/^[+-]?nan$/i.test(trimmed)) return new PyObject();
    if (count > modeCount) {
      modeKeys = [key];
      modeCount = count;
    } else if (count === modeCount) {
      modeKeys.push(key);
    }
    meanSum += bucket * count;
    size += count;
    items.push([bucket, count]);
  }
  if (items.length === 0 || size === 0) return new PyObject();
  const mean = meanSum / size;
  items.sort((a, b) => a[0] - b[0]);
  const stats = new PyObject();
  stats.set("mode", modeKeys.map((k) => f(Number(k.trim()))));
  stats.set("mean", f(mean));
  stats.set("minimum", f(items[0][0]));
  stats.set("maximum", f(items[items.length - 1][0]));
  const pending = [25, 50, 75, 95].map((p) => percentileState(p, size));
  let current: PercentileState | undefined = pending.shift();
  let squares = 0;
  let running = 0;
  for (const [bucket, count] of items) {
    squares += Math.pow(bucket - mean, 2) * count;
    running += count;
    while (current !== undefined && running >= current.k) {
      offer(current, running, size, bucket);
      if (!current.done) break;
      stats.set(current.key, f(current.value!));
      current = pending.shift();
    }
  }
  const variance = squares / size;
  stats.set("variance", f(variance));
  stats.set("standard-deviation", f(Math.sqrt(variance)));
  return stats;
}

/**
 * Reads a stored histogram value back (bucket → integer count).
 *
 * @example
 * ```ts
 * import { histogramFrom } from "./summaries.ts";
 * import { parsePyJsonTree } from "../esmond/py_json/mod.ts";
 * histogramFrom(parsePyJsonTree('{"9":1}'));
 * ```
 */
export function histogramFrom(value: PyValue): PyObject {
  const out = new PyObject();
  if (value instanceof PyObject) {
    for (const [k, v] of value.entries) {
      out.set(k, v instanceof PyNum ? v.value : typeof v === "number" ? v : 0);
    }
  }
  return out;
}
