/**
 * A single-producer single-consumer ring of datagrams in a `SharedArrayBuffer`, so the thread
 * that receives from the socket never waits for the one that decodes: a burst that arrives
 * while decoding is busy waits here (megabytes) instead of in the kernel's small socket
 * buffer, where it would be dropped.
 *
 * Frame layout (big-endian, 4-byte aligned): int32 frame size, int32 data length, float64
 * arrival time, uint16 sender port, uint8 sender address length, address bytes, data. A frame
 * size of -1 marks "continue at offset 0".
 *
 * @module
 */
import type { Sender } from "./sender.ts";

const USED = 0; // bytes in use (frames + wrap padding)
const WRITE = 1; // producer offset
const READ = 2; // consumer offset
const SEQ = 3; // bumped per frame, for waiting
const WAITING = 4; // consumer is asleep on SEQ
const DROPPED = 5; // frames refused because the ring was full
const CLOSED = 6; // producer finished
const STOP = 7; // consumer asks the producer to stop
const CONTROL_INTS = 8;
const FRAME_HEAD = 4 + 4 + 8 + 2 + 1;
const WRAP = -1;

/** The shared memory of a ring: hand it to the other thread with `postMessage`. */
export interface RingMemory {
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

/**
 * Allocates a ring of `bytes` bytes (rounded up to a multiple of 4).
 *
 * @example
 * ```ts
 * import { createRing, RingReader, RingWriter } from "./ring.ts";
 * const memory = createRing(1 << 20);
 * new RingWriter(memory).push(new Uint8Array([1]), { hostname: "::1", port: 9 }, 1);
 * new RingReader(memory).drain((bytes) => console.log(bytes), 10);
 * ```
 */
export function createRing(bytes: number): RingMemory {
  return {
    control: new SharedArrayBuffer(CONTROL_INTS * 4),
    data: new SharedArrayBuffer(Math.ceil(bytes / 4) * 4),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The producer side (the receiving thread).
 *
 * @example
 * ```ts
 * import { createRing, RingWriter } from "./ring.ts";
 * const writer = new RingWriter(createRing(1 << 20));
 * writer.push(new Uint8Array(8), { hostname: "127.0.0.1", port: 9930 }, Date.now() / 1000);
 * ```
 */
export class RingWriter {
  #ctl: Int32Array;
  #bytes: Uint8Array;
  #view: DataView;
  #cap: number;

  constructor(memory: RingMemory) {
    this.#ctl = new Int32Array(memory.control);
    this.#bytes = new Uint8Array(memory.data);
    this.#view = new DataView(memory.data);
    this.#cap = memory.data.byteLength;
  }

  /** True once the reader asked the producer to stop. */
  get stopRequested(): boolean {
    return Atomics.load(this.#ctl, STOP) === 1;
  }

  /**
   * Copies one datagram in; returns false (and counts a drop) when the ring is full.
   * `hostBytes` is the sender address already encoded (saves encoding it per datagram).
   */
  push(data: Uint8Array, from: Sender, t: number, hostBytes?: Uint8Array): boolean {
    const ctl = this.#ctl;
    const host = (hostBytes ?? encoder.encode(from.hostname)).subarray(0, 255);
    const size = (FRAME_HEAD + host.length + data.length + 3) & ~3;
    let at = Atomics.load(ctl, WRITE);
    const used = Atomics.load(ctl, USED);
    const tail = this.#cap - at;
    const wraps = tail < size;
    if (used + size + (wraps ? tail : 0) > this.#cap || size > this.#cap) {
      Atomics.add(ctl, DROPPED, 1);
      return false;
    }
    if (wraps) {
      if (tail >= 4) this.#view.setInt32(at, WRAP);
      Atomics.add(ctl, USED, tail);
      at = 0;
    }
    const view = this.#view;
    view.setInt32(at, size);
    view.setInt32(at + 4, data.length);
    view.setFloat64(at + 8, t);
    view.setUint16(at + 16, from.port);
    view.setUint8(at + 18, host.length);
    this.#bytes.set(host, at + FRAME_HEAD);
    this.#bytes.set(data, at + FRAME_HEAD + host.length);
    const next = at + size;
    Atomics.store(ctl, WRITE, next === this.#cap ? 0 : next);
    Atomics.add(ctl, USED, size);
    this.#wake();
    return true;
  }

  /** Marks the stream finished and wakes the reader. */
  close(): void {
    Atomics.store(this.#ctl, CLOSED, 1);
    this.#wake();
  }

  #wake(): void {
    Atomics.add(this.#ctl, SEQ, 1);
    if (Atomics.load(this.#ctl, WAITING) === 1) {
      Atomics.store(this.#ctl, WAITING, 0);
      Atomics.notify(this.#ctl, SEQ);
    }
  }
}

/**
 * The consumer side (the decoding thread).
 *
 * @example
 * ```ts
 * import { createRing, RingReader } from "./ring.ts";
 * const reader = new RingReader(createRing(1 << 20));
 * await reader.wait(10);
 * reader.drain((bytes, from) => console.log(from, bytes.length), 100);
 * ```
 */
export class RingReader {
  #ctl: Int32Array;
  #bytes: Uint8Array;
  #view: DataView;
  #cap: number;
  #hosts = new Map<string, string>();
  #last?: { bytes: Uint8Array; port: number; sender: Sender };

  constructor(memory: RingMemory) {
    this.#ctl = new Int32Array(memory.control);
    this.#bytes = new Uint8Array(memory.data);
    this.#view = new DataView(memory.data);
    this.#cap = memory.data.byteLength;
  }

  /** Frames the producer had to drop because the ring was full. */
  get dropped(): number {
    return Atomics.load(this.#ctl, DROPPED);
  }

  /** Asks the producer to stop (seen by a producer that cannot take messages while busy). */
  requestStop(): void {
    Atomics.store(this.#ctl, STOP, 1);
  }

  /** True once the producer closed and every frame was read. */
  get finished(): boolean {
    return Atomics.load(this.#ctl, CLOSED) === 1 && Atomics.load(this.#ctl, USED) === 0;
  }

  /**
   * Hands up to `max` datagrams to `handle` (the bytes are a view into the ring, valid only
   * during the call); returns how many.
   */
  drain(handle: (bytes: Uint8Array, from: Sender, t: number) => void, max: number): number {
    const ctl = this.#ctl;
    let n = 0;
    while (n < max && Atomics.load(ctl, USED) > 0) {
      let at = Atomics.load(ctl, READ);
      const tail = this.#cap - at;
      if (tail < 4 || this.#view.getInt32(at) === WRAP) {
        Atomics.store(ctl, READ, 0);
        Atomics.sub(ctl, USED, tail);
        continue;
      }
      const view = this.#view;
      const size = view.getInt32(at);
      const length = view.getInt32(at + 4);
      const t = view.getFloat64(at + 8);
      const port = view.getUint16(at + 16);
      const hostLength = view.getUint8(at + 18);
      const from = this.#sender(at + FRAME_HEAD, hostLength, port);
      const start = at + FRAME_HEAD + hostLength;
      try {
        handle(this.#bytes.subarray(start, start + length), from, t);
      } finally {
        at += size;
        Atomics.store(ctl, READ, at === this.#cap ? 0 : at);
        Atomics.sub(ctl, USED, size);
        n++;
      }
    }
    return n;
  }

  /**
   * Resolves when frames may be there (or the producer closed), at once if some are, and at
   * the latest after `timeoutMs` (a pending `Atomics.waitAsync` alone does not keep Deno's
   * event loop alive; the timer does).
   */
  async wait(timeoutMs = 100): Promise<void> {
    const ctl = this.#ctl;
    const seq = Atomics.load(ctl, SEQ);
    Atomics.store(ctl, WAITING, 1);
    if (Atomics.load(ctl, USED) > 0 || Atomics.load(ctl, CLOSED) === 1) {
      Atomics.store(ctl, WAITING, 0);
      return;
    }
    const result = Atomics.waitAsync(ctl, SEQ, seq, timeoutMs);
    if (result.async) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        result.value,
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    Atomics.store(ctl, WAITING, 0);
  }

  /** The sender of a frame; consecutive frames from one sender share one object. */
  #sender(at: number, length: number, port: number): Sender {
    const last = this.#last;
    if (last !== undefined && last.port === port && last.bytes.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (this.#bytes[at + i] !== last.bytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return last.sender;
    }
    const bytes = this.#bytes.slice(at, at + length);
    const sender = { hostname: this.#host(bytes), port };
    this.#last = { bytes, port, sender };
    return sender;
  }

  #host(bytes: Uint8Array): string {
    // Few distinct senders: decode each address once. The key copies the bytes as text.
    const key = String.fromCharCode.apply(null, bytes as unknown as number[]);
    let host = this.#hosts.get(key);
    if (host === undefined) {
      host = decoder.decode(bytes.slice());
      if (this.#hosts.size > 100_000) this.#hosts.clear();
      this.#hosts.set(key, host);
    }
    return host;
  }
}
