/**
 * Runs tasks with a concurrency limit while emitting their reports in submission order, so the
 * stdout of a concurrent `esmond-ps-get-bulk` reads exactly like a sequential run.
 *
 * @module
 */

/** A bounded pool whose results are delivered in order. */
export class OrderedPool {
  readonly #limit: number;
  readonly #emit: (text: string) => void;
  #running = 0;
  #waiters: Array<() => void> = [];
  #tail: Promise<void> = Promise.resolve();

  /**
   * Creates the pool.
   *
   * @example
   * ```ts
   * import { OrderedPool } from "./ordered.ts";
   * import assert from "node:assert/strict";
   * const out: string[] = [];
   * const pool = new OrderedPool(4, (text) => out.push(text));
   * await pool.submit(() => new Promise((done) => setTimeout(() => done("first"), 5)));
   * await pool.submit(() => Promise.resolve("second"));
   * await pool.drain();
   * assert.deepEqual(out, ["first", "second"]); // in submission order
   * ```
   */
  constructor(limit: number, emit: (text: string) => void) {
    this.#limit = limit;
    this.#emit = emit;
  }

  /** Emits `text` after everything submitted before it. */
  note(text: string): void {
    const previous = this.#tail;
    this.#tail = previous.then(() => this.#emit(text));
  }

  /** Waits for a free slot, starts `task`, and queues its report behind the earlier ones. */
  async submit(task: () => Promise<string>): Promise<void> {
    while (this.#running >= this.#limit) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#running++;
    const result = task().finally(() => {
      this.#running--;
      this.#waiters.shift()?.();
    });
    const previous = this.#tail;
    this.#tail = previous.then(async () => this.#emit(await result));
  }

  /** Waits until every report was emitted (rejects with the first task failure). */
  async drain(): Promise<void> {
    await this.#tail;
  }
}
