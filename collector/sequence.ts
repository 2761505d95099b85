/**
 * Packet loss detection from the 8-bit `pseq` counters (spec section 7): one counter per server
 * process and sequence class (f-stream, g-stream, everything else), never per packet code.
 *
 * @module
 */
import { sequenceClass } from "./decode/header.ts";

/**
 * Counts lost packets per server key.
 *
 * @example
 * ```ts
 * import { SequenceTracker } from "./sequence.ts";
 * const seq = new SequenceTracker();
 * seq.observe("s", "f", 0);
 * seq.observe("s", "f", 3); // 2 (packets 1 and 2 lost)
 * ```
 */
export class SequenceTracker {
  #last = new Map<string, number>();
  #lost = new Map<string, number>();

  /**
   * Records one packet and returns how many packets of its class were lost just before it.
   * Late, duplicated or reordered packets (a jump of 128 or more) count as no loss.
   */
  observe(server: string, code: string, pseq: number): number {
    const key = `${server}|${sequenceClass(code)}`;
    const last = this.#last.get(key);
    this.#last.set(key, pseq);
    if (last === undefined) return 0;
    const gap = (pseq - ((last + 1) & 0xff)) & 0xff;
    if (gap === 0 || gap >= 128) {
      // A reordered packet must not move the counter backwards.
      if (gap >= 128) this.#last.set(key, last);
      return 0;
    }
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

  /** Forgets a server (its process lifetime ended long ago). */
  forget(server: string): void {
    for (const cls of ["f", "g", "other"]) this.#last.delete(`${server}|${cls}`);
    this.#lost.delete(server);
  }
}
