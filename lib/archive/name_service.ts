/**
 * The system name service as a {@linkcode NameResolver} for the perfSONAR 5 pipeline:
 * getaddrinfo (so `/etc/hosts` counts), plain DNS A/AAAA queries and PTR lookups. Failures
 * resolve to "nothing", as the original scripts rescue them.
 *
 * @module
 */
import { lookup, resolve4, resolve6, reverse } from "node:dns/promises";
import type { NameResolver } from "../pscheduler/resolver.ts";

/**
 * A resolver over the operating system's name service.
 *
 * @example
 * ```ts
 * import { systemResolver } from "./name_service.ts";
 * const r = systemResolver();
 * (await r.lookup("localhost")).ipv4.length >= 0; // true
 * ```
 */
export function systemResolver(): NameResolver {
  return {
    async lookup(name) {
      try {
        const found = await lookup(name, { all: true, verbatim: true });
        return {
          ipv4: found.filter((a) => a.family === 4).map((a) => a.address),
          ipv6: found.filter((a) => a.family === 6).map((a) => a.address),
        };
      } catch {
        return { ipv4: [], ipv6: [] };
      }
    },
    async query(name, family) {
      try {
        return family === 4 ? await resolve4(name) : await resolve6(name);
      } catch {
        return [];
      }
    },
    async reverse(address) {
      try {
        return (await reverse(address))[0] ?? null;
      } catch {
        return null;
      }
    },
  };
}
