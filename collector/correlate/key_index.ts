/**
 * Which cache keys belong to which server: a `DictKeys` key is `serverNumber × 2³² + dictid`, so
 * the server number is the key's high part. When a server process ends, its keys are found here
 * instead of by scanning a cache of up to a million entries.
 *
 * @module
 */

const SERVER_SHIFT = 4294967296;

/**
 * Cache keys grouped by server number.
 *
 * @example
 * ```ts
 * import { KeyIndex } from "./key_index.ts";
 * const index = new KeyIndex();
 * index.add(2 * 4294967296 + 7);
 * index.add(2 * 4294967296 + 8);
 * index.remove(2 * 4294967296 + 8);
 * if ([...index.take(2) ?? []].join() !== String(2 * 4294967296 + 7)) throw new Error();
 * ```
 */
export class KeyIndex {
  #byServer = new Map<number, Set<number>>();

  /** Notes a key set in the cache. */
  add(key: number): void {
    const server = Math.floor(key / SERVER_SHIFT);
    let keys = this.#byServer.get(server);
    if (keys === undefined) this.#byServer.set(server, keys = new Set());
    keys.add(key);
  }

  /** Notes a key gone from the cache. */
  remove(key: number): void {
    const server = Math.floor(key / SERVER_SHIFT);
    const keys = this.#byServer.get(server);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.#byServer.delete(server);
  }

  /** Removes and returns the keys of one server number. */
  take(server: number): Set<number> | undefined {
    const keys = this.#byServer.get(server);
    this.#byServer.delete(server);
    return keys;
  }

  /** Forgets everything. */
  clear(): void {
    this.#byServer.clear();
  }
}
