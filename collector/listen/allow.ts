/**
 * `--allow CIDR` (repeatable): the sender networks whose datagrams are accepted. IPv4 and IPv6
 * networks; an IPv4-mapped IPv6 sender (`::ffff:10.0.0.1`) matches IPv4 networks.
 *
 * @module
 */

function ipv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function ipv6(text: string): bigint | undefined {
  let head = text;
  let tail4: bigint | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tail4 = ipv4(text.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = `${text.slice(0, lastColon)}:0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const left = halves[0] === "" ? [] : halves[0].split(":");
  const right = halves.length === 2 ? (halves[1] === "" ? [] : halves[1].split(":")) : [];
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  if (fill < 0 || (halves.length === 1 && left.length !== 8)) return undefined;
  const groups = [...left, ...Array(fill).fill("0"), ...right];
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tail4 !== undefined) value = (value & ~0xffffffffn) | tail4;
  return value;
}

/** An address as `[bits, value]`: 32 for IPv4 (and IPv4-mapped IPv6), 128 for IPv6. */
function address(text: string): [32 | 128, bigint] | undefined {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const v4 = ipv4(bare);
  if (v4 !== undefined) return [32, v4];
  const v6 = ipv6(bare.split("%")[0]);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return [32, v6 & 0xffffffffn];
  return [128, v6];
}

/** A parsed network. */
interface Network {
  readonly bits: 32 | 128;
  readonly prefix: number;
  readonly value: bigint;
}

/**
 * Parses a CIDR (`10.0.0.0/8`, `2001:db8::/32`, or one address); undefined when malformed.
 *
 * @example
 * ```ts
 * import { parseCidr } from "./allow.ts";
 * if (parseCidr("10.0.0.0/33") !== undefined) throw new Error("prefix too long");
 * ```
 */
export function parseCidr(text: string): Network | undefined {
  const slash = text.indexOf("/");
  const addr = address(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  const [bits, value] = addr;
  const prefixText = slash < 0 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return undefined;
  const prefix = Number(prefixText);
  return { bits, prefix, value: value >> BigInt(bits - prefix) };
}

/**
 * A matcher for sender addresses against networks, with a cache of recent answers.
 *
 * @example
 * ```ts
 * import { allowList } from "./allow.ts";
 * const allow = allowList(["10.0.0.0/8", "2001:db8::/32"]);
 * if (!allow("10.1.2.3") || allow("192.168.0.1") || !allow("::ffff:10.9.9.9")) throw new Error();
 * ```
 */
export function allowList(cidrs: readonly string[]): (address: string) => boolean {
  const networks = cidrs.map((cidr) => {
    const network = parseCidr(cidr);
    if (network === undefined) throw new RangeError(`not a network: ${JSON.stringify(cidr)}`);
    return network;
  });
  const cache = new Map<string, boolean>();
  return (text: string) => {
    const known = cache.get(text);
    if (known !== undefined) return known;
    const addr = address(text);
    const ok = addr !== undefined &&
      networks.some((n) => n.bits === addr[0] && addr[1] >> BigInt(n.bits - n.prefix) === n.value);
    if (cache.size >= 4096) cache.clear();
    cache.set(text, ok);
    return ok;
  };
}
