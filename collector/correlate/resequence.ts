/**
 * Resequencing per server and sequence counter (spec section 7, issue 17): datagrams that arrive
 * out of order wait in a reorder window and leave in `pseq` order; duplicates are dropped, late
 * datagrams are passed on at once, and only datagrams that never came count as lost.
 *
 * A datagram is released when every earlier one of its counter has been released, or when the
 * window of its counter is full, or when the oldest datagram held has waited the timeout; then
 * the missing ones are skipped (counted lost until they turn up late). The clock is the
 * arrival time handed in, so a replayed capture behaves exactly as it did live. An optional
 * `ready` check lets the head of a counter wait (up to the timeout) for records of another
 * counter it refers to — an f-stream open whose user login has not arrived yet.
 *
 * @module
 */

/**
 * The sequence-number family of a packet (see `sequenceClass` in `decode/header.ts`); `gtext` is
 * a g-stream with a text header line, whose number counts 0–999 (see {@linkcode sequenceModulus}).
 */
export type SequenceClass = "f" | "g" | "other" | "gtext";

/**
 * How many values the sequence number of a class takes before it wraps: 256 for the 8-bit
 * `pseq` of the binary header; 1000 for the `pseq` of a text-header g-stream line, which XRootD
 * counts up to 999 and then restarts at 0.
 *
 * @example
 * ```ts
 * import { sequenceModulus } from "./resequence.ts";
 * if (sequenceModulus("gtext") !== 1000 || sequenceModulus("f") !== 256) throw new Error();
 * ```
 */
export function sequenceModulus(cls: SequenceClass): number {
  return cls === "gtext" ? 1000 : 256;
}

/** `x` modulo `m`, in 0…m−1 (the 8-bit case as a mask: it is the hot path). */
function wrap(x: number, m: number): number {
  return m === 256 ? x & 0xff : ((x % m) + m) % m;
}

/** Per-server counters. */
export interface SequenceCounts {
  /** Datagrams that entered resequencing. */
  received: number;
  /** Datagrams that arrived after a later one and were put back in order. */
  reordered: number;
  /** Copies of a datagram already held or released, dropped. */
  duplicate: number;
  /** Datagrams older than the window (or whose gap was already skipped), passed on at once. */
  late: number;
  /** Datagrams skipped over that never came. */
  lost: number;
}

/** Options for {@linkcode Resequencer}. */
export interface ResequencerOptions<T> {
  /** Datagrams held per counter before the oldest gap is given up (default 256). */
  readonly window?: number;
  /** Seconds the oldest held datagram may wait (default 1; 0 passes everything on at once). */
  readonly timeoutSeconds?: number;
  /** Receives each datagram in order with its arrival time. */
  readonly deliver: (item: T, arrived: number) => void;
  /** Whether the head of a counter may go now; a `false` waits up to the timeout. */
  readonly ready?: (item: T, cls: SequenceClass) => boolean;
  /** Datagrams held over all servers before the fullest counter is released (default 65536). */
  readonly maxHeld?: number;
}

interface Held<T> {
  readonly item: T;
  readonly hash: number;
  readonly arrived: number;
}

/** In `Counter.seen`: a skipped `pseq` (a released one holds its datagram's hash, an int32). */
const SKIPPED = 0.5;
/** Consecutive strays (behind, neither duplicate nor late fill) before the counter resyncs. */
const RESYNC_AFTER = 8;

class Counter<T> {
  next = -1;
  /**
   * False until the first datagram left: until then an earlier datagram may still become the
   * head (the first one seen need not be the first one sent). A counter first seen at `pseq` 0
   * (a server's start) is settled at once.
   */
  settled = false;
  held: (Held<T> | undefined)[] | undefined;
  heldCount = 0;
  /** The held `pseq` farthest ahead of the head (valid while something is held). */
  farthest = 0;
  strays = 0;
  /** Per `pseq`: the hash of the datagram released last with it, or SKIPPED. */
  readonly seen: number[] = [];
  /** Values of the sequence number ({@linkcode sequenceModulus}). */
  readonly modulus: number;
  /** Distances from the head below this are ahead of it; the rest are behind. */
  readonly half: number;
  constructor(readonly server: ServerState<T>, readonly cls: SequenceClass) {
    this.modulus = sequenceModulus(cls);
    this.half = this.modulus / 2;
  }
}

interface ServerState<T> {
  readonly key: string;
  readonly counts: SequenceCounts;
  /** By class, or `class:stream` for a class numbered per stream (g-stream providers). */
  readonly counters: Record<string, Counter<T> | undefined>;
}

/**
 * FNV-1a over the datagram, to tell a duplicate from a different datagram with the same `pseq`.
 *
 * @example
 * ```ts
 * import { datagramHash } from "./resequence.ts";
 * if (datagramHash(new Uint8Array([1, 2])) === datagramHash(new Uint8Array([2, 1]))) {
 *   throw new Error("order must matter");
 * }
 * ```
 */
export function datagramHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h | 0;
}

