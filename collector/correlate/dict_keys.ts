/**
 * Numeric cache keys for the dictids of many servers, so the correlator's caches hash numbers
 * rather than freshly built strings.
 *
 * @module
 */

/** Server numbers before renumbering: `number × 2³² + dictid` stays an exact integer. */
const MAX_SERVER_NUMBERS = 2 ** 21;

/** Options of {@linkcode DictKeys}. */
export interface DictKeysOptions {
  /**
   * Called before numbering starts again (after two million servers): every key handed out so
   * far may then be reused, so caches keyed by them must be emptied.
   */
  readonly onRenumber: () => void;
}

/**
 * Gives each server key a small number; the key of a dictid is `number × 2³² + dictid`.
 *
 * @example
 * ```ts
 * import { DictKeys } from "./dict_keys.ts";
 * import assert from "node:assert/strict";
 * const keys = new DictKeys({ onRenumber: () => {} });
 * assert.deepEqual(keys.key("10.1.2.3:41000-1795389000", 7), 4294967303);
 * keys.forget(() => false); // the server was forgotten: its number goes too
 * ```
 */
export class DictKeys {
  readonly #onRenumber: () => void;
  /** Server key → small number. */
  #serverNumbers = new Map<string, number>();
  #nextServerNumber = 1;

  /** Starts with no server numbered. */
  constructor(options: DictKeysOptions) {
    this.#onRenumber = options.onRenumber;
  }

  /**
   * The cache key of a dictid of a server. Dictid strings (`uniqId`) are built fresh per
   * record, and a `Map` spends ~1 µs hashing a new string against ~0.1 µs for a number; the
   * server key string is the same object for a run of packets, so its lookup here is cheap.
   */
  key(server: string, dictId: number): number {
    let number = this.#serverNumbers.get(server);
    if (number === undefined) {
      if (this.#nextServerNumber >= MAX_SERVER_NUMBERS) {
        // Two million server processes seen: start numbering again with empty caches rather
        // than let keys lose precision and collide. Later closes go out without joins.
        this.#onRenumber();
        this.#serverNumbers.clear();
        this.#nextServerNumber = 1;
      }
      number = this.#nextServerNumber++;
      this.#serverNumbers.set(server, number);
    }
    return number * 4294967296 + dictId;
  }

  /** The number of a server, if it has one. */
  numberOf(server: string): number | undefined {
    return this.#serverNumbers.get(server);
  }

  /** Drops the numbers of servers `known` says are gone (none of their keys is live). */
  forget(known: (server: string) => boolean): void {
    for (const server of this.#serverNumbers.keys()) {
      if (!known(server)) this.#serverNumbers.delete(server);
    }
  }
}
