/**
 * The delivery loop a durable sink (search, bus) runs around its spool: the `--time` tick that
 * appends buffered records, one delivery at a time, retries after a back-off, the spool gauges,
 * and the drain-then-stop of `close()`. What a delivery sends, and how, stays with each sink.
 *
 * @module
 */
import type { Logger } from "../../lib/log/mod.ts";
import type { SpoolRecord } from "./search/bulk_result.ts";
import type { Spool } from "./search/spool.ts";
import { Backoff, drainSpool, SpoolFeed } from "./spool_feed.ts";

/** The counters a durable sink shares with its delivery loop. */
export interface SpoolDeliveryMetrics {
  /** Records in the spool now. */
  spoolDocs: number;
  /** Bytes in the spool now. */
  spoolBytes: number;
  /** Failed deliveries, each followed by a retry. */
  retries: number;
}

/** How a {@linkcode SpoolDelivery} is set up. */
export interface SpoolDeliveryOptions {
  /** The sink's spool. */
  readonly spool: Spool;
  /** The sink's counters: gauges and retries are kept here. */
  readonly metrics: SpoolDeliveryMetrics;
  /** Records buffered before a tick is run at once. */
  readonly batchSize: number;
  /** Back-off after a failed delivery: first and longest delay, ms. */
  readonly minBackoffMs: number;
  /** See {@linkcode SpoolDeliveryOptions.minBackoffMs}. */
  readonly maxBackoffMs: number;
  /** How often `drain()` looks again at the spool, ms. */
  readonly drainPollMs: number;
  /**
   * Sends the spool oldest-first until it is empty or something fails; on a failure it calls
   * {@linkcode SpoolDelivery.retryLater} and returns.
   */
  readonly deliverAll: () => Promise<void>;
  /** The sink's logger. */
  readonly log: Logger;
  /** Put in front of the loop's own log lines (`"bus "` or `""`). */
  readonly logPrefix: string;
  /** Runs after each tick has started its append (the search sink's periodic stats line). */
  readonly onTick?: () => void;
}

/**
 * One durable sink's delivery loop. At most one delivery runs at a time; a tick or flush during
 * one shares it.
 *
 * @example
 * ```ts
 * import { SpoolDelivery } from "./spool_delivery.ts";
 * import { openSpool } from "./search/spool.ts";
 * import { getLogger } from "../../lib/log/mod.ts";
 * const spool = await openSpool({ maxBytes: 1 << 20 });
 * const metrics = { spoolDocs: 0, spoolBytes: 0, retries: 0 };
 * const delivery: SpoolDelivery = new SpoolDelivery({
 *   spool, metrics, batchSize: 100, minBackoffMs: 500, maxBackoffMs: 15_000, drainPollMs: 250,
 *   log: getLogger("example"), logPrefix: "",
 *   deliverAll: async () => {
 *     const head = await spool.head();
 *     if (head !== undefined) await spool.replace(head.seq, []);
 *   },
 * });
 * delivery.push({ index: "", id: "1", body: {} });
 * await delivery.stop(1000); // true: the spool is empty
 * ```
 */
export class SpoolDelivery {
  /** The back-off the sink consults (`active`, `waiting`) and resets on success. */
  readonly backoff: Backoff;
  /** Why the last delivery failed (cleared by {@linkcode SpoolDelivery.succeeded}). */
  lastFailure: string | undefined;

  readonly #options: SpoolDeliveryOptions;
  readonly #feed: SpoolFeed;
  #delivering: Promise<void> | undefined;
  #flushTimer: ReturnType<typeof setInterval> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /** Builds the loop; {@linkcode SpoolDelivery.start} starts it. */
  constructor(options: SpoolDeliveryOptions) {
    this.#options = options;
    this.backoff = new Backoff(options.minBackoffMs, options.maxBackoffMs);
    this.#feed = new SpoolFeed(options.spool, () => this.updateGauges());
  }

  /** True once `stop()` finished draining. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Starts the tick every `flushIntervalMs` and a first delivery of what the spool holds. */
  start(flushIntervalMs: number): void {
    const timer = setInterval(() => this.tick(), flushIntervalMs);
    Deno.unrefTimer(timer as unknown as number);
    this.#flushTimer = timer;
    this.kick(true);
  }

  /** Buffers one accepted record; a full batch ticks at once. */
  push(record: SpoolRecord): void {
    if (this.#feed.push(record) >= this.#options.batchSize) this.tick();
  }

  /** Appends what is buffered to the spool (after the appends already under way). */
  append(): Promise<void> {
    return this.#feed.append();
  }

  /** Appends what is buffered, then starts a delivery unless backing off. */
  tick(): void {
    this.#feed.append().then(() => this.kick(false)).catch((error) =>
      this.#options.log.error(`${this.#options.logPrefix}spooling failed: {error}`, {
        error: String(error),
      })
    );
    this.#options.onTick?.();
  }

  /**
   * Starts a delivery (or joins the one under way); `force` ignores the back-off. Resolves when
   * it ended; never rejects.
   */
  kick(force: boolean): Promise<void> {
    if (this.#delivering) return this.#delivering;
    if (this.#closed || (!force && this.backoff.waiting)) return Promise.resolve();
    this.#delivering = this.#options.deliverAll().catch((error) => {
      this.#options.log.error(`${this.#options.logPrefix}delivery failed: {error}`, {
        error: String(error),
      });
    }).finally(() => {
      this.#delivering = undefined;
    });
    return this.#delivering;
  }

  /** Appends, then keeps delivering until the spool is empty or `timeoutMs` passed. */
  async drain(timeoutMs: number): Promise<boolean> {
    await this.#feed.append();
    return await drainSpool(
      this.#options.spool,
      (force) => this.kick(force),
      timeoutMs,
      this.#options.drainPollMs,
    );
  }

  /**
   * Stops the timers, drains for up to `timeoutMs`, then refuses further deliveries and waits
   * for the one under way. Resolves true when the spool was emptied.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    clearInterval(this.#flushTimer);
    clearTimeout(this.#retryTimer);
    const emptied = await this.drain(timeoutMs);
    this.#closed = true;
    await this.#delivering;
    return emptied;
  }

  /**
   * Records a failed delivery and schedules the next attempt (none once stopped); returns the
   * delay, ms, for the sink's log line.
   */
  retryLater(reason: string): number {
    this.lastFailure = reason;
    this.#options.metrics.retries++;
    const ms = this.backoff.failed();
    clearTimeout(this.#retryTimer);
    if (this.#closed) return ms;
    const timer = setTimeout(() => this.kick(false), ms);
    Deno.unrefTimer(timer as unknown as number);
    this.#retryTimer = timer;
    return ms;
  }

  /** Records a successful delivery: no back-off, no failure. */
  succeeded(): void {
    this.backoff.reset();
    this.lastFailure = undefined;
  }

  /** Copies the spool's size into the gauges. */
  updateGauges(): void {
    const { docs, bytes } = this.#options.spool.stats();
    this.#options.metrics.spoolDocs = docs;
    this.#options.metrics.spoolBytes = bytes;
  }
}