/**
 * Puts datagrams of each server and counter back in `pseq` order.
 *
 * @example
 * ```ts
 * import { Resequencer } from "./resequence.ts";
 * const out: number[] = [];
 * const r = new Resequencer<number>({ deliver: (n) => out.push(n) });
 * for (const pseq of [0, 2, 1, 1]) r.push("s", "f", pseq, pseq, pseq, 0);
 * if (out.join() !== "0,1,2") throw new Error(out.join());
 * const c = r.counts("s")!;
 * if (c.reordered !== 1 || c.duplicate !== 1) throw new Error(JSON.stringify(c));
 * ```
 */
export class Resequencer<T> {
  #window: number;
  #timeout: number;
  #deliver: (item: T, arrived: number) => void;
  #ready?: (item: T, cls: SequenceClass) => boolean;
  #maxHeld: number;
  #servers = new Map<string, ServerState<T>>();
  #active = new Set<Counter<T>>();
  #held = 0;

  constructor(options: ResequencerOptions<T>) {
    this.#window = Math.max(1, Math.min(255, options.window ?? 256));
    this.#timeout = options.timeoutSeconds ?? 1;
    this.#deliver = options.deliver;
    this.#ready = options.ready;
    this.#maxHeld = Math.max(1, options.maxHeld ?? 65536);
  }

  /** Whether datagrams wait at all (`timeoutSeconds` > 0). */
  get enabled(): boolean {
    return this.#timeout > 0;
  }

  /** Datagrams held right now, over all servers. */
  get held(): number {
    return this.#held;
  }

