/**
 * Packet loss detection from the 8-bit `pseq` counters (spec section 7): one counter per server
 * process and sequence class (f-stream, g-stream, everything else), never per packet code.
 *
 * @module
 */
import { sequenceClass } from "../decode/header.ts";

interface ServerSequences {
  /** Last pseq per class; -1 before the first packet of that class. */
  f: number;
  g: number;
  other: number;
  seen: number;
}

/**
 * Counts lost packets per server key.
 *
 * @example
 * ```ts
 * import { SequenceTracker } from "./sequence.ts";
 * import assert from "node:assert/strict";
 * const seq = new SequenceTracker();
 * seq.observe("s", "f", 0);
 * assert.deepEqual(seq.observe("s", "f", 3), 2); // packets 1 and 2 lost
 * ```
 */
export class SequenceTracker {
  #servers = new Map<string, ServerSequences>();
  #lost = new Map<string, number>();

  /**
   * Records one packet (arrived at `now`, seconds) and returns how many packets of its class
   * were lost just before it.
   * Late, duplicated or reordered packets (a jump of 128 or more) count as no loss.
   */
  observe(server: string, code: string, pseq: number, now = 0): number {
    let state = this.#servers.get(server);
    if (state === undefined) {
      this.#servers.set(server, state = { f: -1, g: -1, other: -1, seen: now });
      this.#lost.set(server, 0);
    }
    state.seen = now;
    const cls = sequenceClass(code);
    const last = state[cls];
    if (last < 0) {
      state[cls] = pseq;
      return 0;
    }
    const gap = (pseq - ((last + 1) & 0xff)) & 0xff;
    // A late or reordered packet must not move the counter backwards.
    if (gap >= 128) return 0;
    state[cls] = pseq;
    if (gap === 0) return 0;
    this.#lost.set(server, (this.#lost.get(server) ?? 0) + gap);
    return gap;
  }

  /** Packets lost so far for one server key (all classes). */
  lost(server: string): number {
    return this.#lost.get(server) ?? 0;
  }

  /** Every server key with its lost-packet count. */
  lostByServer(): ReadonlyMap<string, number> {
    return this.#lost;
  }

  /** Forgets servers not heard from since `before` (their process lifetime ended). */
  sweep(before: number): void {
    for (const [server, state] of this.#servers) {
      if (state.seen >= before) continue;
      this.#servers.delete(server);
      this.#lost.delete(server);
    }
  }
}
