/**
 * Numeric points (integer, float, percentage) of one write request, applied in bulk: base
 * rows go in with multi-row INSERTs after one duplicate check per slice, and each summary bin
 * is read and written once with the sum of the request's contributions. The result equals
 * writing the points one by one, at a fraction of the SQLite calls.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { EventTypeRow } from "./metadata_store.ts";
import { prepared } from "./metadata_store.ts";
import { baseRender, duplicateMessage, getPoint, putPoint, WriteRejected } from "./points_table.ts";
import { pyFloatJson } from "../esmond/py_json/mod.ts";
import { binStart } from "./summaries.ts";
import type { StoredValue } from "./values.ts";
import type { SummaryMemo } from "./summary_memo.ts";

const SLICE = 100;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

interface BaseSeries {
  readonly eventType: string;
  readonly ts: Set<number>;
  readonly rows: SQLInputValue[][];
}

interface BinDelta {
  readonly row: EventTypeRow;
  readonly bin: number;
  readonly kind: "sum" | "mean" | "ratio";
  readonly scale: number;
  a: number;
  b: number;
}

/** Collects numeric points and writes them in {@linkcode NumericBatch.flush}. */
export class NumericBatch {
  readonly #base = new Map<number, BaseSeries>();
  readonly #bins = new Map<string, BinDelta>();

  /**
   * `memo`: sums written by earlier transactions of the same writer, used instead of reading
   * them back, and told every sum written.
   *
   * @example `new NumericBatch()`
   */
  constructor(readonly memo?: SummaryMemo) {}

  /**
   * Queues one numeric point for its base series and summaries. A second point at the same
   * second of the same series in one request is a duplicate (409), as it would be one by one.
   *
   * @example
   * ```ts
   * import { NumericBatch } from "./numeric_batch.ts";
   * // batch.add("throughput", base, summaries, 1398965989, { kind: "integer", n: 5 });
   * ```
   */
  add(
    eventType: string,
    base: EventTypeRow,
    summaries: readonly EventTypeRow[],
    ts: number,
    value: StoredValue,
  ): void {
    let series = this.#base.get(base.id);
    if (!series) this.#base.set(base.id, series = { eventType, ts: new Set(), rows: [] });
    if (series.ts.has(ts)) throw new WriteRejected(409, duplicateMessage(eventType, ts));
    series.ts.add(ts);
    const [val, a, b] = baseRender(value);
    series.rows.push([base.id, ts, val, a, b]);
    for (const row of summaries) {
      const bin = binStart(ts, row.summaryWindow);
      const key = `${row.id}:${bin}`;
      let delta = this.#bins.get(key);
      if (!delta) {
        const kind = value.kind === "percentage"
          ? "ratio"
          : row.summaryType === "average"
          ? "mean"
          : "sum";
        delta = { row, bin, kind, scale: value.kind === "float" ? 10000 : 1, a: 0, b: 0 };
        this.#bins.set(key, delta);
      }
      if (value.kind === "percentage") {
        delta.a += value.numerator;
        delta.b += value.denominator;
      } else {
        delta.a += value.kind === "integer" ? value.n : value.kind === "float" ? value.scaled : 0;
        delta.b += 1;
      }
    }
  }

  /**
   * Writes everything queued (the caller holds the transaction). Throws 409 when a base point
   * already exists.
   *
   * @example
   * ```ts
   * import { NumericBatch } from "./numeric_batch.ts";
   * // batch.flush(db.writer);
   * ```
   */
  flush(conn: DatabaseSync): void {
    for (const [series, queued] of this.#base) {
      for (let i = 0; i < queued.rows.length; i += SLICE) {
        const end = Math.min(i + SLICE, queued.rows.length);
        const args: SQLInputValue[] = [];
        for (let j = i; j < end; j++) args.push(...queued.rows[j]);
        try {
          prepared(
            conn,
            `INSERT INTO points (series, ts, val, a, b) VALUES ${
              "(?, ?, ?, ?, ?),".repeat(end - i).slice(0, -1)
            }`,
          ).run(...args);
        } catch (error) {
          // The primary key refuses a point that is already stored; name the first one.
          if ((error as { errcode?: number }).errcode !== SQLITE_CONSTRAINT_PRIMARYKEY) throw error;
          const marks = "?,".repeat(end - i).slice(0, -1);
          const found = prepared(
            conn,
            `SELECT min(ts) AS ts FROM points WHERE series = ? AND ts IN (${marks})`,
          ).get(series, ...queued.rows.slice(i, end).map((r) => r[1])) as { ts: number | null };
          throw new WriteRejected(409, duplicateMessage(queued.eventType, found.ts ?? 0));
        }
      }
    }
    for (const delta of this.#bins.values()) {
      const old = this.memo?.sums(delta.row.id, delta.bin) ??
        getPoint(conn, delta.row.id, delta.bin);
      const a = (old?.a ?? 0) + delta.a;
      const b = (old?.b ?? 0) + delta.b;
      if (delta.kind === "ratio") putPoint(conn, delta.row.id, delta.bin, pyFloatJson(a / b), a, b);
      else if (delta.kind === "mean") {
        putPoint(conn, delta.row.id, delta.bin, pyFloatJson(a / b / delta.scale), a, b);
      } else putPoint(conn, delta.row.id, delta.bin, pyFloatJson(a / delta.scale), a, null);
      this.memo?.setSums(delta.row.id, delta.bin, { a, b: delta.kind === "sum" ? null : b });
    }
    this.#base.clear();
    this.#bins.clear();
  }
}
