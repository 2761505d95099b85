/**
 * `--rate`: a limit on esmond points read per second, shared by all series. Reads take
 * tokens after each page; a page larger than the budget waits until it is paid for.
 *
 * @module
 */

/** A points-per-second limiter (0 = unlimited). */
export class RateLimiter {
  readonly #rate: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #next: number;

  /**
   * Creates the limiter.
   *
   * @example
   * ```ts
   * import { RateLimiter } from "./rate.ts";
   * let now = 0;
   * const slept: number[] = [];
   * const limiter = new RateLimiter(1000, { now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } });
   * await limiter.take(500);
   * await limiter.take(1000);
   * if (slept.join() !== "500") throw new Error(slept.join());
   * ```
   */
  constructor(
    rate: number,
    options: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.#rate = rate;
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#next = this.#now();
  }

  /** Pays for `points`; waits when the budget is spent. */
  async take(points: number): Promise<void> {
    if (this.#rate <= 0 || points <= 0) return;
    const now = this.#now();
    const start = Math.max(this.#next, now);
    const wait = start - now;
    this.#next = start + (points / this.#rate) * 1000;
    if (wait > 0) await this.#sleep(wait);
  }
}
