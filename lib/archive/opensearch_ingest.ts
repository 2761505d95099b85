/**
 * The `/logstash` ingest writing to OpenSearch: each run's Logstash document goes to its
 * `pscheduler_<type>` data stream with `create` and the run's key as `_id`, so a re-sent run
 * is stored once; the answer waits for OpenSearch's acknowledgement (translog synced). Nothing
 * is kept in the process between requests, so several archives may take runs for one cluster.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { bulkCreate, type CreateOutcome } from "../opensearch/document_writer.ts";
import type { LogstashRun, StoredRun } from "./pscheduler_store.ts";
import { WriteRejected } from "./points_table.ts";

/** Runs of concurrent requests go to OpenSearch in one bulk request of at most this many. */
const MAX_BATCH = 1000;

/**
 * Bulk requests sent at once. OpenSearch spends milliseconds of CPU per bulk request whatever
 * its size (a 16-run bulk costs it ~4× per run what a 500-run one does), so one bulk is in
 * flight while the next requests gather; a second starts only when {@linkcode OVERLAP_AT}
 * runs wait (more arrive than one bulk at a time absorbs).
 */
const MAX_IN_FLIGHT = 2;

/** Runs waiting that justify a second bulk in flight. */
const OVERLAP_AT = 256;

interface Waiting {
  readonly runs: LogstashRun[];
  readonly done: (r: StoredRun[] | Error) => void;
}

// A request's answer from its own items: a refused item fails that request only.
function answerOf(runs: readonly LogstashRun[], outcomes: readonly CreateOutcome[]) {
  const stored: StoredRun[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 201 || outcome.status === 409) {
      stored.push({ created: outcome.status === 201, metadataKey: null });
    } else {
      const e = outcome.error;
      return new WriteRejected(
        503,
        `OpenSearch did not store the run: OpenSearch refused a document: ${
          e?.type ?? outcome.status
        }: ${e?.reason ?? ""}`,
      );
    }
  }
  return stored.length === runs.length
    ? stored
    : new WriteRejected(503, "OpenSearch did not store the run: incomplete bulk answer");
}

/**
 * A `writer` for the ingest options that stores runs in OpenSearch with bulk `create` (the
 * run key as `_id`: a re-sent run answers 409, counted as already stored). Requests that
 * arrive together share one `_bulk` (group commit);
 * each request is answered from its own items once OpenSearch acknowledged them (durable; no
 * refresh is asked for, so a read right after may not see them yet).
 *
 * @example
 * ```ts
 * import { openSearchRunWriter } from "./opensearch_ingest.ts";
 * // createLogstashIngest({ db, resolver, writer: openSearchRunWriter(client) });
 * ```
 */
export function openSearchRunWriter(client: Client): (runs: LogstashRun[]) => Promise<StoredRun[]> {
  const pending: Waiting[] = [];
  let scheduled = false;
  let inFlight = 0;
  let waitingRuns = 0;

  async function flush(): Promise<void> {
    scheduled = false;
    if (inFlight >= MAX_IN_FLIGHT || pending.length === 0) return;
    inFlight++;
    const batch: Waiting[] = [];
    let size = 0;
    while (pending.length > 0 && size < MAX_BATCH) {
      const next = pending.shift()!;
      batch.push(next);
      size += next.runs.length;
    }
    waitingRuns -= size;
    try {
      const outcomes = await bulkCreate(
        client,
        batch.flatMap((b) =>
          b.runs.map((run) => ({ index: run.index, id: run.runKey, source: run.document }))
        ),
      );
      let at = 0;
      for (const b of batch) {
        b.done(answerOf(b.runs, outcomes.slice(at, at + b.runs.length)));
        at += b.runs.length;
      }
    } catch (error) {
      const failure = new WriteRejected(
        503,
        `OpenSearch did not store the run: ${(error as Error).message}`,
      );
      for (const b of batch) b.done(failure);
    } finally {
      inFlight--;
      schedule();
    }
  }

  // The flush waits one macrotask so requests arriving together share it.
  function schedule(): void {
    if (scheduled || pending.length === 0 || inFlight >= MAX_IN_FLIGHT) return;
    if (inFlight > 0 && waitingRuns < OVERLAP_AT) return;
    scheduled = true;
    setTimeout(() => void flush(), 0);
  }

  return (runs) =>
    new Promise((resolve, reject) => {
      pending.push({ runs, done: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      waitingRuns += runs.length;
      schedule();
    });
}
