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
import { parsePyJson, pyFloat, type PyObject, stringifyPyJson } from "./pyjson.ts";
import { binStart, histogramFrom, histogramStatistics, mergeHistograms } from "./summaries.ts";
import type { StoredValue } from "./values.ts";

/** A point to write: event type, UNIX seconds and a validated value. */
export interface PointWrite {
  /** Event-type name. */
  readonly eventType: string;
  /** UNIX seconds. */
  readonly ts: number;
  /** The validated value. */
  readonly value: StoredValue;
}

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

interface StoredRow {
  val: string;
  a: number | null;
  b: number | null;
}

function getPoint(conn: DatabaseSync, series: number, ts: number): StoredRow | undefined {
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
 * import { putPoint } from "./series_store.ts";
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
  prepared(conn, "INSERT OR REPLACE INTO points (series, ts, val, a, b) VALUES (?, ?, ?, ?, ?)")
    .run(series, ts, val, a, b);
}

/**
 * The stored form of a validated value: JSON text as served plus running-sum columns.
 *
 * @example
 * ```ts
 * import { baseRender } from "./series_store.ts";
 * baseRender({ kind: "integer", n: 325 }); // ["325.0", 325, null]
 * ```
 */
export function baseRender(value: StoredValue): [string, number | null, number | null] {
  switch (value.kind) {
    case "integer":
      return [pyFloat(value.n), value.n, null];
    case "float":
      return [pyFloat(value.scaled / 10000), value.scaled, null];
    case "percentage":
      return [pyFloat(value.numerator / value.denominator), value.numerator, value.denominator];
    case "histogram":
      return [stringifyPyJson(value.buckets), null, null];
    case "opaque":
      return [value.text, null, null];
  }
}

function numericSummary(
  conn: DatabaseSync,
  row: EventTypeRow,
  bin: number,
  value: StoredValue,
): void {
  const old = getPoint(conn, row.id, bin);
  const scale = value.kind === "float" ? 10000 : 1;
  if (value.kind === "percentage") {
    const a = (old?.a ?? 0) + value.numerator;
    const b = (old?.b ?? 0) + value.denominator;
    putPoint(conn, row.id, bin, pyFloat(a / b), a, b);
    return;
  }
  const v = value.kind === "integer" ? value.n : value.kind === "float" ? value.scaled : 0;
  const a = (old?.a ?? 0) + v;
  if (row.summaryType === "aggregation") {
    putPoint(conn, row.id, bin, pyFloat(a / scale), a, null);
  } else if (row.summaryType === "average") {
    const b = (old?.b ?? 0) + 1;
    putPoint(conn, row.id, bin, pyFloat(a / b / scale), a, b);
  }
}

/** The rows one event type writes to: its base series and the summaries it may compute. */
interface WriteTarget {
  readonly base: EventTypeRow;
  /** Allowed summaries, sorted by type then window (aggregations before statistics). */
  readonly summaries: readonly EventTypeRow[];
}

function writeOne(conn: DatabaseSync, target: WriteTarget, point: PointWrite): void {
  const { base, summaries } = target;
  const numeric = point.value.kind === "integer" || point.value.kind === "float" ||
    point.value.kind === "percentage";
  const [val, a, b] = baseRender(point.value);
  let old: StoredRow | undefined;
  if (numeric) {
    // Numeric duplicates are refused: INSERT OR IGNORE tells by changing nothing.
    const { changes } = prepared(
      conn,
      "INSERT OR IGNORE INTO points (series, ts, val, a, b) VALUES (?, ?, ?, ?, ?)",
    ).run(base.id, point.ts, val, a, b);
    if (Number(changes) === 0) {
      throw new WriteRejected(
        409,
        `Time series value already exists with event type ${point.eventType} at time ${point.ts}`,
      );
    }
  } else {
    // The replaced histogram is only needed to correct its aggregations.
    if (point.value.kind === "histogram" && summaries.length > 0) {
      old = getPoint(conn, base.id, point.ts);
    }
    putPoint(conn, base.id, point.ts, val, a, b);
  }
  if (summaries.length === 0) return;
  const aggregated = new Map<number, PyObject>();
  for (const row of summaries) {
    const bin = binStart(point.ts, row.summaryWindow);
    if (point.value.kind === "histogram") {
      const current = point.value.buckets;
      if (row.summaryType === "aggregation") {
        const stored = getPoint(conn, row.id, bin);
        let merged = stored ? histogramFrom(parsePyJson(stored.val)) : histogramFrom(null);
        // A replaced base histogram must not be counted twice in the aggregate.
        if (old && stored) {
          merged = mergeHistograms(merged, histogramFrom(parsePyJson(old.val)), -1);
        }
        merged = mergeHistograms(merged, current);
        aggregated.set(row.summaryWindow, merged);
        putPoint(conn, row.id, bin, stringifyPyJson(merged));
      } else if (row.summaryType === "statistics") {
        const source = row.summaryWindow === 0
          ? current
          : aggregated.get(row.summaryWindow) ?? current;
        putPoint(conn, row.id, bin, stringifyPyJson(histogramStatistics(source)));
      }
    } else if (numeric) {
      numericSummary(conn, row, bin, point.value);
    }
  }
}

/**
 * Writes `points` to `record` (the caller holds the transaction). Every event type must be
 * declared on the metadata; numeric duplicates are refused with 409.
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
): void {
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
  const touched = new Set<string>();
  for (const point of points) {
    const target = targets.get(point.eventType);
    if (!target) {
      throw new WriteRejected(
        400,
        `Event type ${point.eventType} is not registered on metadata ${record.key}`,
      );
    }
    writeOne(conn, target, point);
    touched.add(point.eventType);
  }
  const update = prepared(
    conn,
    "UPDATE event_types SET time_updated = ? WHERE metadata_id = ? AND event_type = ?",
  );
  for (const eventType of touched) update.run(now, record.id, eventType);
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
