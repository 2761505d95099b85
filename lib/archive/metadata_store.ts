/**
 * Metadata rows in SQLite: create with deduplication, load by key, search with esmond's
 * filters (spec §3.3, §6.2).
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { ArchiveDb } from "./schema.ts";
import type { MetadataDescription, SubjectField } from "./metadata_post.ts";
import { canonicalAddress } from "./ip.ts";

/** One event-type row (base or summary) of a metadata. */
export interface EventTypeRow {
  /** Row id; also the id of its point series. */
  readonly id: number;
  /** Event-type name. */
  readonly eventType: string;
  /** `base`, `aggregation`, `average` or `statistics`. */
  readonly summaryType: string;
  /** Window in seconds. */
  readonly summaryWindow: number;
  /** UNIX seconds of the last write, or null. */
  readonly timeUpdated: number | null;
}

/** A stored metadata with everything needed to render it. */
export interface MetadataRecord {
  /** Row id. */
  readonly id: number;
  /** The metadata key. */
  readonly key: string;
  /** `point-to-point` or `network-element`. */
  readonly subjectType: string;
  /** Subject fields present. */
  readonly subject: Partial<Record<SubjectField, string>>;
  /** Free-form parameters in insertion order. */
  readonly parameters: readonly [string, string][];
  /** Event-type rows sorted by event type, summary type, window. */
  readonly eventTypes: readonly EventTypeRow[];
}

/** Filters of a metadata search; every given one must match. */
export interface MetadataQuery {
  /** Canonical addresses any of which `source` must equal. */
  readonly source?: readonly string[];
  /** Canonical addresses for `destination`. */
  readonly destination?: readonly string[];
  /** Canonical addresses for `measurement-agent`. */
  readonly measurementAgent?: readonly string[];
  /** Exact `tool-name`. */
  readonly toolName?: string;
  /** Exact `input-source`. */
  readonly inputSource?: string;
  /** Exact `input-destination`. */
  readonly inputDestination?: string;
  /** `point-to-point` / `network-element`. */
  readonly subjectType?: string;
  /** Exact key. */
  readonly metadataKey?: string;
  /** Event-row filters, applied together to one event-type row. */
  readonly eventType?: string;
  /** Summary type (singular, `base` allowed). */
  readonly summaryType?: string;
  /** Summary window. */
  readonly summaryWindow?: number;
  /** `time-updated` range of that row (end null = open). */
  readonly time?: { readonly begin: number; readonly end: number | null };
  /** Free-form key/value pairs that must all be present. */
  readonly parameters?: readonly [string, string][];
}

const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * A cached prepared statement (preparing costs more than running the small queries here).
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { prepared } from "./metadata_store.ts";
 * prepared(new DatabaseSync(":memory:"), "SELECT 1").get();
 * ```
 */
export function prepared(conn: DatabaseSync, sql: string): StatementSync {
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, cache = new Map());
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, stmt = conn.prepare(sql));
  return stmt;
}

const SUBJECT_COLUMNS: Record<SubjectField, string> = {
  "source": "source",
  "destination": "destination",
  "measurement-agent": "measurement_agent",
  "tool-name": "tool_name",
  "input-source": "input_source",
  "input-destination": "input_destination",
};

/**
 * Stores a new metadata or returns the existing one with the same checksum.
 *
 * @example
 * ```ts
 * import { insertMetadata } from "./metadata_store.ts";
 * // const { record, created } = insertMetadata(db, desc, checksum);
 * ```
 */
export function insertMetadata(
  db: ArchiveDb,
  desc: MetadataDescription,
  checksum: string,
  key: string = crypto.randomUUID().replaceAll("-", ""),
  timeUpdated: ReadonlyMap<string, number | null> = new Map(),
): { record: MetadataRecord; created: boolean } {
  const conn = db.writer;
  const existing = prepared(conn, "SELECT key FROM metadata WHERE checksum = ?").get(checksum) as
    | { key: string }
    | undefined;
  if (existing) return { record: findMetadataByKey(conn, existing.key)!, created: false };
  const s = desc.subject;
  const { lastInsertRowid } = prepared(
    conn,
    `INSERT INTO metadata (key, subject_type, source, destination, measurement_agent, tool_name,
       input_source, input_destination, source_ip, destination_ip, agent_ip, checksum)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    key,
    desc.subjectType,
    s.source ?? null,
    s.destination ?? null,
    s["measurement-agent"] ?? null,
    s["tool-name"] ?? null,
    s["input-source"] ?? null,
    s["input-destination"] ?? null,
    s.source === undefined ? null : canonicalAddress(s.source),
    s.destination === undefined ? null : canonicalAddress(s.destination),
    s["measurement-agent"] === undefined ? null : canonicalAddress(s["measurement-agent"]),
    checksum,
  );
  const id = Number(lastInsertRowid);
  const paramStmt = prepared(
    conn,
    "INSERT INTO parameters (metadata_id, pos, key, value) VALUES (?, ?, ?, ?)",
  );
  desc.parameters.forEach(([k, v], pos) => paramStmt.run(id, pos, k, v));
  const etStmt = prepared(
    conn,
    `INSERT INTO event_types (metadata_id, event_type, summary_type, summary_window, time_updated)
     VALUES (?, ?, ?, ?, ?)`,
  );
  for (const e of desc.eventTypes) {
    const updated = timeUpdated.get(`${e.eventType}:${e.summaryType}:${e.summaryWindow}`) ?? null;
    etStmt.run(id, e.eventType, e.summaryType, e.summaryWindow, updated);
  }
  return { record: loadRecords(conn, [id])[0], created: true };
}

