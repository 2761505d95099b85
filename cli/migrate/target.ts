/**
 * Where migrated documents go, and the batcher that groups the documents of all running series
 * into bulk requests.
 *
 * @module
 */
import type { MigratedDocument } from "../../lib/pscheduler/esmond_run_document.ts";

/** A document the target refused for good (mapping error, bad request). */
export interface RefusedDocument {
  /** The document id. */
  readonly id: string;
  /** The index. */
  readonly index: string;
  /** The esmond key of its series. */
  readonly esmondKey: string;
  /** The target's reason. */
  readonly reason: string;
}

/** The outcome of writing one batch. */
export interface WriteOutcome {
  /** Documents created now. */
  readonly created: number;
  /** Documents that were already there (same id): a resumed run. */
  readonly existed: number;
  /** Documents refused. */
  readonly refused: readonly RefusedDocument[];
}

/**
 * A document as a target that sends text holds it once {@linkcode DocumentTarget.encode}d: its
 * bulk lines instead of the object tree (a fraction of the memory; the tree is garbage at once).
 */
export interface EncodedDocument {
  /** The document id. */
  readonly id: string;
  /** The index. */
  readonly index: string;
  /** The esmond key of its series (for the refusal report). */
  readonly esmondKey: string;
  /** What the target sends for it (for OpenSearch: the `create` action and source lines). */
  readonly text: string;
}

/** A place documents are written to. */
export interface DocumentTarget {
  /** For messages (URL without credentials). */
  readonly description: string;
  /**
   * `body`: the target runs the Logstash pipeline itself and takes pScheduler http-archiver
   * bodies (`document` of each item is then the body); default: finished documents.
   */
  readonly takes?: "document" | "body";
  /**
   * Records the esmond metadata of a series (as the source rendered it) before its runs, so
   * readers list it as the source did; a target without it keeps runs only.
   */
  describe?(md: Readonly<Record<string, unknown>>): Promise<void>;
  /** Writes a batch; retries what can be retried; throws when the target stays unusable. */
  write(documents: readonly MigratedDocument[]): Promise<WriteOutcome>;
  /**
   * Targets that send text: the {@linkcode Batcher} encodes each document as it is added and
   * gives the batches to {@linkcode DocumentTarget.writeEncoded} (same contract as `write`).
   */
  readonly encoded?: {
    encode(document: MigratedDocument): EncodedDocument;
    writeEncoded(documents: readonly EncodedDocument[]): Promise<WriteOutcome>;
  };
  /** Releases connections. */
  close(): Promise<void>;
}

/** Running totals of the writes. */
export interface WriteTotals {
  created: number;
  existed: number;
  refused: RefusedDocument[];
}

/**
 * Collects documents from concurrent series into batches of `size` and writes at most
 * `inflight` batches at once. {@linkcode Batcher.add} waits when that many are in flight, so
 * memory stays bounded; each document's ticket settles when its batch is written.
 *
 * @example
 * ```ts
 * import { Batcher } from "./target.ts";
 * const written: number[] = [];
 * const batcher = new Batcher({
 *   description: "test",
 *   write: async (docs) => (written.push(docs.length), { created: docs.length, existed: 0, refused: [] }),
 *   close: async () => {},
 * }, { size: 2, inflight: 1 });
 * const doc = { index: "i", id: "x", document: {}, unmapped: [] };
 * const tickets = [];
 * for (let i = 0; i < 3; i++) tickets.push((await batcher.add(doc)).ticket);
 * batcher.flush();
 * await Promise.all(tickets);
 * if (written.join() !== "2,1" || batcher.totals.created !== 3) throw new Error(written.join());
 * ```
 */
export class Batcher {
  readonly #target: DocumentTarget;
  readonly #size: number;
  readonly #inflightLimit: number;
  #buffer: (MigratedDocument | EncodedDocument)[] = [];
  #ticket: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void };
  readonly #inflight = new Set<Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Totals so far. */
  readonly totals: WriteTotals = { created: 0, existed: 0, refused: [] };

  /** Creates the batcher over `target`. */
  constructor(target: DocumentTarget, options: { size: number; inflight: number }) {
    this.#target = target;
    this.#size = options.size;
    this.#inflightLimit = Math.max(1, options.inflight);
    this.#ticket = Promise.withResolvers<void>();
  }

  /**
   * Adds a document; resolves (after back-pressure) with the ticket of its batch, a promise
   * that settles when the batch is written.
   */
  async add(document: MigratedDocument): Promise<{ ticket: Promise<void> }> {
    while (this.#inflight.size >= this.#inflightLimit) await Promise.race(this.#inflight);
    const encoded = this.#target.encoded;
    this.#buffer.push(encoded ? encoded.encode(document) : document);
    const ticket = this.#ticket.promise;
    if (this.#buffer.length >= this.#size) this.flush();
    return { ticket };
  }

  /** Starts writing what is buffered (no-op when empty). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    const ticket = this.#ticket;
    this.#buffer = [];
    this.#ticket = Promise.withResolvers<void>();
    ticket.promise.catch(() => {}); // the series awaiting it reports the error
    const encoded = this.#target.encoded;
    const written = encoded
      ? encoded.writeEncoded(batch as EncodedDocument[])
      : this.#target.write(batch as MigratedDocument[]);
    const running = written.then((outcome) => {
      this.totals.created += outcome.created;
      this.totals.existed += outcome.existed;
      this.totals.refused.push(...outcome.refused);
      ticket.resolve();
    }, (error) => ticket.reject(error));
    const tracked = running.finally(() => this.#inflight.delete(tracked));
    this.#inflight.add(tracked);
  }

  /**
   * Flushes within a few milliseconds unless the batch fills first: a series that ends waits
   * for its documents without sending a tiny batch of its own when others are still adding.
   */
  flushSoon(delayMs = 20): void {
    if (this.#timer !== undefined || this.#buffer.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, delayMs);
  }

  /** Flushes and waits for every batch. */
  async drain(): Promise<void> {
    this.flush();
    while (this.#inflight.size > 0) await Promise.race(this.#inflight);
  }
}
