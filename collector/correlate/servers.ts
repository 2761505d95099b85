/**
 * What the collector knows about each server process: when it was last heard from, its host
 * name (from its `=` identification record), and which processes share a sender address and
 * start time (where the seed's `ip-stod.dictid` ids would collide).
 *
 * @module
 */
import type { Sender } from "./identity.ts";

interface ServerInfo {
  host?: string;
  lastSeen: number;
}

/** Options for {@linkcode ServerRegistry}. */
export interface ServerRegistryOptions {
  /** Seconds of silence after which a server process is forgotten. */
  readonly forgetAfterSeconds: number;
  /** Hears about a second process with the same sender IP and `stod`. */
  readonly onCollision?: (seedPrefix: string, servers: readonly string[]) => void;
}

/**
 * Server processes by server key.
 *
 * @example
 * ```ts
 * import { ServerRegistry } from "./servers.ts";
 * import assert from "node:assert/strict";
 * const servers = new ServerRegistry({ forgetAfterSeconds: 3600 });
 * const sender = { hostname: "10.0.0.5", port: 40001 };
 * servers.touch("10.0.0.5:40001-100", sender, 100, 5);
 * servers.setHost("10.0.0.5:40001-100", "xrd1.example.org");
 * assert.deepEqual(servers.name("10.0.0.5:40001-100", sender), "xrd1.example.org");
 * ```
 */
export class ServerRegistry {
  #options: ServerRegistryOptions;
  #servers = new Map<string, ServerInfo>();
  /** `<ip>-<stod>` (the seed's id prefix) → server keys seen with it. */
  #seedPrefixes = new Map<string, string[]>();

  constructor(options: ServerRegistryOptions) {
    this.#options = options;
  }

  /** Records a packet from `server` at `now`; `stod` lets collisions be noticed. */
  touch(server: string, sender: Sender, now: number, stod?: number): void {
    const info = this.#servers.get(server);
    if (info !== undefined) {
      info.lastSeen = now;
      return;
    }
    this.#servers.set(server, { lastSeen: now });
    if (stod === undefined) return;
    const prefix = `${sender.hostname}-${stod}`;
    const known = this.#seedPrefixes.get(prefix) ?? [];
    known.push(server);
    this.#seedPrefixes.set(prefix, known);
    if (known.length > 1) this.#options.onCollision?.(prefix, known);
  }

  /** Whether `server` was heard from and not yet forgotten. */
  knows(server: string): boolean {
    return this.#servers.has(server);
  }

  /** Stores the host name a server's `=` record gave. */
  setHost(server: string, host: string): void {
    const info = this.#servers.get(server);
    if (info !== undefined) info.host = host;
  }

  /** The server's host name, or its sender address until it identified itself. */
  name(server: string, sender: Sender): string {
    return this.#servers.get(server)?.host ?? sender.hostname;
  }

  /** Forgets one server process now (it ended or was evicted). */
  forget(server: string): void {
    this.#servers.delete(server);
  }

  /** Server processes known. */
  get size(): number {
    return this.#servers.size;
  }

  /** Forgets servers silent since before `now − forgetAfterSeconds`. */
  sweep(now: number): void {
    const before = now - this.#options.forgetAfterSeconds;
    for (const [key, info] of this.#servers) if (info.lastSeen < before) this.#servers.delete(key);
    for (const [prefix, servers] of this.#seedPrefixes) {
      const live = servers.filter((server) => this.#servers.has(server));
      if (live.length === 0) this.#seedPrefixes.delete(prefix);
      else if (live.length !== servers.length) this.#seedPrefixes.set(prefix, live);
    }
  }
}