interface MetadataRow {
  id: number;
  key: string;
  subject_type: string;
  [column: string]: string | number | null;
}

let localWrites = 0;

/**
 * Tells the record cache that this process committed a write (SQLite's `data_version` only
 * reports commits made by other connections).
 *
 * @example
 * ```ts
 * import { noteWrite } from "./metadata_store.ts";
 * noteWrite();
 * ```
 */
export function noteWrite(): void {
  localWrites++;
}

/**
 * How many writes this process noted so far (see {@linkcode noteWrite}): a cache of the
 * database filled after a commit is stale once this or SQLite's `data_version` moved.
 *
 * @example
 * ```ts
 * import { noteWrite, writeGeneration } from "./metadata_store.ts";
 * const before = writeGeneration();
 * noteWrite();
 * if (writeGeneration() === before) throw new Error();
 * ```
 */
export function writeGeneration(): number {
  return localWrites;
}

const recordCaches = new WeakMap<
  DatabaseSync,
  { version: string; records: Map<number, MetadataRecord> }
>();

// Records are cached per connection until anything commits (here or in another process, e.g.
// `import` next to a running server), so a metadata listing is mostly string concatenation.
function cachedRecords(conn: DatabaseSync): Map<number, MetadataRecord> {
  const dataVersion = (prepared(conn, "PRAGMA data_version").get() as { data_version: number })
    .data_version;
  const version = `${dataVersion}:${localWrites}`;
  let cache = recordCaches.get(conn);
  if (!cache || cache.version !== version) {
    cache = { version, records: new Map() };
    recordCaches.set(conn, cache);
  }
  return cache.records;
}

function loadRecords(conn: DatabaseSync, ids: readonly number[]): MetadataRecord[] {
  const cache = cachedRecords(conn);
  const missing = ids.filter((id) => !cache.has(id));
  if (missing.length > 0) {
    for (const record of readRecords(conn, missing)) cache.set(record.id, record);
  }
  return ids.map((id) => cache.get(id)).filter((r): r is MetadataRecord => r !== undefined);
}

function readRecords(conn: DatabaseSync, ids: readonly number[]): MetadataRecord[] {
  if (ids.length === 0) return [];
  const list = ids.join(",");
  const rows = conn.prepare(`SELECT * FROM metadata WHERE id IN (${list})`).all() as unknown[];
  const params = conn.prepare(
    `SELECT metadata_id, key, value FROM parameters WHERE metadata_id IN (${list})
     ORDER BY metadata_id, pos`,
  ).all() as { metadata_id: number; key: string; value: string }[];
  const events = conn.prepare(
    `SELECT id, metadata_id, event_type, summary_type, summary_window, time_updated
     FROM event_types WHERE metadata_id IN (${list})
     ORDER BY metadata_id, event_type, summary_type, summary_window`,
  ).all() as {
    id: number;
    metadata_id: number;
    event_type: string;
    summary_type: string;
    summary_window: number;
    time_updated: number | null;
  }[];
  const byId = new Map<number, MetadataRecord>();
  for (const raw of rows as MetadataRow[]) {
    const subject: Partial<Record<SubjectField, string>> = {};
    for (const [field, column] of Object.entries(SUBJECT_COLUMNS)) {
      const v = raw[column];
      if (v !== null && v !== undefined) subject[field as SubjectField] = String(v);
    }
    byId.set(raw.id, {
      id: raw.id,
      key: raw.key,
      subjectType: raw.subject_type,
      subject,
      parameters: [],
      eventTypes: [],
    });
  }
  for (const p of params) {
    (byId.get(p.metadata_id)?.parameters as [string, string][]).push([p.key, p.value]);
  }
  for (const e of events) {
    (byId.get(e.metadata_id)?.eventTypes as EventTypeRow[]).push({
      id: e.id,
      eventType: e.event_type,
      summaryType: e.summary_type,
      summaryWindow: e.summary_window,
      timeUpdated: e.time_updated,
    });
  }
  return ids.map((id) => byId.get(id)!).filter((r) => r !== undefined);
}

