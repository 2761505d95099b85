/**
 * The Elasticsearch / OpenSearch sink of xrootd-fstream-collector: bulk indexing with a durable
 * spool, dead letters, an index template, failover across `-s` servers, and the older-events
 * lookup over the same cluster.
 *
 * @example
 * ```ts
 * import { createSearchSink, searchSinkOptions } from "./mod.ts";
 * const options = await searchSinkOptions({
 *   servers: ["http://127.0.0.1:9200"],
 *   insecure: false,
 *   time: 10,
 *   values: {},
 * });
 * const { sink, lookup } = await createSearchSink(options);
 * await sink.close();
 * ```
 *
 * @module
 */
import { SearchSink, type SearchSinkOptions } from "./search_sink.ts";
import { renderSearchSinkPrometheus } from "./metrics.ts";

export { SearchSink, type SearchSinkOptions } from "./search_sink.ts";
export {
  SEARCH_ARG_SPEC,
  SEARCH_USAGE,
  type SearchArgValues,
  SearchOptionError,
  type SearchOptionInput,
  searchSinkOptions,
} from "./options.ts";
export { renderSearchSinkPrometheus, type SearchSinkMetrics } from "./metrics.ts";
export type { BackendKind, ConnectionOptions, Credentials } from "./backend.ts";
export { DEFAULT_INDEX_PATTERN, indexFor, indexWildcard } from "./index_name.ts";
export { COLLECTOR_FIELD_TYPES, indexTemplate, SEED_FIELD_TYPES } from "./template.ts";

/**
 * Opens the search sink; returns it with its lookup, in the shape `collector/sink/mod.ts` builds.
 *
 * @example
 * ```ts
 * import { createSearchSink } from "./mod.ts";
 * const { sink } = await createSearchSink({
 *   connection: { servers: ["http://127.0.0.1:9200"] },
 *   indexPattern: "xrd-fstream-%Y.%m.%d",
 *   template: true,
 *   flushIntervalMs: 10_000,
 *   batchSize: 5000,
 *   spoolMaxBytes: 1 << 30,
 *   lookupTimeoutMs: 1000,
 * });
 * await sink.close();
 * ```
 */
export async function createSearchSink(
  options: SearchSinkOptions,
): Promise<{ sink: SearchSink; lookup: SearchSink["lookup"]; renderMetrics: () => string }> {
  const sink = await SearchSink.open(options);
  return {
    sink,
    lookup: sink.lookup,
    renderMetrics: () => renderSearchSinkPrometheus(sink.metrics),
  };
}
