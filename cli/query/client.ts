/**
 * From validated options to the client library's objects: the metadata search filters (in the
 * originals' parameter order, `-F` keys overriding the options of the same meaning) and the
 * connection settings.
 *
 * @module
 */
import { ApiConnect, ApiFilters, type ApiFiltersInit } from "../../lib/esmond/mod.ts";
import type { QueryOptions } from "../options/validate.ts";

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The search filters for `options`.
 *
 * @example
 * ```ts
 * import { searchFilters } from "./client.ts";
 * // searchFilters(options).metadataSearchParams().toString()
 * // "source=…&destination=…&time-start=…&time-end=…"
 * ```
 */
export function searchFilters(options: QueryOptions): ApiFilters {
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
 * // using conn = connect(options);
 * // for await (const md of conn.listMetadata()) console.log(md.metadataKey);
 * ```
 */
export function connect(options: QueryOptions): ApiConnect {
  return new ApiConnect({
    url: options.url,
    scriptAlias: "/esmond",
    timeoutMs: options.timeoutMs,
    insecure: options.insecure,
    verbose: options.verbose,
    filters: searchFilters(options),
    metadataTimeMatch: options.matchDataTime ? "data" : "updated",
  });
}
