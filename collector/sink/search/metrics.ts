/**
 * Counters of the search sink, read by log lines and by the collector's metrics endpoint.
 *
 * @module
 */

/** The search sink's counters (monotonic unless noted). */
export interface SearchSinkMetrics {
  /** Documents handed to the sink. */
  docsAccepted: number;
  /** Documents the cluster indexed. */
  docsIndexed: number;
  /** `_bulk` requests sent. */
  bulkRequests: number;
  /** Delivery attempts that failed and were scheduled again. */
  retries: number;
  /** Items re-sent after a partial bulk failure. */
  itemsRetried: number;
  /** Documents written to the dead-letter file. */
  deadLetters: number;
  /** Documents dropped because the spool was full. */
  spoolDropped: number;
  /** Documents queued in the spool (gauge). */
  spoolDocs: number;
  /** Bytes queued in the spool (gauge). */
  spoolBytes: number;
  /** Lookups that found a document. */
  lookupHits: number;
  /** Lookups that found nothing. */
  lookupMisses: number;
  /** Lookups that failed or timed out. */
  lookupErrors: number;
}

/**
 * A zeroed set of counters.
 *
 * @example
 * ```ts
 * import { newSearchSinkMetrics } from "./metrics.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(newSearchSinkMetrics().docsIndexed, 0);
 * ```
 */
export function newSearchSinkMetrics(): SearchSinkMetrics {
  return {
    docsAccepted: 0,
    docsIndexed: 0,
    bulkRequests: 0,
    retries: 0,
    itemsRetried: 0,
    deadLetters: 0,
    spoolDropped: 0,
    spoolDocs: 0,
    spoolBytes: 0,
    lookupHits: 0,
    lookupMisses: 0,
    lookupErrors: 0,
  };
}

const SEARCH_METRIC_HELP: Readonly<Record<keyof SearchSinkMetrics, [string, string, string]>> = {
  docsAccepted: ["search_docs_accepted_total", "counter", "Documents handed to the search sink."],
  docsIndexed: ["search_docs_indexed_total", "counter", "Documents the cluster indexed."],
  bulkRequests: ["search_bulk_requests_total", "counter", "_bulk requests sent."],
  retries: ["search_retries_total", "counter", "Delivery attempts that failed and were retried."],
  itemsRetried: ["search_items_retried_total", "counter", "Items re-sent after a partial failure."],
  deadLetters: [
    "search_dead_letters_total",
    "counter",
    "Documents written to the dead-letter file.",
  ],
  spoolDropped: ["search_spool_dropped_total", "counter", "Documents dropped: spool full."],
  spoolDocs: ["search_spool_documents", "gauge", "Documents waiting in the spool."],
  spoolBytes: ["search_spool_bytes", "gauge", "Bytes waiting in the spool."],
  lookupHits: ["search_lookup_hits_total", "counter", "Older-event lookups that found a document."],
  lookupMisses: [
    "search_lookup_misses_total",
    "counter",
    "Older-event lookups that found nothing.",
  ],
  lookupErrors: ["search_lookup_errors_total", "counter", "Older-event lookups that failed."],
};

/**
 * The sink's counters in the Prometheus text format, for the collector's `/metrics` page.
 *
 * @example
 * ```ts
 * import { newSearchSinkMetrics, renderSearchSinkPrometheus } from "./metrics.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(renderSearchSinkPrometheus(newSearchSinkMetrics()).includes("spool_bytes 0"), true);
 * ```
 */
export function renderSearchSinkPrometheus(
  metrics: SearchSinkMetrics,
  prefix = "xrootd_collector_",
): string {
  const lines: string[] = [];
  for (const [key, [name, kind, help]] of Object.entries(SEARCH_METRIC_HELP)) {
    lines.push(`# HELP ${prefix}${name} ${help}`, `# TYPE ${prefix}${name} ${kind}`);
    lines.push(`${prefix}${name} ${metrics[key as keyof SearchSinkMetrics]}`);
  }
  return lines.join("\n") + "\n";
}
