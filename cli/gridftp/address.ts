/**
 * Address-family rules of the netlogger mapping: which family a DEST belongs to, and the
 * resolution of HOST that needs no resolver (literals and `localhost`).
 *
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";

/** An IP address family. */
export type AddressFamily = 4 | 6;

/**
 * The family of an address literal, `undefined` when it is neither (a host name, a striped
 * `a,b` list). An IPv4-mapped IPv6 address (`::FFFF:127.0.0.1`) counts as IPv6.
 *
 * @example
 * ```ts
 * import { addressFamily } from "./address.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(addressFamily("::FFFF:127.0.0.1"), 6);
 * assert.deepEqual(addressFamily("127.0.0.1,127.0.0.1"), undefined);
 * ```
 */
export function addressFamily(address: string): AddressFamily | undefined {
  if (isIPv4(address)) return 4;
  if (isIPv6(address)) return 6;
  return undefined;
}

/**
 * A netlogger DEST without its brackets (`[::1]` → `::1`).
 *
 * @example
 * ```ts
 * import { stripBrackets } from "./address.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(stripBrackets("[127.0.0.1]"), "127.0.0.1");
 * ```
 */
export function stripBrackets(dest: string): string {
  return dest.replace(/^\[+/, "").replace(/\]+$/, "");
}

/**
 * HOST as an address of `family` when that needs no lookup: an address literal of that family
 * is itself, `localhost` is the loopback address. `undefined` means "ask the resolver".
 *
 * @example
 * ```ts
 * import { staticHostAddress } from "./address.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(staticHostAddress("localhost", 6), "::1");
 * ```
 */
export function staticHostAddress(host: string, family: AddressFamily): string | undefined {
  if (addressFamily(host) === family) return host;
  if (host.toLowerCase() === "localhost" || host.toLowerCase() === "localhost.localdomain") {
    return family === 4 ? "127.0.0.1" : "::1";
  }
  return undefined;
}
