/**
 * Metadata identity over `pscheduler_*` documents and the stable metadata key derived from it.
 *
 * One esmond metadata is one distinct (`pscheduler.esmond_key`, `pscheduler.test_checksum`,
 * `meta.observer.ip`, `meta.source.ip`, `meta.destination.ip`). The key is:
 * - `pscheduler.esmond_key` when the documents carry one (data migrated from esmond, or written
 *   through the esmond write API of `esmond-ps-archive serve --opensearch`): the original key,
 *   so bookmarks keep working;
 * - otherwise 32 lower-case hex digits: the first 16 of the test checksum followed by the first
 *   16 of SHA-256(`observer|source|destination`). The same documents give the same key on any
 *   process, after any restart or re-index; the checksum prefix makes a key searchable.
 *
 * @module
 */
import { sha256Hex } from "../pscheduler/canonical_json.ts";

/** The field holding an esmond metadata key on documents migrated or written through esmond. */
export const ESMOND_KEY_FIELD = "pscheduler.esmond_key";

/** What distinguishes one metadata's documents from another's; null = field absent. */
export interface GroupIdentity {
  /** `pscheduler.esmond_key`. */
  readonly esmondKey: string | null;
  /** `pscheduler.test_checksum`. */
  readonly checksum: string | null;
  /** `meta.observer.ip`. */
  readonly observer: string | null;
  /** `meta.source.ip`. */
  readonly source: string | null;
  /** `meta.destination.ip`. */
  readonly destination: string | null;
}

/** The document fields of {@linkcode GroupIdentity}, in composite-aggregation order. */
export const IDENTITY_FIELDS: readonly [keyof GroupIdentity, string][] = [
  ["esmondKey", `${ESMOND_KEY_FIELD}.keyword`],
  ["checksum", "pscheduler.test_checksum.keyword"],
  ["observer", "meta.observer.ip"],
  ["source", "meta.source.ip"],
  ["destination", "meta.destination.ip"],
];

/**
 * The metadata key of a group (see the module doc).
 *
 * @example
 * ```ts
 * import { metadataKeyOf } from "./metadata_key.ts";
 * import { strictEqual } from "node:assert/strict";
 * const key = await metadataKeyOf({ esmondKey: null, checksum: "ab9610b277c1984e6ddfb39418c94c66",
 *   observer: "192.168.1.104", source: "192.168.1.104", destination: "192.168.1.101" });
 * strictEqual(key.slice(0, 16), "ab9610b277c1984e");
 * strictEqual(await metadataKeyOf({ esmondKey: "EC7E", checksum: null, observer: null,
 *   source: null, destination: null }), "EC7E");
 * ```
 */
export function metadataKeyOf(group: GroupIdentity): Promise<string> {
  if (group.esmondKey) return Promise.resolve(group.esmondKey);
  const prefix = (group.checksum ?? "").toLowerCase().replace(/[^0-9a-f]/g, "")
    .padEnd(16, "0").slice(0, 16);
  const tail = `${group.observer ?? ""}|${group.source ?? ""}|${group.destination ?? ""}`;
  // Synchronous hashing: WebCrypto's digest costs ~100 µs a call, paid once per listed metadata.
  return Promise.resolve(prefix + sha256Hex(tail).slice(0, 16));
}

/**
 * The OpenSearch filter clauses selecting exactly the documents of `group`.
 *
 * @example
 * ```ts
 * import { identityFilter } from "./metadata_key.ts";
 * identityFilter({ esmondKey: "K", checksum: null, observer: null, source: null, destination: null });
 * ```
 */
export function identityFilter(group: GroupIdentity): Record<string, unknown>[] {
  const clauses: Record<string, unknown>[] = [];
  for (const [name, field] of IDENTITY_FIELDS) {
    const value = group[name];
    clauses.push(
      value === null ? { bool: { must_not: { exists: { field } } } } : { term: { [field]: value } },
    );
  }
  return clauses;
}
