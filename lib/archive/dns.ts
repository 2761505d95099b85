/**
 * Resolution of the IP filters of a metadata search (spec §3.3 "DNS for IP fields"):
 * literals stand for themselves, names resolve through the system resolver (so `/etc/hosts`
 * counts) according to `dns-match-rule`.
 *
 * @module
 */
import { lookup } from "node:dns/promises";
import { canonicalAddress, isAddress } from "./ip.ts";
import { ValueError } from "./values.ts";

/** The accepted `dns-match-rule` values. */
export const DNS_MATCH_RULES = ["v4v6", "only-v4", "only-v6", "prefer-v4", "prefer-v6"] as const;

/** One `dns-match-rule`. */
export type DnsMatchRule = typeof DNS_MATCH_RULES[number];

/**
 * Checks a `dns-match-rule` value (default `v4v6`).
 *
 * @example
 * ```ts
 * import { dnsMatchRule } from "./dns.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dnsMatchRule("only-v6"), "only-v6");
 * ```
 */
export function dnsMatchRule(value: string | undefined): DnsMatchRule {
  if (value === undefined) return "v4v6";
  if ((DNS_MATCH_RULES as readonly string[]).includes(value)) return value as DnsMatchRule;
  throw new ValueError(`Invalid dns-match-rule parameter ${value}`);
}

async function family(host: string, f: 4 | 6): Promise<string[]> {
  try {
    const found = await lookup(host, { family: f, all: true });
    return found.map((a) => a.address);
  } catch {
    return [];
  }
}

/**
 * The canonical addresses a filter value stands for. Throws {@linkcode ValueError}
 * (`Unable to find address for host <name>`) when a name resolves to nothing.
 *
 * @example
 * ```ts
 * import { resolveFilterAddresses } from "./dns.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await resolveFilterAddresses("198.129.254.30", "v4v6"), ["198.129.254.30"]);
 * ```
 */
export async function resolveFilterAddresses(
  value: string,
  rule: DnsMatchRule,
): Promise<string[]> {
  if (isAddress(value)) return [canonicalAddress(value)];
  const v4 = rule === "only-v6" ? [] : await family(value, 4);
  const v6 = rule === "only-v4" || (rule === "prefer-v4" && v4.length > 0)
    ? []
    : await family(value, 6);
  let chosen: string[];
  if (rule === "prefer-v6" && v6.length > 0) chosen = v6;
  else chosen = [...v4, ...v6];
  if (chosen.length === 0) throw new ValueError(`Unable to find address for host ${value}`);
  return [...new Set(chosen.map(canonicalAddress))];
}
