/**
 * A memory cache whose entries expire after a fixed time and whose size is bounded: when full,
 * the oldest entry goes. Time is passed in (seconds), so replays of captures behave like the
 * live collector did.
 *
 * @module
 */

interface Slot<V> {
  value: V;
  expires: number;
}

/** Options for {@linkcode TtlCache}. */
export interface TtlCacheOptions {
  /** Seconds an entry lives after it was set. */
  readonly ttlSeconds: number;
  /** Most entries kept; the oldest is evicted beyond that. */
  readonly maxEntries: number;
}

/**
 * Insertion-ordered TTL cache; `Map` keeps insertion order, so the oldest entries are first
 * and both expiry and eviction pop from the front. Keys are strings unless `K` says otherwise
 * (numbers hash much faster than freshly built strings).
 *
 * @example
 * ```ts
 * import { TtlCache } from "./cache.ts";
 * import assert from "node:assert/strict";
 * const cache = new TtlCache<string>({ ttlSeconds: 60, maxEntries: 1000 });
 * cache.set("k", "v", 0);
 * assert.deepEqual(cache.get("k", 30), "v");
 * assert.deepEqual(cache.get("k", 61), undefined);
 * ```
 */
export class TtlCache<V, K = string> {
  #slots = new Map<K, Slot<V>>();
  #ttl: number;
  #max: number;
  /** Entries removed because the cache was full. */
  evictions = 0;
  /** Entries removed because they expired. */
  expirations = 0;

  constructor(options: TtlCacheOptions) {
    this.#ttl = options.ttlSeconds;
    this.#max = Math.max(1, options.maxEntries);
  }

  /** Number of entries held (expired ones included until the next sweep). */
  get size(): number {
    return this.#slots.size;
  }

  /** Stores `value` under `key` at time `now` (seconds). */
  set(key: K, value: V, now: number): void {
    // Re-setting a key moves it to the back, so the front stays the oldest.
    this.#slots.delete(key);
    this.#slots.set(key, { value, expires: now + this.#ttl });
    while (this.#slots.size > this.#max) {
      const oldest = this.#slots.keys().next().value as K;
      this.#slots.delete(oldest);
      this.evictions++;
    }
  }

  /** The live value under `key` at time `now`, if any. */
  get(key: K, now: number): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expires <= now) {
      this.#slots.delete(key);
      this.expirations++;
      return undefined;
    }
    return slot.value;
  }

  /** Removes `key`. */
  delete(key: K): boolean {
    return this.#slots.delete(key);
  }

  /** Removes every entry (not counted as evicted or expired). */
  clear(): void {
    this.#slots.clear();
  }

  /** Drops every entry expired at `now`; returns how many went. */
  sweep(now: number): number {
    let dropped = 0;
    for (const [key, slot] of this.#slots) {
      if (slot.expires > now) break;
      this.#slots.delete(key);
      dropped++;
    }
    this.expirations += dropped;
    return dropped;
  }
}
