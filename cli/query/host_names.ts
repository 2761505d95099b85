/**
 * Address → host-name conversion for the output rows (clients spec §2.3), done better than the
 * original's blocking `getfqdn()`: each address is looked up once, lookups run concurrently,
 * each has a short timeout, and a lookup that fails or times out leaves the address as it is.
 * Rows ask synchronously ({@linkcode HostNames.name}) after a batch was prefetched, so output is
 * never held up by more than one timeout per batch.
 *
 * @module
 */

/** Looks up the names of an address: primary name first, then aliases; [] when none. */
export type ReverseLookup = (address: string, signal: AbortSignal) => Promise<string[]>;

/** Options for {@linkcode HostNames}. */
export interface HostNamesOptions {
  /** Keep addresses as they are (`--ip`). */
  readonly keepAddresses: boolean;
  /** The lookup; defaults to {@linkcode systemReverseLookup}. */
  readonly lookup?: ReverseLookup;
  /** Per-lookup timeout in milliseconds (default 1500). */
  readonly timeoutMs?: number;
}

/**
 * Python `getfqdn()`'s pick among the names: the first one containing a dot, else the first.
 *
 * @example
 * ```ts
 * import { pickName } from "./host_names.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pickName(["localhost", "localhost.localdomain"]), "localhost.localdomain");
 * assert.deepEqual(pickName([]), undefined);
 * ```
 */
export function pickName(names: readonly string[]): string | undefined {
  const cleaned = names.map((name) => name.replace(/\.$/, "")).filter((name) => name !== "");
  return cleaned.find((name) => name.includes(".")) ?? cleaned[0];
}

/** A per-run cache of address → host name. */
export class HostNames {
  readonly #options: HostNamesOptions;
  readonly #names = new Map<string, string>();
  readonly #pending = new Map<string, Promise<void>>();

  /** Creates the cache. */
  constructor(options: HostNamesOptions) {
    this.#options = options;
  }

  /**
   * Resolves every address not seen yet, concurrently; resolves when all are settled.
   *
   * @example
   * ```ts
   * import { HostNames } from "./host_names.ts";
   * import assert from "node:assert/strict";
   * const names = new HostNames({ keepAddresses: false, lookup: async () => ["h.example"] });
   * await names.prefetch(["10.0.0.1"]);
   * assert.deepEqual(names.name("10.0.0.1"), "h.example");
   * ```
   */
  async prefetch(addresses: Iterable<string>): Promise<void> {
    if (this.#options.keepAddresses) return;
    const waits: Promise<void>[] = [];
    for (const address of addresses) {
      if (this.#names.has(address)) continue;
      let pending = this.#pending.get(address);
      if (pending === undefined) {
        pending = this.#resolve(address);
        this.#pending.set(address, pending);
      }
      waits.push(pending);
    }
    await Promise.all(waits);
  }

  async #resolve(address: string): Promise<void> {
    const lookup = this.#options.lookup ?? systemReverseLookup;
    const signal = AbortSignal.timeout(this.#options.timeoutMs ?? 1500);
    let name: string | undefined;
    try {
      name = pickName(
        await Promise.race([
          lookup(address, signal),
          new Promise<string[]>((resolve) => signal.addEventListener("abort", () => resolve([]))),
        ]),
      );
    } catch {
      name = undefined;
    }
    this.#names.set(address, name ?? address);
    this.#pending.delete(address);
  }

  /** The host name of `address` if known, else the address itself. */
  name(address: string): string {
    if (this.#options.keepAddresses) return address;
    return this.#names.get(address) ?? address;
  }
}

function hostsFileNames(text: string, address: string): string[] {
  for (const line of text.split("\n")) {
    const fields = line.replace(/#.*/, "").trim().split(/\s+/);
    if (fields.length >= 2 && fields[0] === address) return fields.slice(1);
  }
  return [];
}

function ptrName(address: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) {
    return address.split(".").reverse().join(".") + ".in-addr.arpa";
  }
  if (!address.includes(":")) return undefined;
  const [head, tail = ""] = address.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = groups(tail);
  if (!address.includes("::") && left.length !== 8) return undefined;
  const all = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  const nibbles = all.map((g) => g.padStart(4, "0")).join("");
  if (!/^[0-9a-f]{32}$/i.test(nibbles)) return undefined;
  return [...nibbles.toLowerCase()].reverse().join(".") + ".ip6.arpa";
}

let hostsFile: string | null | undefined;

/**
 * The system's reverse lookup: `/etc/hosts` first (as the C library does), then a DNS PTR query.
 *
 * @example
 * ```ts
 * import { systemReverseLookup } from "./host_names.ts";
 * await systemReverseLookup("127.0.0.1", AbortSignal.timeout(1000)); // e.g. ["localhost"]
 * ```
 */
export async function systemReverseLookup(address: string, signal: AbortSignal): Promise<string[]> {
  if (hostsFile === undefined) {
    try {
      hostsFile = await Deno.readTextFile("/etc/hosts");
    } catch {
      hostsFile = null;
    }
  }
  const fromFile = hostsFile === null ? [] : hostsFileNames(hostsFile, address);
  if (fromFile.length > 0) return fromFile;
  const query = ptrName(address);
  if (query === undefined) return [];
  return await Deno.resolveDns(query, "PTR", { signal });
}
