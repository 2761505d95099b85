/**
 * pScheduler runs in the archive database: the Logstash document of each run (so another
 * backend can serve or re-index it) next to the esmond metadata and points derived from it,
 * all written in one transaction; a run already stored is recognised by its run key.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { MetadataDescription } from "./metadata_post.ts";
import {
  insertMetadata,
  type MetadataRecord,
  noteWrite,
  prepared,
  writeGeneration,
} from "./metadata_store.ts";
import type { ArchiveDb } from "./schema.ts";
import { type PointWrite, writePoints } from "./series_store.ts";
import { WriteRejected } from "./points_table.ts";
import { SummaryMemo } from "./summary_memo.ts";

const DDL = `
CREATE TABLE IF NOT EXISTS pscheduler_documents (
  id INTEGER PRIMARY KEY,
  run_key TEXT NOT NULL UNIQUE,
  index_name TEXT NOT NULL,
  received INTEGER NOT NULL,
  metadata_key TEXT,
  document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pscheduler_documents_index ON pscheduler_documents(index_name, id);
`;

const ready = new WeakSet<DatabaseSync>();

/**
 * Creates the run table if needed (idempotent, cheap after the first call).
 *
 * @example
 * ```ts
 * import { ensurePschedulerTables } from "./pscheduler_store.ts";
 * import { openArchiveDb } from "./schema.ts";
 * const db = openArchiveDb(":memory:");
 * ensurePschedulerTables(db);
 * db.close();
 * ```
 */
export function ensurePschedulerTables(db: ArchiveDb): void {
  if (ready.has(db.writer)) return;
  db.writer.exec(DDL);
  ready.add(db.writer);
  ready.add(db.reader);
}

/** One run as Logstash would index it: what an OpenSearch writer stores. */
export interface LogstashRun {
  /** Identity of the run (re-sent runs have the same key). */
  readonly runKey: string;
  /** `pscheduler_<type>`. */
  readonly index: string;
  /** The Logstash document as JSON text. */
  readonly document: string;
}

/** One run ready to store here: its document and its esmond view, nothing written yet. */
export interface PreparedRun extends LogstashRun {
  /** The esmond metadata as JSON text (what {@linkcode PreparedRun.metadata} describes). */
  readonly metadataText: string;
  /** The esmond metadata to register. */
  readonly metadata: MetadataDescription;
  /** Its deduplication checksum. */
  readonly checksum: string;
  /** The esmond points (event types registered on the metadata only). */
  readonly points: readonly PointWrite[];
}

/** What storing a run did. */
export interface StoredRun {
  /** False when the run was already stored (nothing written). */
  readonly created: boolean;
  /** The esmond metadata key of the run. */
  readonly metadataKey: string | null;
}

/**
 * Stores one run inside the caller's transaction; returns without writing when its key is
 * known.
 *
 * @example
 * ```ts
 * import { storeRun } from "./pscheduler_store.ts";
 * // db.writer.exec("BEGIN IMMEDIATE"); storeRun(db, run, now); db.writer.exec("COMMIT");
 * ```
 */
export function storeRun(db: ArchiveDb, run: PreparedRun, now: number): StoredRun {
  return storeOne(db, run, now, undefined);
}

// What the ingest's writer connection learnt in its earlier transactions: the metadata record
// of each recent checksum (ids and event-type rows; the ingest does not use their
// time_updated) and the summary rows it wrote. True only while nobody else committed, so it
// is checked at the start of each transaction and dropped on every rollback.
interface WriterCache {
  /** `data_version:writeGeneration` right after this cache's last commit. */
  version: string;
  readonly records: Map<string, MetadataRecord>;
  readonly summaries: SummaryMemo;
}

const RECORDS_MAX = 4096;
const writerCaches = new WeakMap<DatabaseSync, WriterCache>();

function dataVersion(conn: DatabaseSync): number {
  return (prepared(conn, "PRAGMA data_version").get() as { data_version: number }).data_version;
}

// The cache of `conn`, emptied unless its last commit was the last write to the database
// (called inside the write transaction, so nobody can commit meanwhile).
function writerCache(conn: DatabaseSync): WriterCache {
  const version = `${dataVersion(conn)}:${writeGeneration()}`;
  let cache = writerCaches.get(conn);
  if (!cache) {
    cache = { version, records: new Map(), summaries: new SummaryMemo() };
    writerCaches.set(conn, cache);
  } else if (cache.version !== version) {
    dropCache(cache);
  }
  return cache;
}

function dropCache(cache: WriterCache | undefined): void {
  if (!cache) return;
  cache.version = "";
  cache.records.clear();
  cache.summaries.clear();
}

function metadataRecord(db: ArchiveDb, run: PreparedRun, cache: WriterCache | undefined) {
  const hit = cache?.records.get(run.checksum);
  if (hit) return hit;
  const { record } = insertMetadata(db, run.metadata, run.checksum);
  if (cache) {
    cache.records.set(run.checksum, record);
    if (cache.records.size > RECORDS_MAX) cache.records.delete(cache.records.keys().next().value!);
  }
  return record;
}

