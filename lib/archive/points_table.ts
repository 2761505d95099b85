/**
 * The `points` table at the level of single rows: read, write, render a validated value.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { prepared } from "./metadata_store.ts";
import { pyFloatJson, stringifyPyJsonTree } from "../esmond/py_json/mod.ts";
import type { StoredValue } from "./values.ts";

/** A write that cannot be applied; `status` is the HTTP status to answer with. */
export class WriteRejected extends Error {
  /** 400 (bad request) or 409 (duplicate). */
  readonly status: number;
  /** @example `new WriteRejected(409, "Time series value already exists ...")` */
  constructor(status: number, message: string) {
    super(message);
    this.name = "WriteRejected";
    this.status = status;
  }
}

/**
 * The 409 message esmond sends for a numeric duplicate.
 *
 * @example
 * ```ts
 * import { duplicateMessage } from "./points_table.ts";
 * duplicateMessage("throughput", 1398965989);
 * ```
 */
export function duplicateMessage(eventType: string, ts: number): string {
  return `Time series value already exists with event type ${eventType} at time ${ts}`;
}

/** A stored point: value text and running sums. */
export interface StoredRow {
  val: string;
  a: number | null;
  b: number | null;
}

/**
 * The point of `series` at `ts`, or undefined.
 *
 * @example
 * ```ts
 * import { getPoint } from "./points_table.ts";
 * // getPoint(db.writer, 7, 1391563070)?.val
 * ```
 */
export function getPoint(conn: DatabaseSync, series: number, ts: number): StoredRow | undefined {
  return prepared(conn, "SELECT val, a, b FROM points WHERE series = ? AND ts = ?").get(
    series,
    ts,
  ) as StoredRow | undefined;
}

/**
 * Stores one point as is (rendered value text and optional running sums), replacing any point
 * at the same second. Importers use it for data whose summaries were computed elsewhere.
 *
 * @example
 * ```ts
 * import { putPoint } from "./points_table.ts";
 * // putPoint(db.writer, seriesId, 1391563070, "5524593445.0");
 * ```
 */
export function putPoint(
  conn: DatabaseSync,
  series: number,
  ts: number,
  val: string,
  a: number | null = null,
  b: number | null = null,
): void {
  // An upsert rewrites a summary row in place; INSERT OR REPLACE deleted and re-inserted it,
  // about half again as costly (the table has no trigger or other unique key to tell apart).
  prepared(
    conn,
    `INSERT INTO points (series, ts, val, a, b) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (series, ts) DO UPDATE SET val = excluded.val, a = excluded.a, b = excluded.b`,
  ).run(series, ts, val, a, b);
}

/**
 * The stored form of a validated value: JSON text as served plus running-sum columns.
 *
 * @example
 * ```ts
 * import { baseRender } from "./points_table.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(baseRender({ kind: "integer", n: 325 }), ["325.0", 325, null]);
 * ```
 */
export function baseRender(value: StoredValue): [string, number | null, number | null] {
  switch (value.kind) {
    case "integer":
      return [pyFloatJson(value.n), value.n, null];
    case "float":
      return [pyFloatJson(value.scaled / 10000), value.scaled, null];
    case "percentage":
      return [pyFloatJson(value.numerator / value.denominator), value.numerator, value.denominator];
    case "histogram":
      return [stringifyPyJsonTree(value.buckets), null, null];
    case "opaque":
      return [value.text, null, null];
  }
}
