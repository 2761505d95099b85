/**
 * Derived transfer statistics of a closed file (the seed's `xrd_derived_*` fields), plus the
 * standard deviations of request sizes the SSQ block makes possible.
 *
 * @module
 */
import type { OpsBlock, SsqBlock, XfrTotals } from "../decode/fstream.ts";

/** Input of {@linkcode deriveStats}. */
export interface DeriveInput {
  /** Derived open time (s). */
  readonly openTime: number;
  /** Derived close time (s). */
  readonly closeTime: number;
  readonly xfr: XfrTotals;
}

/**
 * The seed's derived fields. Per-record times have one-second resolution, so a transfer whose
 * open and close land in the same second gets `xrd_derived_duration` 0 and its rates are
 * computed over 1 s (a lower bound) instead of dividing by zero; negative spans are treated
 * the same way.
 *
 * @example
 * ```ts
 * import { deriveStats } from "./derive.ts";
 * import assert from "node:assert/strict";
 * const stats = deriveStats({
 *   openTime: 1626197349, closeTime: 1626197362,
 *   xfr: { read: 1073741824, readv: 0, write: 0 },
 * });
 * assert.deepEqual(stats.xrd_derived_read_rate, 82595524.92307693);
 * ```
 */
export function deriveStats(input: DeriveInput): Record<string, number | boolean> {
  const { read, readv, write } = input.xfr;
  const duration = input.closeTime - input.openTime;
  const over = duration > 0 ? duration : 1;
  const readTotal = read + readv;
  const total = readTotal + write;
  return {
    xrd_derived_duration: duration,
    xrd_derived_write_rate: write / over,
    xrd_derived_read_rate: read / over,
    xrd_derived_readv_rate: readv / over,
    xrd_derived_read_total_bytes: readTotal,
    xrd_derived_read_total_rate: readTotal / over,
    xrd_derived_total_bytes: total,
    xrd_derived_data_transferred: total > 0,
    xrd_derived_is_write: write > 0,
    xrd_derived_is_read: read > 0,
    xrd_derived_is_readv: readv > 0,
  };
}

/**
 * The standard deviation of `count` values from their sum and sum of squares, or undefined
 * without values or without a sum of squares (the server reports SSQ 0 for pgread/pgwrite).
 *
 * @example
 * ```ts
 * import { stddev } from "./derive.ts";
 * stddev(10, 4, 2); // 1 (values 1 and 3)
 * ```
 */
export function stddev(sumSquares: number, sum: number, count: number): number | undefined {
  if (count <= 0 || sumSquares <= 0) return undefined;
  const mean = sum / count;
  const variance = sumSquares / count - mean * mean;
  // Rounding can make a zero variance slightly negative.
  return Math.sqrt(Math.max(0, variance));
}

/**
 * Standard deviations of read, readv and write request sizes and of readv segment counts from
 * the Ops and SSQ blocks. A kind is left out when it had no requests, or when pgread/pgwrite
 * left no sums of squares (the server reports SSQ 0 then, spec 8.1).
 *
 * @example
 * ```ts
 * import { deriveSpread } from "./derive.ts";
 * import assert from "node:assert/strict";
 * const ops = { read: 2, readv: 0, write: 0, rsMin: 0, rsMax: 0, rsegs: 0, rdMin: 1, rdMax: 3,
 *   rvMin: 0, rvMax: 0, wrMin: 0, wrMax: 0 };
 * assert.deepEqual(deriveSpread({ read: 4, readv: 0, write: 0 }, ops, { read: 10, readv: 0, rsegs: 0, write: 0 }), { xrd_derived_read_size_stddev: 1 });
 * ```
 */
export function deriveSpread(
  xfr: XfrTotals,
  ops: OpsBlock,
  ssq: SsqBlock,
): Record<string, number> {
  const out: Record<string, number> = {};
  const read = stddev(ssq.read, xfr.read, ops.read);
  if (read !== undefined) out.xrd_derived_read_size_stddev = read;
  const readv = stddev(ssq.readv, xfr.readv, ops.readv);
  if (readv !== undefined) out.xrd_derived_readv_size_stddev = readv;
  const segs = stddev(ssq.rsegs, ops.rsegs, ops.readv);
  if (segs !== undefined) out.xrd_derived_readv_segs_stddev = segs;
  const write = stddev(ssq.write, xfr.write, ops.write);
  if (write !== undefined) out.xrd_derived_write_size_stddev = write;
  return out;
}
