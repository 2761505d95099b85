/**
 * The `/logstash` ingest writing to OpenSearch: each run's Logstash document goes to its
 * `pscheduler_<type>` data stream with `create` and the run's key as `_id`, so a re-sent run
 * is stored once; the answer waits for OpenSearch's acknowledgement (translog synced).
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { writeDocuments } from "../opensearch/document_writer.ts";
import type { PreparedRun, StoredRun } from "./pscheduler_store.ts";
import { WriteRejected } from "./points_table.ts";

/** Runs of concurrent requests go to OpenSearch in one bulk request of at most this many. */
const MAX_BATCH = 1000;

/**
 * A `writer` for the ingest options that stores runs in OpenSearch. Runs of requests that
 * arrive while a bulk request is being prepared share it (one `_bulk` per tick, like the SQLite
 * ingest's group commit); each request is answered when its own runs are acknowledged.
 *
 * @example
 * ```ts
 * import { openSearchRunWriter } from "./opensearch_ingest.ts";
 * // createLogstashIngest({ db, resolver, writer: openSearchRunWriter(client) });
 * ```
 */
export function openSearchRunWriter(client: Client): (runs: PreparedRun[]) => Promise<StoredRun[]> {
  const pending: { runs: PreparedRun[]; done: (r: StoredRun[] | Error) => void }[] = [];
  let scheduled = false;
  let inFlight = false;

  // One bulk request at a time: what arrives meanwhile goes into the next one.
  async function flush(): Promise<void> {
    scheduled = false;
    if (inFlight || pending.length === 0) return;
    inFlight = true;
    const batch: typeof pending = [];
    let size = 0;
    while (pending.length > 0 && size < MAX_BATCH) {
      const next = pending.shift()!;
      batch.push(next);
      size += next.runs.length;
    }
    const docs = batch.flatMap((b) =>
      b.runs.map((run) => ({
        index: run.index,
        document: JSON.parse(run.document) as Record<string, unknown>,
        id: run.runKey,
      }))
    );
    try {
      const report = await writeDocuments(client, docs, { refresh: false });
      let at = 0;
      for (const b of batch) {
        const mine = report.results.slice(at, at + b.runs.length);
        at += b.runs.length;
        b.done(mine.map((created) => ({ created, metadataKey: null })));
      }
    } catch (error) {
      const failure = new WriteRejected(
        503,
        `OpenSearch did not store the run: ${(error as Error).message}`,
      );
      for (const b of batch) b.done(failure);
    } finally {
      inFlight = false;
      if (pending.length > 0) void flush();
    }
  }

  return (runs) =>
    new Promise((resolve, reject) => {
      pending.push({ runs, done: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      if (!scheduled && !inFlight) {
        scheduled = true;
        setTimeout(() => void flush(), 0);
      }
    });
}
