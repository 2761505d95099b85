/**
 * What the durable sinks (search, bus) share around their spool: the buffer of accepted
 * records appended to the spool in acceptance order, the wait-until-empty loop, and the retry
 * back-off.
 *
 * @module
 */
import type { SpoolRecord } from "./search/bulk_result.ts";
import type { Spool } from "./search/spool.ts";

/**
 * Records accepted since the last append, and the appends, run one after another so that spool
 * segments keep acceptance order. A failed append puts its records back in front.
 *
 * @example
 * ```ts
 * import { SpoolFeed } from "./spool_feed.ts";
 * import { openSpool } from "./search/spool.ts";
 * const spool = await openSpool({ maxBytes: 1 << 20 });
 * const feed = new SpoolFeed(spool);
 * feed.push({ index: "", id: "1", body: {} });
 * await feed.append();
 * spool.stats().docs; // 1
 * ```
 */
export class SpoolFeed {
  #buffer: SpoolRecord[] = [];
  #appending: Promise<void> = Promise.resolve();

  /** `onAppended` runs after each successful append (spool gauges). */
  constructor(readonly spool: Spool, readonly onAppended: () => void = () => {}) {}

  /** Buffers one record; returns how many are buffered now. */
  push(record: SpoolRecord): number {
    return this.#buffer.push(record);
  }

  /** Appends what is buffered (after the appends already under way). */
  append(): Promise<void> {
    const batch = this.#buffer;
    this.#buffer = [];
    const run = this.#appending.then(async () => {
      try {
        await this.spool.append(batch);
      } catch (error) {
        // Kept in memory rather than lost; the next append tries again.
        this.#buffer = batch.concat(this.#buffer);
        throw error;
      }
      this.onAppended();
    });
    this.#appending = run.catch(() => {});
    return run;
  }
}

/**
 * Calls `deliver(true)` until the spool is empty or `timeoutMs` passed, polling every `pollMs`;
 * resolves true when empty.
 *
 * @example
 * ```ts
 * import { drainSpool } from "./spool_feed.ts";
 * import { openSpool } from "./search/spool.ts";
 * const spool = await openSpool({ maxBytes: 1 << 20 });
 * await drainSpool(spool, () => Promise.resolve(), 0, 10); // true
 * ```
 */
export async function drainSpool(
  spool: Spool,
  deliver: (force: boolean) => Promise<void>,
  timeoutMs: number,
  pollMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  await deliver(true);
  while (spool.stats().docs > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    await deliver(true);
  }
  return spool.stats().docs === 0;
}

/**
 * Doubling retry delay between `minMs` and `maxMs`.
 *
 * @example
 * ```ts
 * import { Backoff } from "./spool_feed.ts";
 * const b = new Backoff(500, 30_000);
 * b.failed(); // 500
 * b.failed(); // 1000
 * b.reset();
 * b.active; // false
 * ```
 */
export class Backoff {
  #ms = 0;
  #until = 0;

  constructor(readonly minMs: number, readonly maxMs: number) {}

  /** Records a failure; returns the delay before the next attempt. */
  failed(): number {
    this.#ms = Math.min(this.maxMs, Math.max(this.minMs, this.#ms * 2));
    this.#until = Date.now() + this.#ms;
    return this.#ms;
  }

  /** Records a success. */
  reset(): void {
    this.#ms = 0;
    this.#until = 0;
  }

  /** True after a failure not yet followed by a success. */
  get active(): boolean {
    return this.#ms > 0;
  }

  /** True while the delay of the last failure has not passed. */
  get waiting(): boolean {
    return Date.now() < this.#until;
  }
}
