/**
 * Histogram points of one write request: base points are written at once (a point at the same
 * second is replaced), while aggregated histograms and windowed statistics are kept in memory
 * per summary bin and written once at the end. Reading, merging and re-serialising a daily
 * aggregate of hundreds of buckets for every minute point would otherwise dominate a bulk write.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { EventTypeRow } from "./metadata_store.ts";
import { getPoint, putPoint } from "./points_table.ts";
import { parsePyJsonTree, type PyObject, stringifyPyJsonTree } from "../esmond/py_json/mod.ts";
import {
  addToHistogram,
  binStart,
  histogramFrom,
  histogramStatistics,
  mergeHistograms,
} from "./summaries.ts";
import type { SummaryMemo } from "./summary_memo.ts";

interface AggregateState {
  readonly row: EventTypeRow;
  readonly bin: number;
  histogram: PyObject;
}

interface StatisticsState {
  readonly row: EventTypeRow;
  readonly bin: number;
  /** The aggregate of the same window and bin, read at flush time (its final state). */
  readonly aggregateKey?: string;
  /** Otherwise the newest histogram of the bin. */
  readonly histogram?: PyObject;
}

/** Collects histogram points and writes their summaries in {@linkcode HistogramBatch.flush}. */
export class HistogramBatch {
  readonly #aggregates = new Map<string, AggregateState>();
  readonly #statistics = new Map<string, StatisticsState>();

  /**
   * `memo`: aggregates written by earlier transactions of the same writer, used instead of
   * reading them back, and told every aggregate written.
   *
   * @example `new HistogramBatch()`
   */
  constructor(readonly memo?: SummaryMemo) {}

  /**
   * Writes the base point and updates the in-memory summaries of its bins.
   *
   * @example
   * ```ts
   * import { HistogramBatch } from "./histogram_batch.ts";
   * // batch.add(db.writer, base, summaries, 1391558410, buckets);
   * ```
   */
  add(
    conn: DatabaseSync,
    base: EventTypeRow,
    summaries: readonly EventTypeRow[],
    ts: number,
    buckets: PyObject,
  ): void {
    // The replaced histogram is only needed to take it out of its aggregates.
    const old = summaries.length > 0 ? getPoint(conn, base.id, ts) : undefined;
    putPoint(conn, base.id, ts, stringifyPyJsonTree(buckets));
    for (const row of summaries) {
      const bin = binStart(ts, row.summaryWindow);
      const key = `${row.id}:${bin}`;
      if (row.summaryType === "aggregation") {
        let state = this.#aggregates.get(key);
        if (!state) {
          let histogram = this.memo?.histogram(row.id, bin);
          if (histogram === undefined) {
            const stored = getPoint(conn, row.id, bin);
            histogram = histogramFrom(stored ? parsePyJsonTree(stored.val) : null);
          }
          state = { row, bin, histogram };
          this.#aggregates.set(key, state);
        }
        if (old) {
          state.histogram = mergeHistograms(
            state.histogram,
            histogramFrom(parsePyJsonTree(old.val)),
            -1,
          );
        }
        addToHistogram(state.histogram, buckets);
      } else if (row.summaryType === "statistics") {
        if (row.summaryWindow === 0) {
          putPoint(conn, row.id, bin, stringifyPyJsonTree(histogramStatistics(buckets)));
          continue;
        }
        // From the window's aggregate when one is registered, else from the newest histogram.
        const aggregation = summaries.find((r) =>
          r.summaryType === "aggregation" && r.summaryWindow === row.summaryWindow
        );
        this.#statistics.set(
          key,
          aggregation
            ? { row, bin, aggregateKey: `${aggregation.id}:${bin}` }
            : { row, bin, histogram: buckets },
        );
      }
    }
  }

  /**
   * Writes the aggregates and windowed statistics of every bin touched.
   *
   * @example
   * ```ts
   * import { HistogramBatch } from "./histogram_batch.ts";
   * // batch.flush(db.writer);
   * ```
   */
  flush(conn: DatabaseSync): void {
    for (const state of this.#aggregates.values()) {
      putPoint(conn, state.row.id, state.bin, stringifyPyJsonTree(state.histogram));
      this.memo?.setHistogram(state.row.id, state.bin, state.histogram);
    }
    for (const state of this.#statistics.values()) {
      const histogram = state.aggregateKey === undefined
        ? state.histogram!
        : this.#aggregates.get(state.aggregateKey)!.histogram;
      putPoint(conn, state.row.id, state.bin, stringifyPyJsonTree(histogramStatistics(histogram)));
    }
    this.#aggregates.clear();
    this.#statistics.clear();
  }
}
