/**
 * Pure route selection: which local address the kernel would use to reach a destination, from
 * the routing table and the interface list (Linux `/proc/net/route`, `/proc/net/ipv6_route`).
 *
 * @module
 */

/** One route: destination prefix and the interface it leaves through. */
export interface Route {
  /** `4` or `6`. */
  readonly family: 4 | 6;
  /** Network address as a bigint. */
  readonly network: bigint;
  /** Prefix length in bits. */
  readonly prefix: number;
  /** Interface name. */
  readonly iface: string;
  /** Lower wins among equal prefixes. */
  readonly metric: number;
}

/** One local address (the fields of `Deno.networkInterfaces()` used here). */
export interface LocalAddress {
  /** Interface name. */
  readonly name: string;
  /** `IPv4` or `IPv6`. */
  readonly family: "IPv4" | "IPv6";
  /** The address text. */
  readonly address: string;
}

/**
 * Parses an IPv4 or IPv6 literal to `[family, value]`, or `undefined` when it is neither.
 *
 * @example
 * ```ts
 * import { parseIp } from "./route_choice.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseIp("10.0.0.1"), [4, 167772161n]);
 * ```
 */
export function parseIp(text: string): [4 | 6, bigint] | undefined {
  const address = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return [4, parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n)];
  }
  if (!address.includes(":")) return undefined;
  let text6 = address;
  const tailV4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text6);
  if (tailV4) {
    const inner = parseIp(tailV4[1]);
    if (!inner) return undefined;
    const hi = (inner[1] >> 16n).toString(16);
    const lo = (inner[1] & 0xffffn).toString(16);
    text6 = `${text6.slice(0, tailV4.index)}${hi}:${lo}`;
  }
  const halves = text6.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : halves[0].split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return [6, groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)];
}

function swapBytes32(hex: string): bigint {
  const bytes = hex.match(/../g) ?? [];
  return BigInt(`0x${bytes.reverse().join("") || "0"}`);
}

function maskLength(mask: bigint): number {
  let length = 0;
  for (let bit = 31n; bit >= 0n && (mask >> bit) & 1n; bit--) length++;
  return length;
}

/**
 * Parses `/proc/net/route` (IPv4, little-endian hex) and `/proc/net/ipv6_route` text.
 *
 * @example
 * ```ts
 * import { parseRoutes } from "./route_choice.ts";
 * import assert from "node:assert/strict";
 * const routes = parseRoutes(
 *   "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nEth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\n",
 *   "",
 * );
 * assert.deepEqual(routes[0].prefix, 0);
 * ```
 */
export function parseRoutes(ipv4Table: string, ipv6Table: string): Route[] {
  const routes: Route[] = [];
  for (const line of ipv4Table.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const flags = parseInt(f[3], 16);
    if (!(flags & 1)) continue; // RTF_UP
    routes.push({
      family: 4,
      network: swapBytes32(f[1]),
      prefix: maskLength(swapBytes32(f[7])),
      iface: f[0],
      metric: Number(f[6]) || 0,
    });
  }
  for (const line of ipv6Table.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[0].length !== 32) continue;
    if (f[9] === "lo" && parseInt(f[1], 16) === 0) continue; // unreachable default on lo
    routes.push({
      family: 6,
      network: BigInt(`0x${f[0]}`),
      prefix: parseInt(f[1], 16),
      iface: f[9],
      metric: parseInt(f[5], 16) || 0,
    });
  }
  return routes;
}

function matches(route: Route, value: bigint): boolean {
  const bits = route.family === 4 ? 32 : 128;
  if (route.prefix === 0) return true;
  const shift = BigInt(bits - route.prefix);
  return (value >> shift) === (route.network >> shift);
}

function isLinkLocal6(address: string): boolean {
  return /^fe[89ab]/i.test(address);
}

/**
 * The local address the kernel would pick to reach `destination` (an IP literal), or
 * `undefined` when no route or address fits.
 *
 * @example
 * ```ts
 * import { chooseSourceAddress } from "./route_choice.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(chooseSourceAddress("::1", [], []), "::1");
 * ```
 */
export function chooseSourceAddress(
  destination: string,
  routes: readonly Route[],
  addresses: readonly LocalAddress[],
): string | undefined {
  const parsed = parseIp(destination);
  if (!parsed) return undefined;
  const [family, value] = parsed;
  const familyName = family === 4 ? "IPv4" : "IPv6";
  const own = addresses.find((a) => {
    const p = parseIp(a.address);
    return p !== undefined && p[0] === family && p[1] === value;
  });
  if (own) return destination.replace(/^\[|\]$/g, "");
  if (family === 4 && value >> 24n === 127n) return "127.0.0.1";
  if (family === 6 && value === 1n) return "::1";
  const best = routes
    .filter((r) => r.family === family && matches(r, value))
    .sort((a, b) => b.prefix - a.prefix || a.metric - b.metric)
    .find((r) => addresses.some((a) => a.name === r.iface && a.family === familyName));
  if (!best) return undefined;
  const candidates = addresses.filter((a) => a.name === best.iface && a.family === familyName);
  return (candidates.find((a) => !isLinkLocal6(a.address)) ?? candidates[0]).address;
}
