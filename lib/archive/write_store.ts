/**
 * What the esmond write endpoints need from a storage backend: create (or find) a metadata, and
 * add points to one. The SQLite database is one backend ({@linkcode sqliteWriteStore}, every
 * write one transaction); perfSONAR 5's `pscheduler_*` indices are another
 * (`opensearch_writes.ts`). Methods may answer synchronously or with a promise.
 *
 * @module
 */
import type { MetadataDescription } from "./metadata_post.ts";
import { findMetadataByKey, insertMetadata, type MetadataRecord } from "./metadata_store.ts";
import type { ArchiveDb } from "./schema.ts";
import { type PointWrite, writePoints } from "./series_store.ts";
import { inTransaction } from "./write_handlers.ts";

type Maybe<T> = T | Promise<T>;

/** A backend the esmond write endpoints can write to. */
export interface WriteStore {
  /** The metadata of `desc` (deduplicated by `checksum`), created when new. */
  createMetadata(desc: MetadataDescription, checksum: string): Maybe<MetadataRecord>;
  /** Stores `points` under metadata `key`, all or nothing; false when there is no such key. */
  writePoints(key: string, points: readonly PointWrite[], now: number): Maybe<boolean>;
}

/**
 * The SQLite database as a {@linkcode WriteStore} (writes on the writer connection).
 *
 * @example
 * ```ts
 * import { openArchiveDb } from "./schema.ts";
 * import { sqliteWriteStore } from "./write_store.ts";
 * import { strictEqual } from "node:assert/strict";
 * const db = openArchiveDb(":memory:");
 * strictEqual(sqliteWriteStore(db).writePoints("nokey", [], 0), false);
 * db.close();
 * ```
 */
export function sqliteWriteStore(db: ArchiveDb): WriteStore {
  return {
    createMetadata: (desc, checksum) =>
      inTransaction(db, () => insertMetadata(db, desc, checksum)).record,
    writePoints(key, points, now) {
      const record = findMetadataByKey(db.writer, key);
      if (!record) return false;
      inTransaction(db, () => writePoints(db.writer, record, points, now));
      return true;
    },
  };
}
