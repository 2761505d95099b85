/**
 * From validated options to the client library's objects: the metadata search filters (in the
 * originals' parameter order, `-F` keys overriding the options of the same meaning) and the
 * connection settings.
 *
 * @module
 */
import { ApiConnect, ApiFilters, type ApiFiltersInit } from "../../lib/esmond/mod.ts";
import { lazyOpenSearchSource } from "../../lib/opensearch/lazy_source.ts";
import { openSearchUrl } from "../../lib/opensearch/url_scheme.ts";
import type { QueryOptions } from "../options/validate.ts";

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The options {@linkcode searchFilters} reads (a subset of the query tools' options). */
export type SearchFilterOptions = Pick<
  QueryOptions,
  | "source"
  | "destination"
  | "agent"
  | "eventType"
  | "tool"
  | "summaryType"
  | "summaryWindow"
  | "start"
  | "end"
  | "verbose"
  | "filters"
>;

/**
 * The search filters for `options`.
 *
 * @example
 * ```ts
 * import { searchFilters } from "./client.ts";
 * import { validateQueryArgs } from "../options/validate.ts";
 * import assert from "node:assert/strict";
 * const v = validateQueryArgs("esmond-ps-get-metadata", ["-u", "http://h", "-s", "10.0.0.1"], {
 *   now: new Date("2026-01-02T00:00:00Z"), cwd: "/tmp", isDirectory: () => true,
 * });
 * assert.ok(v.kind === "run");
 * const params = searchFilters(v.options).metadataSearchParams();
 * assert.equal(params.get("source"), "10.0.0.1");
 * assert.equal(params.get("time-end"), String(Date.parse("2026-01-02T00:00:00Z") / 1000));
 * ```
 */
export function searchFilters(options: SearchFilterOptions): ApiFilters {
  const init: ApiFiltersInit & Record<string, unknown> = {
    source: options.source,
    destination: options.destination,
    measurementAgent: options.agent,
    eventType: options.eventType,
    toolName: options.tool,
    summaryType: options.summaryType,
    // The original sends the window only when it is not 0.
    summaryWindow: options.summaryWindow !== 0 ? options.summaryWindow : undefined,
    timeStart: options.start,
    timeEnd: options.end,
    verbose: options.verbose,
  };
  for (const [key, value] of Object.entries(options.filters.known)) init[camel(key)] = value;
  return new ApiFilters({ ...init, extra: { ...options.filters.freeform } });
}

/**
 * A connection to the archive named by `--url` with the search filters of `options`. The
 * library keeps the archive's histogram bucket order (a `Map` where JS would reorder).
 *
 * @example
 * ```ts
 * import { connect } from "./client.ts";
 * import { validateQueryArgs } from "../options/validate.ts";
 * import assert from "node:assert/strict";
 * const v = validateQueryArgs("esmond-ps-get-endpoints", ["-u", "http://127.0.0.1:9"], {
 *   now: new Date(), cwd: "/tmp", isDirectory: () => true,
 * });
 * assert.ok(v.kind === "run");
 * using conn = connect(v.options);
 * // Nothing listens on port 9: listing the metadata fails with the library's network error.
 * await assert.rejects(conn.listMetadata()[Symbol.asyncIterator]().next());
 * ```
 */
export function connect(
  options: QueryOptions,
  tuning: { readonly keepAliveHttp?: boolean } = {},
): ApiConnect {
  // `opensearch+https://…` names a perfSONAR 5 archive's OpenSearch: read pscheduler_* directly.
  const direct = openSearchUrl(options.url);
  return new ApiConnect({
    source: direct === undefined ? undefined : lazyOpenSearchSource({
      url: direct,
      insecure: options.insecure,
      timeoutMs: options.timeoutMs,
      apiKey: Deno.env.get("ESMOND_OPENSEARCH_API_KEY") || undefined,
      caFile: Deno.env.get("ESMOND_OPENSEARCH_CA_FILE") || undefined,
      certFile: Deno.env.get("ESMOND_OPENSEARCH_CERT_FILE") || undefined,
      keyFile: Deno.env.get("ESMOND_OPENSEARCH_KEY_FILE") || undefined,
    }),
    closeSource: true,
    url: options.url,
    scriptAlias: "/esmond",
    timeoutMs: options.timeoutMs,
    insecure: options.insecure,
    verbose: options.verbose,
    keepAliveHttp: tuning.keepAliveHttp,
    filters: searchFilters(options),
    metadataTimeMatch: options.matchDataTime ? "data" : "updated",
  });
}