/**
 * The metadata with `key`, or undefined.
 *
 * @example
 * ```ts
 * import { findMetadataByKey } from "./metadata_store.ts";
 * // findMetadataByKey(db.reader, "EC7E5AF67F8746C8AEF41E60288F3F59");
 * ```
 */
export function findMetadataByKey(conn: DatabaseSync, key: string): MetadataRecord | undefined {
  const row = prepared(conn, "SELECT id FROM metadata WHERE key = ?").get(key) as
    | { id: number }
    | undefined;
  return row ? loadRecords(conn, [row.id])[0] : undefined;
}

function inList(column: string, values: readonly string[], args: SQLInputValue[]): string {
  if (values.length === 0) return "0";
  args.push(...values);
  return `${column} IN (${values.map(() => "?").join(",")})`;
}

/**
 * One page of the metadata matching `query`, ordered by key, and the total count.
 *
 * @example
 * ```ts
 * import { searchMetadata } from "./metadata_store.ts";
 * // const { total, records } = searchMetadata(db.reader, { toolName: "bwctl/iperf3" }, 1500, 0);
 * ```
 */
export function searchMetadata(
  conn: DatabaseSync,
  query: MetadataQuery,
  limit: number,
  offset: number,
): { total: number; records: MetadataRecord[] } {
  const where: string[] = [];
  const args: SQLInputValue[] = [];
  if (query.source) where.push(inList("m.source_ip", query.source, args));
  if (query.destination) where.push(inList("m.destination_ip", query.destination, args));
  if (query.measurementAgent) where.push(inList("m.agent_ip", query.measurementAgent, args));
  const exact: [string, string | undefined][] = [
    ["m.tool_name", query.toolName],
    ["m.input_source", query.inputSource],
    ["m.input_destination", query.inputDestination],
    ["m.subject_type", query.subjectType],
    ["m.key", query.metadataKey],
  ];
  for (const [column, value] of exact) {
    if (value !== undefined) {
      where.push(`${column} = ?`);
      args.push(value);
    }
  }
  const ev: string[] = [];
  if (query.eventType !== undefined) {
    ev.push("e.event_type = ?");
    args.push(query.eventType);
  }
  if (query.summaryType !== undefined) {
    ev.push("e.summary_type = ?");
    args.push(query.summaryType);
  }
  if (query.summaryWindow !== undefined) {
    ev.push("e.summary_window = ?");
    args.push(query.summaryWindow);
  }
  if (query.time) {
    ev.push("e.time_updated >= ?");
    args.push(query.time.begin);
    if (query.time.end !== null) {
      ev.push("e.time_updated <= ?");
      args.push(query.time.end);
    }
  }
  if (ev.length > 0) {
    where.push(
      `EXISTS (SELECT 1 FROM event_types e WHERE e.metadata_id = m.id AND ${ev.join(" AND ")})`,
    );
  }
  for (const [k, v] of query.parameters ?? []) {
    where.push(
      "EXISTS (SELECT 1 FROM parameters p WHERE p.metadata_id = m.id AND p.key = ? AND p.value = ?)",
    );
    args.push(k, v);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = Number(
    (prepared(conn, `SELECT count(*) AS n FROM metadata m ${clause}`).get(...args) as { n: number })
      .n,
  );
  if (offset >= total) return { total, records: [] };
  const ids =
    (prepared(conn, `SELECT m.id FROM metadata m ${clause} ORDER BY m.key LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as { id: number }[]).map((r) => r.id);
  return { total, records: loadRecords(conn, ids) };
}
