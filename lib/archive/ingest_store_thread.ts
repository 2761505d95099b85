/**
 * The main-thread side of the `/logstash` ingest's writer thread
 * (`ingest_store_worker.ts`): requests arriving while one batch is being stored are sent
 * together as the next batch (group commit), one batch at a time, and each request is
 * answered from its own outcome once the batch's transaction committed.
 *
 * @module
 */
import type { PreparedRun, StoredRun } from "./pscheduler_store.ts";
import {
  errorFromTransfer,
  toTransfer,
  type TransferError,
  type TransferRun,
} from "./run_transfer.ts";

/** A message to the writer thread. */
export type IngestStoreRequest =
  | { readonly type: "open"; readonly path: string }
  | {
    readonly type: "store";
    readonly id: number;
    readonly now: number;
    readonly groups: readonly (readonly TransferRun[])[];
  }
  | { readonly type: "close" };

/** A message from the writer thread. */
type IngestStoreReply =
  | { readonly type: "opened" }
  | { readonly type: "failed"; readonly message: string }
  | {
    readonly type: "stored";
    readonly id: number;
    readonly results: readonly (StoredRun[] | TransferError)[];
  }
  | { readonly type: "closed" };

/** Options of {@linkcode startIngestStoreThread}. */
export interface IngestStoreThreadOptions {
  /** The archive database file (not `:memory:`: the thread opens it itself). */
  readonly path: string;
  /** Clock (UNIX seconds) of the event types' `time_updated`. */
  readonly now?: () => number;
  /** Most runs in one transaction (default 512). */
  readonly maxBatchRuns?: number;
}

/** A running writer thread. */
export interface IngestStoreThread {
  /** Stores one request's runs; resolves once they are committed. */
  store(runs: PreparedRun[]): Promise<StoredRun[]>;
  /** Stores what is queued, then closes the thread's database and ends the thread. */
  close(): Promise<void>;
}

interface Waiting {
  readonly runs: TransferRun[];
  readonly done: (outcome: StoredRun[] | Error) => void;
}

/**
 * Starts the writer thread on the database file at `path`; rejects when it cannot open it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startIngestStoreThread } from "./ingest_store_thread.ts";
 * import { openArchiveDb } from "./schema.ts";
 * const dir = await Deno.makeTempDir();
 * openArchiveDb(`${dir}/a.sqlite`).close();
 * const thread = await startIngestStoreThread({ path: `${dir}/a.sqlite` });
 * assert.deepEqual(await thread.store([]), []);
 * await thread.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function startIngestStoreThread(
  options: IngestStoreThreadOptions,
): Promise<IngestStoreThread> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const maxBatchRuns = options.maxBatchRuns ?? 512;
  const worker = new Worker(new URL("./ingest_store_worker.ts", import.meta.url).href, {
    type: "module",
  });
  let pending: Waiting[] = [];
  let inFlight: { id: number; batch: Waiting[] } | undefined;
  let nextId = 1;
  let stopped: Error | undefined;
  let drained: (() => void) | undefined;
  let closed: (() => void) | undefined;
  let opened: { resolve: () => void; reject: (e: Error) => void } | undefined;

  function fail(error: Error): void {
    stopped ??= error;
    const waiting = [...(inFlight?.batch ?? []), ...pending];
    inFlight = undefined;
    pending = [];
    for (const w of waiting) w.done(error);
    drained?.();
    closed?.();
    opened?.reject(error);
  }

  function send(): void {
    if (inFlight || pending.length === 0 || stopped) return;
    const batch: Waiting[] = [];
    let runs = 0;
    while (
      pending.length > 0 && (batch.length === 0 || runs + pending[0].runs.length <= maxBatchRuns)
    ) {
      const next = pending.shift()!;
      batch.push(next);
      runs += next.runs.length;
    }
    inFlight = { id: nextId++, batch };
    const request: IngestStoreRequest = {
      type: "store",
      id: inFlight.id,
      now: now(),
      groups: batch.map((w) => w.runs),
    };
    worker.postMessage(request);
  }

  worker.onmessage = (event: MessageEvent<IngestStoreReply>) => {
    const reply = event.data;
    if (reply.type === "opened") {
      opened?.resolve();
      opened = undefined;
    } else if (reply.type === "failed") {
      fail(new Error(`the ingest writer thread cannot open the database: ${reply.message}`));
    } else if (reply.type === "stored" && inFlight?.id === reply.id) {
      const { batch } = inFlight;
      inFlight = undefined;
      batch.forEach((w, i) => {
        const outcome = reply.results[i];
        w.done(Array.isArray(outcome) ? outcome : errorFromTransfer(outcome as TransferError));
      });
      // What arrived meanwhile is the next batch.
      send();
      if (!inFlight && pending.length === 0) drained?.();
    } else if (reply.type === "closed") {
      closed?.();
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(new Error(`the ingest writer thread stopped: ${event.message}`));
  };

  const thread: IngestStoreThread = {
    store(runs) {
      if (stopped) return Promise.reject(stopped);
      return new Promise((resolve, reject) => {
        pending.push({
          runs: runs.map(toTransfer),
          done: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
        });
        // One macrotask, so requests prepared together share the first batch too.
        if (!inFlight) setTimeout(send, 0);
      });
    },
    async close() {
      if (!stopped && (inFlight || pending.length > 0)) {
        await new Promise<void>((resolve) => (drained = resolve));
      }
      if (!stopped) {
        const done = new Promise<void>((resolve) => (closed = resolve));
        worker.postMessage({ type: "close" } satisfies IngestStoreRequest);
        await done;
        stopped = new Error("the ingest writer thread is closed");
      }
      worker.terminate();
    },
  };
  return new Promise((resolve, reject) => {
    opened = { resolve: () => resolve(thread), reject };
    worker.postMessage({ type: "open", path: options.path } satisfies IngestStoreRequest);
  });
}
