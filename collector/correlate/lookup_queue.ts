/**
 * Runs older-events lookups off the packet loop: each lookup is a promise tracked here, bounded
 * in number and time, and a failure falls back instead of losing the document.
 *
 * @module
 */

/** Options for {@linkcode LookupQueue}. */
export interface LookupQueueOptions {
  /** Most lookups in flight (default 10 000). */
  readonly maxPending?: number;
  /** Give up on one lookup after this many milliseconds (default 5 000). */
  readonly timeoutMs?: number;
  /** Hears about failed or timed-out lookups. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Tracks lookups in flight.
 *
 * @example
 * ```ts
 * import { LookupQueue } from "./lookup_queue.ts";
 * const queue = new LookupQueue({ timeoutMs: 100 });
 * if (queue.hasRoom()) queue.run(async () => () => console.log("done"), () => console.log("fallback"));
 * await queue.drain();
 * ```
 */
export class LookupQueue {
  #inflight = new Set<Promise<void>>();
  #max: number;
  #timeoutMs: number;
  #onError?: (error: unknown) => void;
  /** Lookups not started because too many were in flight. */
  skipped = 0;

  constructor(options: LookupQueueOptions = {}) {
    this.#max = options.maxPending ?? 10_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#onError = options.onError;
  }

  /** Lookups in flight. */
  get size(): number {
    return this.#inflight.size;
  }

  /** Whether another lookup may start; counts a skip when not. */
  hasRoom(): boolean {
    if (this.#inflight.size < this.#max) return true;
    this.skipped++;
    return false;
  }

  /**
   * Starts `work`; when it resolves, the function it returns is called. If it fails or takes
   * too long, `fallback` is called instead.
   */
  run(work: () => Promise<() => void>, fallback: () => void): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`lookup took over ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
    });
    const task = Promise.race([work(), timeout])
      .then((finish) => finish(), (error) => {
        this.#onError?.(error);
        fallback();
      })
      .catch((error) => this.#onError?.(error))
      .finally(() => {
        clearTimeout(timer);
        this.#inflight.delete(task);
      });
    this.#inflight.add(task);
  }

  /** Resolves once every lookup in flight (and any started meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }
}
