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
 * newSearchSinkMetrics().docsIndexed; // 0
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
