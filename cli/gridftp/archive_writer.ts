/**
 * Stores batches of transfers: each distinct metadata posted once per run (cached), the data of
 * a batch sent as one bulk PUT per metadata. Re-sending data the archive already holds (after a
 * crash between its acknowledgement and our state write) is harmless: a 409 duplicate makes the
 * writer fall back to one POST per value, where duplicates count as already stored and JSON
 * values are simply replaced.
 *
 * @module
 */
import type { TransferMetadata, TransferPost, TransferValue } from "./transfer.ts";
import { metadataBody } from "./transfer.ts";

/** The archive operations the loader needs (implemented over `lib/esmond`). */
export interface ArchiveClient {
  /** Creates or finds the metadata; resolves to its key. */
  postMetadata(metadata: TransferMetadata): Promise<string>;
  /** One bulk PUT of points (each `ts` with its values) to a metadata. */
  putBulk(metadataKey: string, points: readonly BulkPoint[]): Promise<void>;
  /** One value to `<key>/<event type>/base`. */
  postValue(metadataKey: string, eventType: string, ts: number, val: unknown): Promise<void>;
}

/** The values of one timestamp in a bulk PUT. */
export interface BulkPoint {
  /** Epoch seconds. */
  readonly ts: number;
  /** Values at `ts`. */
  readonly values: readonly TransferValue[];
}

/** An archive answer that stops the run (network down, auth refused, server error). */
export class ArchiveUnavailableError extends Error {
  /** Creates the error from the failure that caused it. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ArchiveUnavailableError";
  }
}

/** Notes the writer makes for the program log. */
export interface WriterEvents {
  /** A record the archive refused for good (400): logged, not retried. */
  rejected?(post: TransferPost, reason: string): void;
  /** A value already stored (409 on a numeric type). */
  duplicate?(post: TransferPost | undefined, eventType: string, ts: number): void;
}

/** Counts of one batch. */
export interface BatchResult {
  /** Transfers stored. */
  readonly stored: number;
  /** Transfers whose metadata the archive refused. */
  readonly rejected: number;
  /** Values that were already in the archive. */
  readonly duplicates: number;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * A refusal of this record for good: the archive's 400, or the library refusing a value before
 * sending it. Retrying cannot help, and stopping would stall every later run at this record.
 */
function isRejection(error: unknown): boolean {
  return statusOf(error) === 400 || (error as Error | null)?.name === "ArchiveValidationError";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure rejects. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]);
  });
  await Promise.all(workers);
}

/** Options of {@linkcode TransferWriter}. */
export interface TransferWriterOptions {
  /** The archive. */
  readonly client: ArchiveClient;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Log hooks. */
  readonly events?: WriterEvents;
}

/**
 * Writes batches of transfers to the archive.
 *
 * @example
 * ```ts
 * import { type ArchiveClient, TransferWriter } from "./archive_writer.ts";
 * import assert from "node:assert/strict";
 * const client: ArchiveClient = {
 *   postMetadata: () => Promise.reject(new Error("not called")),
 *   putBulk: () => Promise.reject(new Error("not called")),
 *   postValue: () => Promise.reject(new Error("not called")),
 * };
 * const writer = new TransferWriter({ client });
 * // An empty batch sends nothing.
 * assert.deepEqual(await writer.writeBatch([]), { stored: 0, rejected: 0, duplicates: 0 });
 * ```
 */
export class TransferWriter {
  #client: ArchiveClient;
  #concurrency: number;
  #events: WriterEvents;
  #keys = new Map<string, string>();

  /** Creates a writer with an empty metadata cache. */
  constructor(options: TransferWriterOptions) {
    this.#client = options.client;
    this.#concurrency = options.concurrency ?? 4;
    this.#events = options.events ?? {};
  }

  /** Number of distinct metadata posted (or found) so far in this run. */
  get metadataCount(): number {
    return this.#keys.size;
  }

  /**
   * Stores every transfer of the batch; resolves only when the archive acknowledged all of it.
   * Throws {@linkcode ArchiveUnavailableError} when the archive cannot take the data.
   */
  async writeBatch(posts: readonly TransferPost[]): Promise<BatchResult> {
    const bodies = posts.map((post) => JSON.stringify(metadataBody(post.metadata)));
    const missing = [...new Set(bodies.filter((body) => !this.#keys.has(body)))];
    const refused = new Map<string, string>();
    await eachLimited(missing, this.#concurrency, async (body) => {
      const post = posts[bodies.indexOf(body)];
      try {
        this.#keys.set(body, await this.#client.postMetadata(post.metadata));
      } catch (error) {
        if (isRejection(error)) refused.set(body, describe(error));
        else throw unavailable("metadata post failed", error);
      }
    });
    const byKey = new Map<string, { post: TransferPost; point: BulkPoint }[]>();
    let rejected = 0;
    posts.forEach((post, i) => {
      const reason = refused.get(bodies[i]);
      if (reason !== undefined) {
        rejected++;
        this.#events.rejected?.(post, reason);
        return;
      }
      const key = this.#keys.get(bodies[i])!;
      const list = byKey.get(key) ?? [];
      list.push({ post, point: { ts: post.ts, values: post.values } });
      byKey.set(key, list);
    });
    let duplicates = 0;
    await eachLimited([...byKey], this.#concurrency, async ([key, entries]) => {
      try {
        await this.#client.putBulk(key, entries.map((e) => e.point));
        return;
      } catch (error) {
        if (statusOf(error) !== 409 && !isRejection(error)) {
          throw unavailable("bulk data put failed", error);
        }
      }
      const found = await this.#oneByOne(key, entries);
      duplicates += found;
    });
    return { stored: posts.length - rejected, rejected, duplicates };
  }

  async #oneByOne(
    key: string,
    entries: readonly { post: TransferPost; point: BulkPoint }[],
  ): Promise<number> {
    let duplicates = 0;
    for (const { post, point } of entries) {
      for (const value of point.values) {
        try {
          await this.#client.postValue(key, value.eventType, point.ts, value.val);
        } catch (error) {
          if (statusOf(error) === 409) {
            duplicates++;
            this.#events.duplicate?.(post, value.eventType, point.ts);
          } else if (isRejection(error)) {
            this.#events.rejected?.(post, `${value.eventType}: ${describe(error)}`);
          } else {
            throw unavailable("data post failed", error);
          }
        }
      }
    }
    return duplicates;
  }
}

function unavailable(what: string, error: unknown): ArchiveUnavailableError {
  return new ArchiveUnavailableError(`${what} - ERR: ${describe(error)}`, { cause: error });
}
