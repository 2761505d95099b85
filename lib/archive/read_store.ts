/**
 * What the read endpoints need from a storage backend: metadata search and lookup, and a
 * series read in chunks of rendered JSON. The SQLite database is one backend
 * ({@linkcode sqliteReadStore}); perfSONAR 5's OpenSearch `pscheduler_*` indices are another
 * (`opensearch_read_store.ts`). Methods may answer synchronously or with a promise.
 *
 * @module
 */
import type { ArchiveDb } from "./schema.ts";
import {
  type EventTypeRow,
  findMetadataByKey,
  type MetadataQuery,
  type MetadataRecord,
  searchMetadata,
} from "./metadata_store.ts";
import {
  hasPointAfter,
  readSeriesChunks,
  type SeriesChunk,
  type SeriesRange,
} from "./series_store.ts";

type Maybe<T> = T | Promise<T>;

/** A backend the read endpoints can serve from. */
export interface ReadStore {
  /** One page of the metadata matching `query`, ordered by key, and the total count. */
  search(
    query: MetadataQuery,
    limit: number,
    offset: number,
  ): Maybe<{ total: number; records: MetadataRecord[] }>;
  /** The metadata with `key`, or undefined. */
  findByKey(key: string): Maybe<MetadataRecord | undefined>;
  /** The points of one row in `range`, ascending, as chunks of at most `chunkPoints`. */
  seriesChunks(
    record: MetadataRecord,
    row: EventTypeRow,
    range: SeriesRange,
    chunkPoints?: number,
  ): Iterator<SeriesChunk> | AsyncIterator<SeriesChunk>;
  /** Whether the row holds a point after `ts` and up to `end`. */
  hasPointAfter(record: MetadataRecord, row: EventTypeRow, ts: number, end: number): Maybe<boolean>;
}

/**
 * The SQLite database as a {@linkcode ReadStore} (reads on the reader connection).
 *
 * @example
 * ```ts
 * import { openArchiveDb } from "./schema.ts";
 * import { sqliteReadStore } from "./read_store.ts";
 * const db = openArchiveDb(":memory:");
 * sqliteReadStore(db).search({}, 10, 0); // { total: 0, records: [] }
 * db.close();
 * ```
 */
export function sqliteReadStore(db: ArchiveDb): ReadStore {
  return {
    search: (query, limit, offset) => searchMetadata(db.reader, query, limit, offset),
    findByKey: (key) => findMetadataByKey(db.reader, key),
    seriesChunks: (_record, row, range, chunkPoints) =>
      readSeriesChunks(db.reader, row.id, range, chunkPoints),
    hasPointAfter: (_record, row, ts, end) => hasPointAfter(db.reader, row.id, ts, end),
  };
}
