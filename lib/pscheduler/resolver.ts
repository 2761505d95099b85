/**
 * The name service the pipeline is given (it does no I/O itself): getaddrinfo-like lookups,
 * plain DNS queries and reverse lookups. {@linkcode tableResolver} is the offline one used with
 * a name table; the system resolver lives with the I/O code (`lib/archive`).
 *
 * @module
 */
import { isObject } from "./json_value.ts";

/** The addresses a name resolves to, per family, in the resolver's order. */
export interface Addresses {
  /** IPv4 addresses. */
  readonly ipv4: readonly string[];
  /** IPv6 addresses. */
  readonly ipv6: readonly string[];
}

/** A name service. Every method resolves to "nothing" instead of rejecting. */
export interface NameResolver {
  /** getaddrinfo(name): both lists empty when the name does not resolve. */
  lookup(name: string): Promise<Addresses>;
  /** A DNS query (A for 4, AAAA for 6) bypassing hosts files; the answers. */
  query(name: string, family: 4 | 6): Promise<readonly string[]>;
  /** The PTR name of an address, or null. */
  reverse(address: string): Promise<string | null>;
}

/** The name table of `--names FILE` / `requests.json`. */
export interface NameTable {
  /** name → addresses. */
  readonly forward?: Readonly<
    Record<string, { ipv4?: readonly string[]; ipv6?: readonly string[] }>
  >;
  /** address → name. */
  readonly reverse?: Readonly<Record<string, string>>;
}

/**
 * Checks a parsed name table (`{"forward": {name: {ipv4: [], ipv6: []}}, "reverse": {addr: name}}`);
 * throws `TypeError` with the reason when it has another shape.
 *
 * @example
 * ```ts
 * import { parseNameTable } from "./resolver.ts";
 * parseNameTable({ forward: { h: { ipv4: ["192.0.2.1"] } } });
 * ```
 */
export function parseNameTable(value: unknown): NameTable {
  if (!isObject(value)) throw new TypeError("a name table must be a JSON object");
  const forward: Record<string, { ipv4: string[]; ipv6: string[] }> = {};
  const reverse: Record<string, string> = {};
  const strings = (v: unknown, where: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      throw new TypeError(`${where} must be a list of strings`);
    }
    return v as string[];
  };
  if (value.forward !== undefined) {
    if (!isObject(value.forward)) throw new TypeError("forward must be an object");
    for (const [name, entry] of Object.entries(value.forward)) {
      if (!isObject(entry)) throw new TypeError(`forward.${name} must be an object`);
      forward[name] = {
        ipv4: strings(entry.ipv4, `forward.${name}.ipv4`),
        ipv6: strings(entry.ipv6, `forward.${name}.ipv6`),
      };
    }
  }
  if (value.reverse !== undefined) {
    if (!isObject(value.reverse)) throw new TypeError("reverse must be an object");
    for (const [address, name] of Object.entries(value.reverse)) {
      if (typeof name !== "string") throw new TypeError(`reverse.${address} must be a string`);
      reverse[address] = name;
    }
  }
  return { forward, reverse };
}

/** Options of {@linkcode tableResolver}. */
export interface TableResolverOptions {
  /** Asked for what the table does not know (default: nothing resolves). */
  readonly fallback?: NameResolver;
}

const NOTHING: NameResolver = {
  lookup: () => Promise.resolve({ ipv4: [], ipv6: [] }),
  query: () => Promise.resolve([]),
  reverse: () => Promise.resolve(null),
};

/**
 * A resolver answering from a name table, then from `fallback` (none: offline).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { tableResolver } from "./resolver.ts";
 * const r = tableResolver({ forward: { h: { ipv4: ["192.0.2.1"] } } });
 * deepStrictEqual((await r.lookup("h")).ipv4, ["192.0.2.1"]);
 * deepStrictEqual(await r.reverse("192.0.2.1"), null);
 * ```
 */
export function tableResolver(table: NameTable, options: TableResolverOptions = {}): NameResolver {
  const fallback = options.fallback ?? NOTHING;
  const entry = (name: string) =>
    table.forward && Object.hasOwn(table.forward, name) ? table.forward[name] : undefined;
  return {
    lookup(name) {
      const e = entry(name);
      return e
        ? Promise.resolve({ ipv4: e.ipv4 ?? [], ipv6: e.ipv6 ?? [] })
        : fallback.lookup(name);
    },
    query(name, family) {
      const e = entry(name);
      if (!e) return fallback.query(name, family);
      return Promise.resolve((family === 4 ? e.ipv4 : e.ipv6) ?? []);
    },
    reverse(address) {
      if (table.reverse && Object.hasOwn(table.reverse, address)) {
        return Promise.resolve(table.reverse[address]);
      }
      return fallback.reverse(address);
    },
  };
}

/**
 * The resolver of `--offline` without a table: literals stand for themselves (the pipeline
 * handles them), names resolve to nothing, reverse lookups fail.
 */
export const OFFLINE_RESOLVER: NameResolver = NOTHING;
