/**
 * The SQLite schema of the embedded archive and how a database file is opened (WAL, one writer
 * connection, one reader connection).
 *
 * Tables mirror esmond's relational model (metadata, free-form parameters, one event-type row
 * per event type and summary) plus one `points` table standing in for Cassandra: a series is
 * an event-type row, a point is `(series, ts)` with the value already rendered as the JSON text
 * the API returns (so serving is a string concatenation) and the running sums summaries need.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

const DDL = `
CREATE TABLE IF NOT EXISTS metadata (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  subject_type TEXT NOT NULL,
  source TEXT, destination TEXT, measurement_agent TEXT, tool_name TEXT,
  input_source TEXT, input_destination TEXT,
  source_ip TEXT, destination_ip TEXT, agent_ip TEXT,
  checksum TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS metadata_source ON metadata(source_ip);
CREATE INDEX IF NOT EXISTS metadata_destination ON metadata(destination_ip);
CREATE TABLE IF NOT EXISTS parameters (
  metadata_id INTEGER NOT NULL REFERENCES metadata(id),
  pos INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (metadata_id, pos)
);
CREATE INDEX IF NOT EXISTS parameters_kv ON parameters(key, value);
CREATE TABLE IF NOT EXISTS event_types (
  id INTEGER PRIMARY KEY,
  metadata_id INTEGER NOT NULL REFERENCES metadata(id),
  event_type TEXT NOT NULL,
  summary_type TEXT NOT NULL,
  summary_window INTEGER NOT NULL,
  time_updated INTEGER,
  UNIQUE (metadata_id, event_type, summary_type, summary_window)
);
CREATE INDEX IF NOT EXISTS event_types_name ON event_types(event_type, summary_type);
CREATE TABLE IF NOT EXISTS points (
  series INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  val TEXT NOT NULL,
  a, b,
  PRIMARY KEY (series, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created INTEGER NOT NULL
);
`;

/** The two connections of an open archive database (the same one for `:memory:`). */
export interface ArchiveDb {
  /** Connection for every write (SQLite allows one writer at a time anyway). */
  readonly writer: DatabaseSync;
  /** Connection for reads, so a long streamed read never blocks a write. */
  readonly reader: DatabaseSync;
  /** The path given, or `:memory:`. */
  readonly path: string;
  /** Checkpoints the WAL and closes both connections. */
  close(): void;
}

function configure(db: DatabaseSync, memory: boolean): void {
  db.exec("PRAGMA busy_timeout = 10000");
  if (!memory) {
    db.exec("PRAGMA journal_mode = WAL");
    // NORMAL would be faster but a committed, acknowledged write could vanish on power loss.
    db.exec("PRAGMA synchronous = FULL");
  }
  db.exec("PRAGMA foreign_keys = ON");
}

/**
 * Opens (creating if needed) the archive database at `path` (`:memory:` for a throwaway one).
 *
 * @example
 * ```ts
 * import { openArchiveDb } from "./schema.ts";
 * const db = openArchiveDb(":memory:");
 * db.close();
 * ```
 */
export function openArchiveDb(path: string): ArchiveDb {
  const memory = path === ":memory:";
  const writer = new DatabaseSync(path);
  configure(writer, memory);
  writer.exec(DDL);
  const reader = memory ? writer : new DatabaseSync(path);
  if (!memory) configure(reader, false);
  let closed = false;
  return {
    writer,
    reader,
    path,
    close() {
      if (closed) return;
      closed = true;
      if (reader !== writer) reader.close();
      if (!memory) writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      writer.close();
    },
  };
}
