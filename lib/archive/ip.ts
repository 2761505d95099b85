/**
 * IP addresses compared as addresses (spec §3.3): `2001:400:201:1150::3` and its expanded form
 * are the same. Pure functions.
 *
 * @module
 */
import { isIP, isIPv4 } from "node:net";

function expandV6(text: string): string | undefined {
  let head = text;
  let v4Tail: string[] = [];
  const lastColon = head.lastIndexOf(":");
  const tail = head.slice(lastColon + 1);
  if (tail.includes(".")) {
    if (!isIPv4(tail)) return undefined;
    const o = tail.split(".").map(Number);
    v4Tail = [((o[0] << 8) | o[1]).toString(16), ((o[2] << 8) | o[3]).toString(16)];
    head = head.slice(0, lastColon + 1) + "0";
  }
  const [left, right] = head.split("::") as [string, string | undefined];
  const leftParts = left === "" ? [] : left.split(":");
  const rightParts = right === undefined || right === "" ? [] : right.split(":");
  let groups: string[];
  if (right === undefined) groups = leftParts;
  else {
    const missing = 8 - leftParts.length - rightParts.length - (v4Tail.length ? 1 : 0);
    groups = [...leftParts, ...Array(missing + (v4Tail.length ? 1 : 0)).fill("0"), ...rightParts];
  }
  if (v4Tail.length) groups = [...groups.slice(0, groups.length - 1), ...v4Tail];
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
 * canonicalAddress("2001:400:201:1150::3"); // "2001:0400:0201:1150:0000:0000:0000:0003"
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
 * isAddress("::1"); // true
 * ```
 */
export function isAddress(text: string): boolean {
  return isIP(text.trim().replace(/^\[|\]$/g, "").replace(/%.*$/, "")) !== 0;
}
