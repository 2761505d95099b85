/**
 * `esmond-ps-archive import`: one entry point for every JSON file kind the archive can load —
 * `esmond-ps-get-bulk -o json` exports, esmond's Django metadata fixtures and Cassandra row
 * dumps — told apart by their shape. Each file is loaded in one transaction.
 *
 * @module
 */
import { importBulkRows } from "./bulk_import.ts";
import {
  isCassandraDump,
  isDjangoFixture,
  loadCassandraDump,
  loadDjangoFixture,
} from "./fixtures.ts";
import { noteWrite } from "./metadata_store.ts";
import { parsePyJsonTree, PyJsonSyntaxError } from "../esmond/py_json/mod.ts";
import type { ArchiveDb } from "./schema.ts";
import { ValueError } from "./values.ts";

/** What one file contributed. */
export interface FileImportResult {
  /** `get-bulk`, `django-fixture` or `cassandra-dump`. */
  readonly kind: "get-bulk" | "django-fixture" | "cassandra-dump";
  /** Metadata created or reused. */
  readonly metadata: number;
  /** Points stored. */
  readonly points: number;
}

/**
 * Loads the JSON `text` of one file into `db`, all or nothing.
 *
 * @example
 * ```ts
 * import { importJsonText, openArchiveDb } from "./mod.ts";
 * const db = openArchiveDb(":memory:");
 * await importJsonText(db, "[]", Math.floor(Date.now() / 1000));
 * ```
 */
export async function importJsonText(
  db: ArchiveDb,
  text: string,
  now: number,
): Promise<FileImportResult> {
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (error) {
    throw new ValueError(`not JSON: ${(error as Error).message}`);
  }
  db.writer.exec("BEGIN IMMEDIATE");
  try {
    let result: FileImportResult;
    if (isDjangoFixture(plain)) {
      // deno-lint-ignore no-explicit-any -- fixture rows are checked field by field
      const keys = await loadDjangoFixture(db, plain as any);
      result = { kind: "django-fixture", metadata: keys.length, points: 0 };
    } else if (isCassandraDump(plain)) {
      // Parsed again keeping key order: histogram buckets must come back as stored.
      const rows = parsePyJsonTree(text) as unknown[];
      result = {
        kind: "cassandra-dump",
        metadata: 0,
        points: loadCassandraDump(db, rows as never),
      };
    } else {
      const imported = await importBulkRows(db, parsePyJsonTree(text), now);
      result = {
        kind: "get-bulk",
        metadata: new Set(imported.metadataKeys).size,
        points: imported.points,
      };
    }
    db.writer.exec("COMMIT");
    noteWrite();
    return result;
  } catch (error) {
    db.writer.exec("ROLLBACK");
    noteWrite(); // records cached inside the transaction are void now
    if (error instanceof PyJsonSyntaxError) throw new ValueError(error.message);
    throw error;
  }
}
