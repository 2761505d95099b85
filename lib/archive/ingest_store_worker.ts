/**
 * The `/logstash` ingest's writer thread: opens the archive database file itself and stores
 * each batch of requests' runs in one transaction (each request in its own savepoint, as
 * {@linkcode storeRunGroups} does), so the commit and its fsync never hold up the server's
 * event loop. Messages: `open` → `opened`/`failed`, `store` → `stored`, `close` → `closed`.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { type ArchiveDb, openArchiveDb } from "./schema.ts";
import { type PreparedRun, type StoredRun, storeRunGroups } from "./pscheduler_store.ts";
import { fromTransfer, outcomeToTransfer, type TransferError } from "./run_transfer.ts";
import type { IngestStoreRequest } from "./ingest_store_thread.ts";

let db: ArchiveDb | undefined;

// A run dirties ~16 pages, many of them the same summary and index pages as the runs before:
// checkpointing every 10,000 WAL pages instead of SQLite's 1,000 copies each of those once
// per 40 MiB of WAL, not ten times (20,000 posts: 850–1,030 → 1,110–1,340 posts/s here).
const WAL_CHECKPOINT_PAGES = 10_000;

async function store(request: Extract<IngestStoreRequest, { type: "store" }>) {
  const results: (StoredRun[] | TransferError)[] = new Array(request.groups.length);
  const ready: PreparedRun[][] = [];
  const readyAt: number[] = [];
  for (const [i, group] of request.groups.entries()) {
    try {
      ready.push(await Promise.all(group.map(fromTransfer)));
      readyAt.push(i);
    } catch (error) {
      results[i] = outcomeToTransfer(error) as TransferError;
    }
  }
  try {
    if (!db) throw new Error("the ingest writer thread has no database open");
    const stored = storeRunGroups(db, ready, request.now);
    stored.forEach((outcome, k) => (results[readyAt[k]] = outcomeToTransfer(outcome)));
  } catch (error) {
    for (const i of readyAt) results[i] = outcomeToTransfer(error);
  }
  self.postMessage({ type: "stored", id: request.id, results });
}

self.onmessage = (event: MessageEvent<IngestStoreRequest>) => {
  const request = event.data;
  if (request.type === "open") {
    try {
      db = openArchiveDb(request.path);
      db.writer.exec(`PRAGMA wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      self.postMessage({ type: "opened" });
    } catch (error) {
      self.postMessage({ type: "failed", message: (error as Error).message });
    }
  } else if (request.type === "store") {
    void store(request);
  } else {
    try {
      db?.close();
    } finally {
      db = undefined;
      self.postMessage({ type: "closed" });
      self.close();
    }
  }
};