function storeOne(
  db: ArchiveDb,
  run: PreparedRun,
  now: number,
  cache: WriterCache | undefined,
): StoredRun {
  ensurePschedulerTables(db);
  const conn = db.writer;
  const known = prepared(conn, "SELECT metadata_key FROM pscheduler_documents WHERE run_key = ?")
    .get(run.runKey) as { metadata_key: string | null } | undefined;
  if (known) return { created: false, metadataKey: known.metadata_key };
  const record = metadataRecord(db, run, cache);
  // Another run of the same metadata at the same second already holds the numeric points:
  // esmond answers 409 and pScheduler's esmond archiver skips them; the run (its document)
  // is still stored.
  conn.exec("SAVEPOINT points");
  try {
    writePoints(conn, record, run.points, now, cache?.summaries);
    conn.exec("RELEASE points");
  } catch (error) {
    conn.exec("ROLLBACK TO points");
    conn.exec("RELEASE points");
    // The summaries remembered may have been updated in memory for the points undone.
    cache?.summaries.clear();
    if (!(error instanceof WriteRejected && error.status === 409)) throw error;
  }
  prepared(
    conn,
    `INSERT INTO pscheduler_documents (run_key, index_name, received, metadata_key, document)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(run.runKey, run.index, Date.now(), record.key, run.document);
  return { created: true, metadataKey: record.key };
}

/**
 * Stores groups of runs (one group per request) in one transaction, each group inside its
 * own savepoint: a group that fails is rolled back alone (nothing of it stays) and its error
 * returned in its place.
 *
 * @example
 * ```ts
 * import { storeRunGroups } from "./pscheduler_store.ts";
 * // const [first, second] = storeRunGroups(db, [[run1], [run2, run3]], now);
 * ```
 */
export function storeRunGroups(
  db: ArchiveDb,
  groups: readonly (readonly PreparedRun[])[],
  now: number,
): (StoredRun[] | Error)[] {
  ensurePschedulerTables(db);
  const conn = db.writer;
  const results: (StoredRun[] | Error)[] = [];
  conn.exec("BEGIN IMMEDIATE");
  let cache: WriterCache | undefined;
  try {
    cache = writerCache(conn);
    for (const group of groups) {
      conn.exec("SAVEPOINT request");
      try {
        results.push(group.map((run) => storeOne(db, run, now, cache)));
        conn.exec("RELEASE request");
      } catch (error) {
        conn.exec("ROLLBACK TO request");
        conn.exec("RELEASE request");
        noteWrite(); // records cached inside the rolled-back savepoint are void
        dropCache(cache);
        results.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    conn.exec("COMMIT");
  } catch (error) {
    dropCache(cache ?? writerCaches.get(conn));
    conn.exec("ROLLBACK");
    noteWrite();
    throw error;
  }
  noteWrite();
  // This commit is now the last write: what the cache holds is what is stored.
  if (cache) cache.version = `${dataVersion(conn)}:${writeGeneration()}`;
  return results;
}

/** A stored Logstash document. */
export interface StoredDocument {
  /** Row id (increasing in storage order). */
  readonly id: number;
  /** `pscheduler_<type>`. */
  readonly index: string;
  /** Receipt time, ms since the epoch. */
  readonly received: number;
  /** The esmond metadata key it was filed under. */
  readonly metadataKey: string | null;
  /** The document JSON text. */
  readonly document: string;
}

/**
 * Stored documents after row id `after`, oldest first (for export or re-indexing).
 *
 * @example
 * ```ts
 * import { listPschedulerDocuments } from "./pscheduler_store.ts";
 * // for (const d of listPschedulerDocuments(db, { after: 0, limit: 1000 })) …
 * ```
 */
export function listPschedulerDocuments(
  db: ArchiveDb,
  options: { after?: number; limit?: number; index?: string } = {},
): StoredDocument[] {
  ensurePschedulerTables(db);
  const args: (string | number)[] = [options.after ?? 0];
  let where = "id > ?";
  if (options.index !== undefined) {
    where += " AND index_name = ?";
    args.push(options.index);
  }
  args.push(options.limit ?? 1000);
  const rows = prepared(
    db.reader,
    `SELECT id, index_name, received, metadata_key, document FROM pscheduler_documents
     WHERE ${where} ORDER BY id LIMIT ?`,
  ).all(...args) as {
    id: number;
    index_name: string;
    received: number;
    metadata_key: string | null;
    document: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    index: r.index_name,
    received: r.received,
    metadataKey: r.metadata_key,
    document: r.document,
  }));
}

/**
 * The number of stored runs.
 *
 * @example
 * ```ts
 * import { countPschedulerDocuments } from "./pscheduler_store.ts";
 * // countPschedulerDocuments(db);
 * ```
 */
export function countPschedulerDocuments(db: ArchiveDb): number {
  ensurePschedulerTables(db);
  return Number(
    (prepared(db.reader, "SELECT count(*) AS n FROM pscheduler_documents").get() as { n: number })
      .n,
  );
}
