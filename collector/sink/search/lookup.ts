/**
 * The "older events" lookup: on a cache miss the correlate stage asks the index for the
 * `fstream_open` / `user_connection` document indexed earlier, by this or another collector
 * process. Every question has a short timeout and any failure answers "not found", so a slow or
 * absent cluster never stalls ingestion.
 *
 * @module
 */
import type { LookupKey, OlderEventsLookup } from "../../correlate/sink_contracts.ts";
import type { SearchBackend } from "./backend.ts";

/** Options for {@linkcode createSearchLookup}. */
export interface SearchLookupOptions {
  /** Resolves the backend, or rejects while the cluster is unknown/unreachable. */
  readonly backend: () => Promise<SearchBackend>;
  /** The index wildcard to search (e.g. `xrd-fstream-*`). */
  readonly index: string;
  /** Per-question timeout in ms. */
  readonly timeoutMs: number;
  /** Told about each question's outcome (metrics). */
  readonly onResult?: (outcome: "hit" | "miss" | "error", error?: unknown) => void;
}

/**
 * The query for one document kind and uniq id (pure). Matches the field as `keyword` (our
 * template) or its `.keyword` sub-field (an index created without our template).
 *
 * @example
 * ```ts
 * import { lookupQuery } from "./lookup.ts";
 * lookupQuery("fstream_open", "xrd_file_uniq_id", "127.0.0.1-1795393061.2");
 * ```
 */
export function lookupQuery(msgType: string, field: string, value: string) {
  const either = (name: string, v: string) => ({
    bool: {
      should: [{ term: { [name]: v } }, { term: { [`${name}.keyword`]: v } }],
      minimum_should_match: 1,
    },
  });
  return {
    size: 1,
    query: { bool: { filter: [either("xrd_msg_type", msgType), either(field, value)] } },
  };
}

/**
 * The seed's uniq id for a lookup key: `<server>.<dictid>`, where the server part is the
 * collector's `<sender ip>-<stod>`.
 *
 * @example
 * ```ts
 * import { uniqId } from "./lookup.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(uniqId({ serverId: "127.0.0.1-1795393061", dictId: 2 }), "127.0.0.1-1795393061.2");
 * ```
 */
export function uniqId(key: LookupKey): string {
  return `${key.serverId}.${key.dictId}`;
}

/**
 * A lookup over the search cluster.
 *
 * @example
 * ```ts
 * import { createSearchLookup } from "./lookup.ts";
 * import { createBackend } from "./backend.ts";
 * const backend = createBackend("opensearch", { servers: ["http://127.0.0.1:9200"] });
 * const lookup = createSearchLookup({
 *   backend: () => Promise.resolve(backend),
 *   index: "xrd-fstream-*",
 *   timeoutMs: 1000,
 * });
 * await lookup.findOpen({ serverId: "127.0.0.1-1795393061", dictId: 2 });
 * ```
 */
export function createSearchLookup(options: SearchLookupOptions): OlderEventsLookup {
  async function find(msgType: string, field: string, key: LookupKey) {
    try {
      const backend = await options.backend();
      const query = lookupQuery(msgType, field, uniqId(key));
      const hits = await backend.search(options.index, query, options.timeoutMs);
      options.onResult?.(hits.length > 0 ? "hit" : "miss");
      return hits[0];
    } catch (error) {
      options.onResult?.("error", error);
      return undefined;
    }
  }
  return {
    findOpen: (key) => find("fstream_open", "xrd_file_uniq_id", key),
    findUser: (key) => find("user_connection", "xrd_user_uniq_id", key),
  };
}
