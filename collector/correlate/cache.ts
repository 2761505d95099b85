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
export interface TtlCacheOptions<V = unknown, K = string> {
  /** Seconds an entry lives after it was set. */
  readonly ttlSeconds: number;
  /** Most entries kept; the oldest is evicted beyond that. */
  readonly maxEntries: number;
  /**
   * Hears about each entry that expired (`at` = its expiry time) or was evicted (`at` = the
   * time of the `set` that pushed it out); not about `delete` or `clear`.
   */
  readonly onDrop?: (key: K, value: V, why: "expired" | "evicted", at: number) => void;
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
  #onDrop?: (key: K, value: V, why: "expired" | "evicted", at: number) => void;
  /** Entries removed because the cache was full. */
  evictions = 0;
  /** Entries removed because they expired. */
  expirations = 0;

  constructor(options: TtlCacheOptions<V, K>) {
    this.#ttl = options.ttlSeconds;
    this.#max = Math.max(1, options.maxEntries);
    this.#onDrop = options.onDrop;
  }

  /** Number of entries held (expired ones included until the next sweep). */
  get size(): number {
    return this.#slots.size;
  }

  /**
   * Stores `value` under `key` at time `now` (seconds); returns the value it replaced, if any
   * (live or not yet swept; not reported to `onDrop`).
   */
  set(key: K, value: V, now: number): V | undefined {
    // Re-setting a key moves it to the back, so the front stays the oldest.
    const replaced = this.#slots.get(key);
    if (replaced !== undefined) this.#slots.delete(key);
    this.#slots.set(key, { value, expires: now + this.#ttl });
    while (this.#slots.size > this.#max) {
      const [oldest, slot] = this.#slots.entries().next().value as [K, Slot<V>];
      this.#slots.delete(oldest);
      this.evictions++;
      this.#onDrop?.(oldest, slot.value, "evicted", now);
    }
    return replaced?.value;
  }

  /** The live value under `key` at time `now`, if any. */
  get(key: K, now: number): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expires <= now) {
      this.#slots.delete(key);
      this.expirations++;
      this.#onDrop?.(key, slot.value, "expired", slot.expires);
      return undefined;
    }
    return slot.value;
  }

  /** The value under `key` whether or not it expired (no expiry check, no drop). */
  peek(key: K): V | undefined {
    return this.#slots.get(key)?.value;
  }

  /** Whether `key` is held (live or not yet swept). */
  has(key: K): boolean {
    return this.#slots.has(key);
  }

  /** Removes `key`. */
  delete(key: K): boolean {
    return this.#slots.delete(key);
  }

  /** Every live entry as `[key, value]` (expired ones included until the next sweep). */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, slot] of this.#slots) yield [key, slot.value];
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
      this.#onDrop?.(key, slot.value, "expired", slot.expires);
    }
    this.expirations += dropped;
    return dropped;
  }
}
