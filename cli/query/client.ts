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
