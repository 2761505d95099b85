/**
 * IP addresses compared as addresses (spec §3.3): `2001:400:201:1150::3` and its expanded form
 * are the same. Pure functions.
 *
 * @module
 */
import { isIP, isIPv4 } from "node:net";

function expandV6(text: string): string | undefined {
  let head = text;
  const lastColon = head.lastIndexOf(":");
  const tail = head.slice(lastColon + 1);
  if (tail.includes(".")) {
    // An embedded IPv4 tail (::ffff:10.0.0.1) is the last two groups.
    if (!isIPv4(tail)) return undefined;
    const o = tail.split(".").map(Number);
    head = `${head.slice(0, lastColon + 1)}${((o[0] << 8) | o[1]).toString(16)}:${
      ((o[2] << 8) | o[3]).toString(16)
    }`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const left = halves[0] === "" ? [] : halves[0].split(":");
  const right = halves.length === 1 || halves[1] === "" ? [] : halves[1].split(":");
  const groups = halves.length === 1
    ? left
    : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  if (groups.length !== 8) return undefined;
  return groups.map((g) => g.toLowerCase().padStart(4, "0")).join(":");
}

/**
 * The canonical form used for matching: IPv4 as dotted quad, IPv6 fully expanded lower case
 * (zone ids dropped); any other text lower-cased (a host name stored where an address belongs).
 *
 * @example
 * ```ts
 * import { canonicalAddress } from "./ip.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(canonicalAddress("2001:400:201:1150::3"), "2001:0400:0201:1150:0000:0000:0000:0003");
 * ```
 */
export function canonicalAddress(text: string): string {
  const trimmed = text.trim();
  const bare = trimmed.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const kind = isIP(bare);
  if (kind === 4) return bare.split(".").map((o) => String(Number(o))).join(".");
  if (kind === 6) return expandV6(bare) ?? bare.toLowerCase();
  return trimmed.toLowerCase();
}

/**
 * Whether `text` is an IPv4 or IPv6 literal.
 *
 * @example
 * ```ts
 * import { isAddress } from "./ip.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(isAddress("::1"), true);
 * ```
 */
export function isAddress(text: string): boolean {
  return isIP(text.trim().replace(/^\[|\]$/g, "").replace(/%.*$/, "")) !== 0;
}
