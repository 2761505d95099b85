/**
 * Stage 03 of the Logstash pipeline (spec §2.4): `meta.observer`, `meta.source`,
 * `meta.destination` and `meta.ip_version` from the test's endpoints, the observer header and
 * an injected {@linkcode NameResolver}.
 *
 * @module
 */
import { compressIpv6, ipFamily } from "./ip_text.ts";
import { type JsonObject, numberOf, setPath } from "./json_value.ts";
import type { NameResolver } from "./resolver.ts";

/** What `get_ips` finds for one endpoint. */
export interface EndpointAddresses {
  /** Last IPv4 address, or null. */
  ipv4: string | null;
  /** Name for the IPv4 address, or null. */
  hostname_v4: string | null;
  /** Last IPv6 address (zone digits dropped), or null. */
  ipv6: string | null;
  /** Name for the IPv6 address, or null. */
  hostname_v6: string | null;
}

/** The `ip-version` rule: 4, 6, none (null/absent) or another value (no family rule applies). */
export type IpVersionRule = 4 | 6 | "none" | "other";

/**
 * The rule an `ip-version` value selects (Ruby `==` against 4 and 6; nil/false mean none).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { ipVersionRule } from "./endpoint_meta.ts";
 * deepStrictEqual(ipVersionRule(6), 6);
 * deepStrictEqual(ipVersionRule(undefined), "none");
 * ```
 */
export function ipVersionRule(value: unknown): IpVersionRule {
  if (value === null || value === undefined || value === false) return "none";
  const n = numberOf(value);
  if (n === 4 || n === 6) return n;
  return "other";
}

/**
 * `get_ips(address, ipversion)` of the Ruby script.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { endpointAddresses } from "./endpoint_meta.ts";
 * import { OFFLINE_RESOLVER } from "./resolver.ts";
 * deepStrictEqual((await endpointAddresses("192.0.2.1", "none", OFFLINE_RESOLVER)).ipv4, "192.0.2.1");
 * ```
 */
export async function endpointAddresses(
  address: string | undefined,
  rule: IpVersionRule,
  resolver: NameResolver,
): Promise<EndpointAddresses> {
  const result: EndpointAddresses = {
    ipv4: null,
    hostname_v4: null,
    ipv6: null,
    hostname_v6: null,
  };
  if (address === undefined) return result;
  const literal = ipFamily(address);
  const isHostname = literal === undefined;
  if (literal === 4) result.ipv4 = address;
  else if (literal === 6) result.ipv6 = compressIpv6(address);
  else {
    // A getaddrinfo error gives no addresses; the DNS query of a forced family still follows
    // (spec §2.4: "no address of that family came back").
    const found = await resolver.lookup(address);
    if (found.ipv4.length > 0) result.ipv4 = found.ipv4[found.ipv4.length - 1];
    if (found.ipv6.length > 0) {
      result.ipv6 = found.ipv6[found.ipv6.length - 1].replace(/%\d/g, "");
    }
    if (rule === 4 && result.ipv4 === null) {
      const answers = await resolver.query(address, 4);
      if (answers.length > 0) result.ipv4 = answers[0];
    } else if (rule === 6 && result.ipv6 === null) {
      const answers = await resolver.query(address, 6);
      if (answers.length > 0) result.ipv6 = answers[0];
    }
  }
  if (result.ipv4 !== null) {
    result.hostname_v4 = isHostname ? address : await resolver.reverse(result.ipv4);
  }
  if (result.ipv6 !== null) {
    result.hostname_v6 = isHostname ? address : await resolver.reverse(result.ipv6);
  }
  return result;
}

function single(
  event: JsonObject,
  side: "observer" | "source",
  a: EndpointAddresses,
  rule: IpVersionRule,
): void {
  let family: 4 | 6 | undefined;
  if (rule === 6 || (rule === "none" && a.ipv6)) family = 6;
  else if (rule === 4 || (rule === "none" && a.ipv4)) family = 4;
  if (family === undefined) return;
  setPath(event, ["meta", side, "ip"], family === 6 ? a.ipv6 : a.ipv4);
  setPath(event, ["meta", side, "hostname"], family === 6 ? a.hostname_v6 : a.hostname_v4);
  if (side === "source") setPath(event, ["meta", "ip_version"], family);
}

function fallbackHostname(event: JsonObject, side: "source" | "destination"): void {
  const meta = event.meta as JsonObject | undefined;
  const entry = meta?.[side] as JsonObject | undefined;
  if (entry && entry.ip && !entry.hostname) entry.hostname = entry.ip;
}

/** Inputs of {@linkcode normalizeEndpoints}. */
export interface EndpointInputs {
  /** E(test.spec.source). */
  readonly source: string | undefined;
  /** E(test.spec.dest). */
  readonly dest: string | undefined;
  /** The `x-ps-observer` header, or E(pscheduler.task_href). */
  readonly observer: string | undefined;
  /** `test.spec.ip-version` as given. */
  readonly ipVersion: unknown;
}

/**
 * Writes `meta.*` into `event` as the Ruby script's `filter` does.
 *
 * @example
 * ```ts
 * import { normalizeEndpoints } from "./endpoint_meta.ts";
 * import { OFFLINE_RESOLVER } from "./resolver.ts";
 * const event: Record<string, unknown> = {};
 * await normalizeEndpoints(event, { source: undefined, dest: "1.1.1.1", observer: "192.0.2.9", ipVersion: undefined }, OFFLINE_RESOLVER);
 * // event.meta.source.ip is "192.0.2.9", meta.destination.ip "1.1.1.1"
 * ```
 */
export async function normalizeEndpoints(
  event: JsonObject,
  inputs: EndpointInputs,
  resolver: NameResolver,
): Promise<void> {
  const rule = ipVersionRule(inputs.ipVersion);
  const observer = await endpointAddresses(inputs.observer, rule, resolver);
  single(event, "observer", observer, rule);
  if (inputs.dest !== undefined) {
    const source = inputs.source !== undefined
      ? await endpointAddresses(inputs.source, rule, resolver)
      : await endpointAddresses(inputs.observer, rule, resolver);
    const dest = await endpointAddresses(inputs.dest, rule, resolver);
    let family: 4 | 6 | undefined;
    if (rule === 6 || (rule === "none" && source.ipv6 && dest.ipv6)) family = 6;
    else if (rule === 4 || (rule === "none" && source.ipv4 && dest.ipv4)) family = 4;
    if (family !== undefined) {
      const v6 = family === 6;
      setPath(event, ["meta", "source", "ip"], v6 ? source.ipv6 : source.ipv4);
      setPath(event, ["meta", "source", "hostname"], v6 ? source.hostname_v6 : source.hostname_v4);
      setPath(event, ["meta", "destination", "ip"], v6 ? dest.ipv6 : dest.ipv4);
      setPath(event, ["meta", "destination", "hostname"], v6 ? dest.hostname_v6 : dest.hostname_v4);
      setPath(event, ["meta", "ip_version"], family);
    }
    fallbackHostname(event, "source");
    fallbackHostname(event, "destination");
  } else if (inputs.source !== undefined) {
    single(event, "source", await endpointAddresses(inputs.source, rule, resolver), rule);
    fallbackHostname(event, "source");
  }
}
