/**
 * HOST → address lookups for the netlogger mapping, cached for the run so one slow resolver
 * answer is paid once per host name, not once per line.
 *
 * @module
 */
import { lookup } from "node:dns/promises";
import { type AddressFamily, staticHostAddress } from "./address.ts";

/** A cached host resolver. */
export interface HostResolver {
  /** Resolves `host` for `family` (no-op when cached). */
  resolve(host: string, family: AddressFamily): Promise<void>;
  /** The cached answer; `undefined` when the host has no address of that family. */
  cached(host: string, family: AddressFamily): string | undefined;
}

/** Options of {@linkcode createHostResolver}. */
export interface ResolverOptions {
  /** Give up on one lookup after this many milliseconds (default 5000). */
  readonly timeoutMs?: number;
  /** The lookup itself (default: the system resolver, `getaddrinfo`). */
  readonly lookupAddress?: (host: string, family: AddressFamily) => Promise<string>;
}

async function systemLookup(host: string, family: AddressFamily): Promise<string> {
  const answer = await lookup(host, { family });
  return answer.address;
}

/**
 * A resolver answering literals and `localhost` without I/O and everything else through the
 * system resolver, with a per-lookup timeout.
 *
 * @example
 * ```ts
 * import { createHostResolver } from "./resolver.ts";
 * import assert from "node:assert/strict";
 * const resolver = createHostResolver();
 * await resolver.resolve("localhost", 4);
 * assert.deepEqual(resolver.cached("localhost", 4), "127.0.0.1");
 * ```
 */
export function createHostResolver(options: ResolverOptions = {}): HostResolver {
  const cache = new Map<string, string | undefined>();
  const timeoutMs = options.timeoutMs ?? 5000;
  const lookupAddress = options.lookupAddress ?? systemLookup;
  const keyOf = (host: string, family: AddressFamily) => `${family}|${host}`;
  return {
    async resolve(host, family) {
      const key = keyOf(host, family);
      if (cache.has(key)) return;
      const known = staticHostAddress(host, family);
      if (known !== undefined) {
        cache.set(key, known);
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("lookup timed out")), timeoutMs);
        });
        cache.set(key, await Promise.race([lookupAddress(host, family), timeout]));
      } catch {
        cache.set(key, undefined);
      } finally {
        clearTimeout(timer);
      }
    },
    cached(host, family) {
      return cache.get(keyOf(host, family)) ?? staticHostAddress(host, family);
    },
  };
}
