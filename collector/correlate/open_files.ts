/**
 * The files open right now. The join (`correlate.ts`) puts an open here and takes it at its
 * close; every other way an open ends is here instead: no close within the open timeout, a
 * full cache, its user's disconnect, its server process's end. Kept in one place so that
 * however an open ends, it ends once, none of its indexes (by server, by user) outlives it,
 * and it is handed to `onExpire` for its `fstream_open_expired` document.
 *
 * @module
 */
import type { XfrTotals } from "../decode/fstream.ts";
import { TtlCache } from "./cache.ts";
import type { Part } from "./document.ts";
import type { ExpiryReason } from "./expiry.ts";
import { KeyIndex } from "./key_index.ts";

/** One open file, as its close will need it (and its expiry document, if no close comes). */
export interface OpenEntry {
  readonly part: Part;
  readonly openTime: number;
  /** The user's dictid (undefined when the open names none). */
  readonly userDict?: number;
  /** The user's parts as found at the open (kept for an expiry document). */
  readonly user?: Part[];
  readonly server: string;
  readonly fileUniqId: string;
  /** Arrival time of the open (collector clock). */
  readonly openedAt: number;
  /** The latest `xfr` totals of this open. */
  xfr?: XfrTotals;
  /** Its cache key (server number × 2³² + file dictid). */
  readonly key: number;
  /**
   * The cache key of its user while it is linked into that user's list of opens, else -1.
   * The list is threaded through the entries themselves, so indexing an open by its user
   * allocates nothing and costs O(1) to add and to remove.
   */
  userKey: number;
  prevOfUser: OpenEntry | undefined;
  nextOfUser: OpenEntry | undefined;
}

/** Options for {@linkcode OpenFiles}. */
export interface OpenFilesOptions {
  /** Seconds an open waits for its close (`--open-timeout`). */
  readonly ttlSeconds: number;
  /** Most opens held; beyond that the oldest expires (`cache_full`). */
  readonly maxEntries: number;
  /** An open ended without its close: called once, after it left every index. */
  readonly onExpire: (entry: OpenEntry, reason: ExpiryReason, at: number) => void;
}

/**
 * The open files by cache key, with their keys by server and a list of them per user.
 *
 * @example
 * ```ts
 * import { type OpenEntry, OpenFiles } from "./open_files.ts";
 * import { Part } from "./document.ts";
 * import assert from "node:assert/strict";
 * const expired: string[] = [];
 * const files = new OpenFiles({
 *   ttlSeconds: 60, maxEntries: 10, onExpire: (entry, reason) => expired.push(reason),
 * });
 * const open = (key: number): OpenEntry => ({
 *   part: Part.of({}), openTime: 0, userDict: 1, server: "s", fileUniqId: `s.${key}`,
 *   openedAt: 0, key, userKey: 1, prevOfUser: undefined, nextOfUser: undefined,
 * });
 * files.add(open(2), 0);
 * files.add(open(3), 0);
 * assert.equal(files.take(2, 1)?.fileUniqId, "s.2"); // its close came
 * files.userDisconnected(1, 2); // the other one lost its close
 * assert.deepEqual([expired, files.size], [["user_disconnect"], 0]);
 * ```
 */
export class OpenFiles {
  #opens: TtlCache<OpenEntry, number>;
  #onExpire: (entry: OpenEntry, reason: ExpiryReason, at: number) => void;
  /** Cache keys of each server's opens (a server that ends drops them). */
  #keys = new KeyIndex();
  /** User cache key → the newest of that user's open files (see `OpenEntry.userKey`). */
  #userOpens = new Map<number, OpenEntry>();

  constructor(options: OpenFilesOptions) {
    this.#onExpire = options.onExpire;
    this.#opens = new TtlCache({
      ttlSeconds: options.ttlSeconds,
      maxEntries: options.maxEntries,
      onDrop: (key, entry, why, at) => {
        this.#keys.remove(key);
        this.#unlinkUser(entry);
        this.#onExpire(entry, why === "expired" ? "open_timeout" : "cache_full", at);
      },
    });
  }

  /** Opens held. */
  get size(): number {
    return this.#opens.size;
  }

  /**
   * The opens' cache as the totals over all caches see it: its counters, and its sweep, which
   * expires the opens that waited too long for their close.
   */
  get cache(): Readonly<
    Pick<TtlCache<OpenEntry, number>, "size" | "evictions" | "expirations" | "sweep">
  > {
    return this.#opens;
  }

  /** The open of a cache key, if it is still open (one that waited too long expires). */
  get(key: number, now: number): OpenEntry | undefined {
    return this.#opens.get(key, now);
  }

  /** Adds an open; a second open of its key replaces the first (dropped silently). */
  add(entry: OpenEntry, now: number): void {
    this.#keys.add(entry.key);
    const replaced = this.#opens.set(entry.key, entry, now);
    if (replaced !== undefined) this.#unlinkUser(replaced);
    this.#linkUser(entry);
  }

  /** Takes out the open of a cache key, its close having come (undefined if not open). */
  take(key: number, now: number): OpenEntry | undefined {
    const entry = this.#opens.get(key, now);
    if (entry !== undefined) {
      this.#opens.delete(key);
      this.#keys.remove(key);
      this.#unlinkUser(entry);
    }
    return entry;
  }

  /**
   * A user disconnected: XRootD sends the forced closes of its open files before the
   * disconnect, so the files still open lost their close. They expire now, oldest first.
   */
  userDisconnected(userKey: number, now: number): void {
    let entry = this.#userOpens.get(userKey);
    if (entry === undefined) return;
    this.#userOpens.delete(userKey);
    const gone: OpenEntry[] = [];
    for (; entry !== undefined; entry = entry.nextOfUser) gone.push(entry);
    for (let i = gone.length - 1; i >= 0; i--) {
      const open = gone[i];
      open.userKey = -1;
      open.prevOfUser = open.nextOfUser = undefined;
      this.#opens.delete(open.key);
      this.#keys.remove(open.key);
      this.#onExpire(open, "user_disconnect", now);
    }
  }

  /** A server process ended: the opens of its server number expire at `now` with `reason`. */
  serverGone(number: number, reason: ExpiryReason, now: number): void {
    for (const key of this.#keys.take(number) ?? []) {
      const entry = this.#opens.peek(key);
      this.#opens.delete(key);
      if (entry === undefined) continue;
      this.#unlinkUser(entry);
      this.#onExpire(entry, reason, now);
    }
  }

  /** Forgets every open without expiring it (the cache keys were renumbered). */
  clear(): void {
    this.#opens.clear();
    this.#keys.clear();
    this.#userOpens.clear();
  }

  /** Puts an open at the head of its user's list (nothing for an open naming no user). */
  #linkUser(entry: OpenEntry): void {
    if (entry.userKey < 0) return;
    const head = this.#userOpens.get(entry.userKey);
    if (head !== undefined) {
      entry.nextOfUser = head;
      head.prevOfUser = entry;
    }
    this.#userOpens.set(entry.userKey, entry);
  }

  /** Takes an open out of its user's list, if it is in one. */
  #unlinkUser(entry: OpenEntry): void {
    const userKey = entry.userKey;
    if (userKey < 0) return;
    const { prevOfUser: prev, nextOfUser: next } = entry;
    if (prev !== undefined) prev.nextOfUser = next;
    else if (next !== undefined) this.#userOpens.set(userKey, next);
    else this.#userOpens.delete(userKey);
    if (next !== undefined) next.prevOfUser = prev;
    entry.userKey = -1;
    entry.prevOfUser = entry.nextOfUser = undefined;
  }
}
