/**
 * The server processes the pipeline keeps state for, bounded in number: the idlest is evicted
 * when a new one would exceed the bound, the silent are forgotten, and a restart (the same
 * sender host and f-stream server id with a later `stod`, the old one quiet) ends the old
 * process at once.
 *
 * @module
 */

/** Options for {@linkcode ServerTable}. */
export interface ServerTableOptions {
  /** Most server processes tracked. */
  readonly maxServers: number;
  /** A server evicted to make room; `first` is true only for the first eviction ever. */
  readonly onEvict?: (server: string, first: boolean) => void;
  /** A server process replaced by a newer one with the same host and server id. */
  readonly onRestart?: (server: string) => void;
  /** A server forgotten after silence. */
  readonly onSilent?: (server: string) => void;
}

/** Silence of the old process (plus the ≤ 1 s staleness of `seen`) that makes a restart. */
const RESTART_QUIET_SECONDS = 2;

interface Entry {
  seen: number;
  sidKey?: string;
}

/**
 * Server keys in (roughly) least-recently-heard order.
 *
 * @example
 * ```ts
 * import { ServerTable } from "./server_table.ts";
 * const gone: string[] = [];
 * const table = new ServerTable({ maxServers: 2, onEvict: (s) => gone.push(s) });
 * table.touch("a", 1);
 * table.touch("b", 2);
 * table.touch("c", 3);
 * if (gone.join() !== "a" || table.evictions !== 1) throw new Error(gone.join());
 * ```
 */
export class ServerTable {
  #options: ServerTableOptions;
  #entries = new Map<string, Entry>();
  /** `<host>|<sid>` → the latest process seen with that server id. */
  #bySid = new Map<string, { server: string; stod: number }>();
  /** Servers evicted because the table was full. */
  evictions = 0;

  constructor(options: ServerTableOptions) {
    this.#options = options;
  }

  /** Servers tracked. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether `server` is tracked. */
  has(server: string): boolean {
    return this.#entries.has(server);
  }

  /**
   * Notes a datagram of `server` at `now`; `sid` (the f-stream time record's server id) with
   * the sender host and `stod` lets a restart be noticed.
   */
  touch(server: string, now: number, sid?: bigint, who?: { host: string; stod: number }): void {
    let entry = this.#entries.get(server);
    if (entry === undefined) {
      while (this.#entries.size >= Math.max(1, this.#options.maxServers)) {
        const idlest = this.#entries.keys().next().value as string;
        this.#remove(idlest);
        this.evictions++;
        this.#options.onEvict?.(idlest, this.evictions === 1);
      }
      this.#entries.set(server, entry = { seen: now });
    } else if (now - entry.seen >= 1) {
      // Moving a key to the back costs two map operations: once a second is enough for order.
      this.#entries.delete(server);
      this.#entries.set(server, entry);
      entry.seen = now;
    }
    if (sid === undefined || who === undefined || entry.sidKey !== undefined) return;
    const key = `${who.host}|${sid}`;
    entry.sidKey = key;
    const previous = this.#bySid.get(key);
    this.#bySid.set(key, { server, stod: who.stod });
    if (previous === undefined || previous.server === server) return;
    // A restart: the old process went quiet before the new one spoke (two live processes with
    // one id — e.g. replays of captures side by side — are left alone).
    const old = this.#entries.get(previous.server);
    if (previous.stod < who.stod && old !== undefined && now - old.seen >= RESTART_QUIET_SECONDS) {
      this.#remove(previous.server);
      this.#options.onRestart?.(previous.server);
    }
  }

  /** Forgets servers not heard from since `before`. */
  sweep(before: number): void {
    for (const [server, entry] of this.#entries) {
      if (entry.seen >= before) break;
      this.#remove(server);
      this.#options.onSilent?.(server);
    }
  }

  #remove(server: string): void {
    const entry = this.#entries.get(server);
    if (entry === undefined) return;
    this.#entries.delete(server);
    if (entry.sidKey !== undefined && this.#bySid.get(entry.sidKey)?.server === server) {
      this.#bySid.delete(entry.sidKey);
    }
  }
}
