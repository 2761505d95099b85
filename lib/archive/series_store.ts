/**
 * Time-series points in SQLite: writing a point to its base series and every registered
 * summary (spec §6.3), and reading a series back in time order (spec §4).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { eventTypeInfo } from "../esmond/event_types.ts";
import type { EventTypeRow, MetadataRecord } from "./metadata_store.ts";
import { prepared } from "./metadata_store.ts";
import { HistogramBatch } from "./histogram_batch.ts";
import { NumericBatch } from "./numeric_batch.ts";
import { putPoint, WriteRejected } from "./points_table.ts";
import type { StoredValue } from "./values.ts";
import type { SummaryMemo } from "./summary_memo.ts";

/** A point to write: event type, UNIX seconds and a validated value. */
export interface PointWrite {
  /** Event-type name. */
  readonly eventType: string;
  /** UNIX seconds. */
  readonly ts: number;
  /** The validated value. */
  readonly value: StoredValue;
}

/** The rows one event type writes to: its base series and the summaries it may compute. */
interface WriteTarget {
  readonly base: EventTypeRow;
  /** Allowed summaries, sorted by type then window (aggregations before statistics). */
  readonly summaries: readonly EventTypeRow[];
}

// The write targets of a record, worked out once per record (the ingest's writer and the
// record cache hand the same record to every write of a metadata).
const targetCache = new WeakMap<MetadataRecord, ReadonlyMap<string, WriteTarget>>();

function writeTargets(record: MetadataRecord): ReadonlyMap<string, WriteTarget> {
  const known = targetCache.get(record);
  if (known) return known;
  const targets = new Map<string, WriteTarget>();
  for (const row of record.eventTypes) {
    if (row.summaryType !== "base") continue;
    const allowed: readonly string[] = eventTypeInfo(row.eventType)?.summaries ?? [];
    targets.set(row.eventType, {
      base: row,
      // record.eventTypes is sorted by summary type, so aggregations precede statistics
      summaries: record.eventTypes.filter((r) =>
        r.eventType === row.eventType && r.summaryType !== "base" &&
        allowed.includes(r.summaryType)
      ),
    });
  }
  targetCache.set(record, targets);
  return targets;
}

/**
 * Writes `points` to `record` (the caller holds the transaction). Every event type must be
 * declared on the metadata; numeric duplicates are refused with 409. With `memo`, summary rows
 * written by the caller's earlier transactions are taken from it instead of being read back
 * (the caller keeps it true to the database).
 *
 * @example
 * ```ts
 * import { writePoints } from "./series_store.ts";
 * // writePoints(db.writer, record, [{ eventType: "throughput", ts, value }], now);
 * ```
 */
export function writePoints(
  conn: DatabaseSync,
  record: MetadataRecord,
  points: readonly PointWrite[],
  now: number,
  memo?: SummaryMemo,
): void {
  const targets = writeTargets(record);
  const touched = new Set<string>();
  const numeric = new NumericBatch(memo);
  const histograms = new HistogramBatch(memo);
  for (const point of points) {
    const target = targets.get(point.eventType);
    if (!target) {
      throw new WriteRejected(
        400,
        `Event type ${point.eventType} is not registered on metadata ${record.key}`,
      );
    }
    const kind = point.value.kind;
    if (kind === "integer" || kind === "float" || kind === "percentage") {
      numeric.add(point.eventType, target.base, target.summaries, point.ts, point.value);
    } else if (point.value.kind === "histogram") {
      histograms.add(conn, target.base, target.summaries, point.ts, point.value.buckets);
    } else {
      // subinterval and json values: a point at the same second is replaced, no summaries
      putPoint(conn, target.base.id, point.ts, point.value.text);
    }
    touched.add(point.eventType);
  }
  numeric.flush(conn);
  histograms.flush(conn);
  if (touched.size === 0) return;
  // One statement for every event type touched (a run touches nine).
  prepared(
    conn,
    `UPDATE event_types SET time_updated = ? WHERE metadata_id = ? AND event_type IN (${
      "?,".repeat(touched.size).slice(0, -1)
    })`,
  ).run(now, record.id, ...touched);
}

/** The range and page of a series read. */
export interface SeriesRange {
  /** First second, inclusive. */
  readonly begin: number;
  /** Last second, inclusive. */
  readonly end: number;
  /** Maximum points. */
  readonly limit: number;
  /** Points to skip. */
  readonly offset: number;
}

/** One slice of a series read: the points as comma-joined JSON objects. */
export interface SeriesChunk {
  /** `{"ts":…,"val":…},{…}` (no brackets); empty when `count` is 0. */
  readonly text: string;
  /** Points in this chunk. */
  readonly count: number;
  /** Timestamp of the last point, or null when empty. */
  readonly last: number | null;
}

// SQLite builds the JSON text of a whole chunk: one native call per few thousand points
// instead of one per point.
const CHUNK_SQL = (where: string) =>
  `SELECT group_concat(j, ',') AS text, count(*) AS n, max(ts) AS last FROM (
     SELECT '{"ts":' || ts || ',"val":' || val || '}' AS j, ts FROM points
     WHERE series = ? AND ${where} AND ts <= ? ORDER BY ts LIMIT ? OFFSET ?)`;

/**
 * The points of series `id` in range, ascending, as JSON text chunks of at most
 * `chunkPoints` points, read lazily (memory stays flat for any series length).
 *
 * @example
 * ```ts
 * import { readSeriesChunks } from "./series_store.ts";
 * // for (const chunk of readSeriesChunks(db.reader, 7, { begin: 0, end: 2e9, limit: 10, offset: 0 })) …
 * ```
 */
export function* readSeriesChunks(
  conn: DatabaseSync,
  id: number,
  range: SeriesRange,
  chunkPoints = 8192,
): Generator<SeriesChunk> {
  let remaining = range.limit;
  let last: number | null = null;
  while (remaining > 0) {
    const take = Math.min(remaining, chunkPoints);
    const row = (last === null
      ? prepared(conn, CHUNK_SQL("ts >= ?")).get(id, range.begin, range.end, take, range.offset)
      : prepared(conn, CHUNK_SQL("ts > ?")).get(id, last, range.end, take, 0)) as {
        text: string | null;
        n: number;
        last: number | null;
      };
    if (row.n === 0) {
      return;
    }
    yield { text: row.text ?? "", count: row.n, last: row.last };
    remaining -= row.n;
    last = row.last;
    if (row.n < take) {
      return;
    }
  }
}

/**
 * Whether series `id` holds a point after `ts` and up to `end`.
 *
 * @example
 * ```ts
 * import { hasPointAfter } from "./series_store.ts";
 * // hasPointAfter(db.reader, 7, 1391558400, 1391616000);
 * ```
 */
export function hasPointAfter(conn: DatabaseSync, id: number, ts: number, end: number): boolean {
  return prepared(conn, "SELECT 1 AS x FROM points WHERE series = ? AND ts > ? AND ts <= ? LIMIT 1")
    .get(id, ts, end) !== undefined;
}
