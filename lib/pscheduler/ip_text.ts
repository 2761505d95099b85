/**
 * IP literal tests and the text form getaddrinfo gives back (IPv6 compressed, lower case;
 * RFC 5952). Pure.
 *
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";

/**
 * The address family of an IP literal (4 or 6), or undefined for anything else.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { ipFamily } from "./ip_text.ts";
 * deepStrictEqual(ipFamily("::1"), 6);
 * deepStrictEqual(ipFamily("host"), undefined);
 * ```
 */
export function ipFamily(text: string): 4 | 6 | undefined {
  if (isIPv4(text)) return 4;
  if (isIPv6(text)) return 6;
  return undefined;
}

/**
 * The compressed lower-case text of an IPv6 literal (`2001:DB8:0:0::1` → `2001:db8::1`),
 * as `inet_ntop` writes it; anything else is returned unchanged.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { compressIpv6 } from "./ip_text.ts";
 * deepStrictEqual(compressIpv6("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
 * ```
 */
export function compressIpv6(text: string): string {
  if (!isIPv6(text)) return text;
  let head = text.toLowerCase();
  let v4Tail: string | undefined;
  const lastColon = head.lastIndexOf(":");
  if (head.slice(lastColon + 1).includes(".")) {
    v4Tail = head.slice(lastColon + 1);
    const o = v4Tail.split(".").map(Number);
    head = `${head.slice(0, lastColon + 1)}${((o[0] << 8) | o[1]).toString(16)}:${
      ((o[2] << 8) | o[3]).toString(16)
    }`;
  }
  const halves = head.split("::");
  const left = halves[0] === "" ? [] : halves[0].split(":");
  const right = halves.length < 2 || halves[1] === "" ? [] : halves[1].split(":");
  const groups = halves.length === 1
    ? left
    : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  const words = groups.map((g) => parseInt(g, 16));
  // Mapped/compatible forms keep the dotted tail, as inet_ntop does.
  const mapped = words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (mapped) {
    const dotted = `${words[6] >> 8}.${words[6] & 255}.${words[7] >> 8}.${words[7] & 255}`;
    return `::ffff:${dotted}`;
  }
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}
