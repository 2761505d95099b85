/**
 * A byte output written by a thread of its own: the main thread copies bytes into a shared
 * ring and goes on; the output thread (`output_worker.ts`) writes them to the file or stdout.
 * Async writes from the main thread completed at most one per event-loop turn, so while the
 * decoding loop was busy they fell behind, every chunk was a freshly allocated MiB (one page
 * fault per 4 KiB of documents, on the decoding thread) and the queue held the whole run; the
 * write itself (≈ 2 ns a byte into the page cache here) must not run on that thread either.
 *
 * @module
 */
import { ERRORS, FAILING, FLUSH, HEAD, SLOTS, STOP, TAIL } from "./output_ring_layout.ts";

/** Options for {@linkcode OutputRing.open}. */
export interface OutputRingOptions {
  /** File to append to; stdout when not given. */
  readonly path?: string;
  /** Ring size in bytes, a power of two (default 32 MiB: the documents of ≈ 16,000 small packets). */
  readonly bytes?: number;
  /**
   * The bytes pushed are frames (`correlate/frames.ts`), rendered into NDJSON by the output
   * thread; otherwise they are written as they are.
   */
  readonly frames?: boolean;
  /** Hears about failed writes (the bytes stay in the ring and are retried at the next flush). */
  readonly onError?: (error: Error) => void;
}

/** One wait of `push` for room while the output thread is writing. */
const WAIT_MS = 100;
/**
 * How long `push` waits for a ring that does not drain at all before it gives up and leaves
 * the rest to the caller: a dead output thread (its error event cannot arrive while this thread
 * blocks) or a stdout nobody reads must not hang the collector.
 */
const STALL_MS = 5000;

/**
 * The main thread's side of the ring.
 *
 * @example
 * ```ts
 * import { OutputRing } from "./output_ring.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * const ring = await OutputRing.open({ path });
 * assert.equal(ring.push(new TextEncoder().encode("a\n")), 2);
 * await ring.close();
 * assert.equal(await Deno.readTextFile(path), "a\n");
 * ```
 */
export class OutputRing {
  #worker: Worker;
  #data: Uint8Array;
  #control: Int32Array;
  #stopped: Promise<void>;
  /** `HEAD` when a push last gave up waiting: later pushes do not wait again until it moves. */
  #stalledAt?: number;
  /** Set when the output thread died: flushes stop waiting for it. */
  #state: { dead: boolean };

  private constructor(
    worker: Worker,
    data: Uint8Array,
    control: Int32Array,
    stopped: Promise<void>,
    state: { dead: boolean },
  ) {
    this.#worker = worker;
    this.#data = data;
    this.#control = control;
    this.#stopped = stopped;
    this.#state = state;
  }

  /** Starts the output thread; rejects when it cannot open the file. */
  static open(options: OutputRingOptions): Promise<OutputRing> {
    const size = options.bytes ?? 32 << 20;
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError("ring size: a power of two");
    const data = new SharedArrayBuffer(size);
    const control = new SharedArrayBuffer(SLOTS * 4);
    const worker = new Worker(new URL("./output_worker.ts", import.meta.url).href, {
      type: "module",
    });
    let stopped = () => {};
    const done = new Promise<void>((r) => (stopped = r));
    const state = { dead: false };
    return new Promise((resolve, reject) => {
      worker.onerror = (event) => {
        event.preventDefault();
        // Nothing will drain the ring any more: pushes hand their bytes back, flushes end.
        state.dead = true;
        Atomics.store(new Int32Array(control), FAILING, 1);
        reject(new Error(`output thread failed: ${event.message}`));
        options.onError?.(new Error(`output thread failed: ${event.message}`));
        stopped();
      };
      worker.onmessage = (event: MessageEvent) => {
        const message = event.data;
        if (message.type === "ready") {
          resolve(
            new OutputRing(worker, new Uint8Array(data), new Int32Array(control), done, state),
          );
        } else if (message.type === "error" && message.fatal) {
          worker.terminate();
          reject(new Error(message.message));
        } else if (message.type === "error") {
          options.onError?.(new Error(message.message));
        } else if (message.type === "stopped") {
          stopped();
        }
      };
      worker.postMessage({ path: options.path, data, control, frames: options.frames });
    });
  }

  /** Bytes in the ring not written yet. */
  get pendingBytes(): number {
    return (Atomics.load(this.#control, TAIL) - Atomics.load(this.#control, HEAD)) >>> 0;
  }

  /**
   * Copies `bytes` into the ring, waiting for room while the output thread is writing; returns
   * how many were taken, fewer only while writes fail or nothing drained for 5 s (the caller
   * keeps the rest).
   */
  push(bytes: Uint8Array): number {
    const control = this.#control;
    const data = this.#data;
    const size = data.length;
    let done = 0;
    let stalled = 0;
    while (done < bytes.length) {
      const tail = Atomics.load(control, TAIL);
      const head = Atomics.load(control, HEAD);
      const free = size - ((tail - head) >>> 0);
      if (free === 0) {
        if (Atomics.load(control, FAILING) !== 0 || head === this.#stalledAt) break;
        if (stalled >= STALL_MS) {
          this.#stalledAt = head;
          break;
        }
        // Back-pressure: an output slower than the documents holds up the decoding loop
        // (whose receive queue then takes the burst) instead of growing memory without end.
        if (Atomics.wait(control, HEAD, head, WAIT_MS) === "timed-out") stalled += WAIT_MS;
        else stalled = 0;
        continue;
      }
      this.#stalledAt = undefined;
      const n = Math.min(free, bytes.length - done);
      const at = tail & (size - 1);
      const first = Math.min(n, size - at);
      data.set(bytes.subarray(done, done + first), at);
      if (first < n) data.set(bytes.subarray(done + first, done + n), 0);
      Atomics.store(control, TAIL, (tail + n) | 0);
      Atomics.notify(control, TAIL);
      done += n;
    }
    return done;
  }

  /**
   * Resolves once everything pushed so far is written, or a write failed meanwhile (reported
   * to `onError`; its bytes are retried at the next flush).
   */
  async flush(): Promise<void> {
    const control = this.#control;
    const target = Atomics.load(control, TAIL);
    const errors = Atomics.load(control, ERRORS);
    Atomics.add(control, FLUSH, 1);
    Atomics.notify(control, FLUSH);
    for (;;) {
      const head = Atomics.load(control, HEAD);
      if (((target - head) | 0) <= 0 || Atomics.load(control, ERRORS) !== errors) return;
      if (this.#state.dead) return;
      const wait = Atomics.waitAsync(control, HEAD, head, 1000);
      if (wait.async) await wait.value;
    }
  }

  /** Writes what is left (one more try after a failure), stops the thread, closes the file. */
  async close(): Promise<void> {
    await this.flush();
    Atomics.store(this.#control, STOP, 1);
    Atomics.notify(this.#control, TAIL);
    Atomics.add(this.#control, FLUSH, 1);
    Atomics.notify(this.#control, FLUSH);
    await this.#stopped;
    this.#worker.terminate();
  }
}