  /**
   * The arrival time of the oldest datagram held, over all servers; `Infinity` when none is.
   *
   * @example
   * ```ts
   * import { Resequencer } from "./resequence.ts";
   * import assert from "node:assert/strict";
   * const r = new Resequencer<number>({ deliver: () => {} });
   * r.push("s", "f", 0, 0, 0, 10);
   * assert.equal(r.oldestArrival(), Infinity);
   * r.push("s", "f", 2, 2, 2, 11);
   * r.push("s", "f", 3, 3, 3, 12);
   * assert.equal(r.oldestArrival(), 11);
   * ```
   */
  oldestArrival(): number {
    let oldest = Infinity;
    for (const c of this.#active) oldest = Math.min(oldest, this.#oldest(c));
    return oldest;
  }

  /** Whether any counter holds a datagram (a {@linkcode tick} may release something). */
  get waiting(): boolean {
    return this.#active.size > 0;
  }

  /** Number of servers with sequence state. */
  get size(): number {
    return this.#servers.size;
  }

  /** The counters of one server, if it has state. */
  counts(server: string): SequenceCounts | undefined {
    return this.#servers.get(server)?.counts;
  }

  /** Every server with its counters. */
  *entries(): IterableIterator<[string, SequenceCounts]> {
    for (const [key, state] of this.#servers) yield [key, state.counts];
  }

  /** Datagrams of `server` that never came (all counters). */
  lost(server: string): number {
    return this.#servers.get(server)?.counts.lost ?? 0;
  }

  /** Every server with its count of datagrams that never came. */
  lostByServer(): Map<string, number> {
    return new Map([...this.#servers].map(([key, state]) => [key, state.counts.lost]));
  }

  /** Whether `server` has sequence state. */
  has(server: string): boolean {
    return this.#servers.has(server);
  }

  /**
   * Takes one datagram of `server`'s counter `cls` with sequence number `pseq`; `hash` is
   * {@linkcode datagramHash} of its bytes, `arrived` its arrival time (seconds, also the clock).
   * `stream` names one of several counters of that class on one server (XRootD numbers each
   * g-stream provider's packets on its own, all sent from the monitor's one socket).
   */
  push(
    server: string,
    cls: SequenceClass,
    pseq: number,
    hash: number,
    item: T,
    arrived: number,
    stream?: string,
  ) {
    let state = this.#servers.get(server);
    if (state === undefined) {
      state = {
        key: server,
        counts: { received: 0, reordered: 0, duplicate: 0, late: 0, lost: 0 },
        counters: {},
      };
      this.#servers.set(server, state);
    }
    state.counts.received++;
    const c = state.counters[stream === undefined ? cls : `${cls}:${stream}`] ??= new Counter(
      state,
      cls,
    );
    if (c.next < 0) {
      c.next = pseq;
      c.settled = pseq === 0 || !this.enabled;
    }
    const m = c.modulus;
    const d = wrap(pseq - c.next, m);
    if (d >= c.half && !c.settled && wrap(c.next - pseq, m) <= this.#window) {
      // Earlier than anything seen so far, and nothing has left yet: it becomes the head.
      c.next = pseq;
      if (pseq === 0) c.settled = true;
      state.counts.reordered++;
      this.#hold(c, pseq, { item, hash, arrived });
      this.#drain(c, arrived, false);
      return;
    }
    if (d < c.half) {
      const slot = c.held?.[pseq];
      if (slot !== undefined) {
        if (slot.hash === hash) state.counts.duplicate++;
        else this.#late(c, pseq, hash, item, arrived, false);
        return;
      }
      c.strays = 0;
      if (d === 0 && c.heldCount === 0 && c.settled && (this.#ready?.(item, cls) ?? true)) {
        // In order with nothing waiting: straight through.
        c.seen[pseq] = hash;
        c.next = wrap(pseq + 1, m);
        this.#deliver(item, arrived);
        return;
      }
      if (!this.enabled && d > 0) this.#skip(c, pseq);
      if (c.heldCount > 0 && d < wrap(c.farthest - c.next, m)) state.counts.reordered++;
      this.#hold(c, pseq, { item, hash, arrived });
      this.#drain(c, arrived, false);
      if (c.heldCount > this.#window || this.#held > this.#maxHeld) this.#release(c, arrived);
      return;
    }
    // Behind the window's head: a copy of a datagram released before, a late one whose gap was
    // already skipped, or (after a long outage) a counter that moved on without us.
    if (c.seen[pseq] === hash) {
      state.counts.duplicate++;
      return;
    }
    if (c.seen[pseq] === SKIPPED) {
      state.counts.lost--;
      c.seen[pseq] = hash;
      state.counts.late++;
      this.#deliver(item, arrived);
      return;
    }
    if (++c.strays >= RESYNC_AFTER) {
      this.#flushCounter(c);
      c.next = wrap(pseq + 1, m);
      c.strays = 0;
    }
    this.#late(c, pseq, hash, item, arrived, true);
  }

  /** Tries again the heads of `server`'s counters that waited for `ready`. */
  retry(server: string, now: number): void {
    const state = this.#servers.get(server);
    if (state === undefined) return;
    for (const c of Object.values(state.counters)) {
      if (c!.heldCount > 0) this.#drain(c!, now, false);
    }
  }

  /** Releases what has waited the timeout at `now`. */
  tick(now: number): void {
    for (const c of this.#active) {
      while (c.heldCount > 0 && this.#oldest(c) + this.#timeout <= now) this.#release(c, now);
    }
  }

  /** Releases everything held, in order (end of a replay, shutdown). */
  flush(): void {
    for (const c of this.#active) this.#flushCounter(c);
  }

  /** Releases what `server` holds and forgets its state (restart, eviction, silence). */
  forget(server: string): void {
    const state = this.#servers.get(server);
    if (state === undefined) return;
    for (const c of Object.values(state.counters)) this.#flushCounter(c!);
    this.#servers.delete(server);
  }

  #late(c: Counter<T>, pseq: number, hash: number, item: T, arrived: number, behind: boolean) {
    c.server.counts.late++;
    // A copy of this late datagram is then recognised as a duplicate.
    if (behind) c.seen[pseq] = hash;
    this.#deliver(item, arrived);
  }

  #hold(c: Counter<T>, pseq: number, held: Held<T>): void {
    (c.held ??= [])[pseq] = held;
    const m = c.modulus;
    if (c.heldCount === 0 || wrap(pseq - c.next, m) > wrap(c.farthest - c.next, m)) {
      c.farthest = pseq;
    }
    c.heldCount++;
    this.#held++;
    this.#active.add(c);
  }

  /** Skips the gap from the head up to `pseq` (exclusive), counting it lost. */
  #skip(c: Counter<T>, pseq: number): void {
    while (c.next !== pseq) {
      c.seen[c.next] = SKIPPED;
      c.server.counts.lost++;
      c.next = wrap(c.next + 1, c.modulus);
    }
  }

  /** Passes on the head of `c` and those after it, as far as they are there (and ready). */
  #drain(c: Counter<T>, now: number, force: boolean): void {
    const held = c.held;
    if (held === undefined) return;
    for (let h = held[c.next]; h !== undefined; h = held[c.next]) {
      if (!force && !c.settled && h.arrived + this.#timeout > now) break;
      if (
        !force && this.#ready !== undefined && h.arrived + this.#timeout > now &&
        !this.#ready(h.item, c.cls)
      ) break;
      force = false;
      c.settled = true;
      held[c.next] = undefined;
      c.heldCount--;
      this.#held--;
      c.seen[c.next] = h.hash;
      c.next = wrap(c.next + 1, c.modulus);
      this.#deliver(h.item, h.arrived);
    }
    if (c.heldCount === 0) this.#active.delete(c);
  }

  /** Gives up waiting at the head of `c`: skips to the first held datagram and passes it on. */
  #release(c: Counter<T>, now: number): void {
    if (c.heldCount === 0 || c.held === undefined) return;
    if (c.held[c.next] === undefined) {
      let d = 1;
      while (c.held[wrap(c.next + d, c.modulus)] === undefined) d++;
      this.#skip(c, wrap(c.next + d, c.modulus));
    }
    this.#drain(c, now, true);
  }

  #flushCounter(c: Counter<T>): void {
    while (c.heldCount > 0) this.#release(c, Infinity);
  }

  #oldest(c: Counter<T>): number {
    let oldest = Infinity;
    const held = c.held;
    if (held === undefined) return oldest;
    for (let i = 0; i < c.modulus; i++) {
      const h = held[i];
      if (h !== undefined && h.arrived < oldest) oldest = h.arrived;
    }
    return oldest;
  }
}
