/**
 * Delivers one spool segment: `_bulk` requests of at most `batchSize` documents and about
 * `maxBytes` bytes, in order;
 * keeps the items to retry (429/5xx, unreachable cluster), writes the items rejected for good
 * to the dead-letter file, and stops sending at the first failure so the rest waits for the
 * back-off.
 *
 * @module
 */
import type { Logger } from "../../../lib/log/mod.ts";
import type { SearchBackend } from "./backend.ts";
import {
  classifyBulkResponse,
  classifyRequestError,
  type RejectedRecord,
  type SpoolRecord,
} from "./bulk_result.ts";
import { appendDeadLetters } from "./dead_letter.ts";
import type { SearchSinkMetrics } from "./metrics.ts";

/** What {@linkcode deliverRecords} works on. */
export interface DeliverInput {
  /** Where to send. */
  readonly backend: SearchBackend;
  /** The segment's documents, oldest first. */
  readonly records: readonly SpoolRecord[];
  /** Documents per `_bulk` request. */
  readonly batchSize: number;
  /**
   * A request is cut once its documents reach this many bytes (UTF-16 units, exact for ASCII;
   * at least one document each; default {@linkcode DEFAULT_BULK_MAX_BYTES}).
   */
  readonly maxBytes?: number;
  /** Dead-letter file. */
  readonly deadLetterPath: string;
  /** Counters to update. */
  readonly metrics: SearchSinkMetrics;
  /** For the dead-letter log line. */
  readonly log: Logger;
}

/** What is left of the segment, and why delivery stopped early (if it did). */
export interface DeliverResult {
  /** Documents still to deliver, in order. */
  readonly remaining: SpoolRecord[];
  /** Set when a retryable failure stopped delivery. */
  readonly failure?: string;
}

/**
 * The `_bulk` NDJSON body for records (index action with `_index` and `_id`).
 *
 * @example
 * ```ts
 * import { bulkBody } from "./deliver.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(bulkBody([{ index: "i", id: "1", body: { a: 1 } }]), '{"index":{"_index":"i","_id":"1"}}\n{"a":1}\n');
 * ```
 */
export function bulkBody(records: readonly SpoolRecord[]): string {
  let out = "";
  for (const r of records) {
    out += actionLine(r) + "\n";
    out += (r.json ?? JSON.stringify(r.body)) + "\n";
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * Default byte bound of one `_bulk` request. Measured on a cold OpenSearch 2.19 node with a
 * 512 MB heap, 1,000 collector documents a request (≈ 2 MB) indexed 2.6x faster than 5,000
 * (≈ 10 MB, which also tripped the parent circuit breaker with two in flight); warm, the two
 * were alike.
 */
export const DEFAULT_BULK_MAX_BYTES = 2 * 1024 * 1024;

/** A record's action line (the text `JSON.stringify({ index: { _index, _id } })`). */
function actionLine(r: SpoolRecord): string {
  return `{"index":{"_index":${JSON.stringify(r.index)},"_id":${JSON.stringify(r.id)}}}`;
}

/**
 * {@linkcode bulkBody} as UTF-8 bytes, encoded piece by piece into one buffer: a 5,000-document
 * body built as one string is a tree of joined strings that the HTTP client flattens, measures
 * and encodes again (a third of the sink's CPU per document, by profile).
 *
 * @example
 * ```ts
 * import { bulkBody, bulkBytes } from "./deliver.ts";
 * import assert from "node:assert/strict";
 * const records = [{ index: "i", id: "é", body: { a: "ü" } }];
 * assert.deepEqual(new TextDecoder().decode(bulkBytes(records)), bulkBody(records));
 * ```
 */
export function bulkBytes(
  records: readonly SpoolRecord[],
  bodies: readonly string[] = records.map((r) => r.json ?? JSON.stringify(r.body)),
): Uint8Array {
  // Exact for ASCII (the usual case); a longer UTF-8 encoding grows the buffer.
  let size = 0;
  const texts: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const action = actionLine(records[i]);
    texts.push(action, bodies[i]);
    size += action.length + bodies[i].length + 2;
  }
  let out = new Uint8Array(size);
  let used = 0;
  for (const text of texts) {
    let result = encoder.encodeInto(text, out.subarray(used));
    if (result.read < text.length || out.length - used - result.written < 1) {
      const grown = new Uint8Array(Math.max(out.length * 2, used + text.length * 3 + 1));
      grown.set(out.subarray(0, used));
      out = grown;
      result = encoder.encodeInto(text, out.subarray(used));
    }
    used += result.written;
    out[used++] = 10; // "\n"
  }
  return out.subarray(0, used);
}

/**
 * Sends the records; see the module doc.
 *
 * @example
 * ```ts
 * import { deliverRecords } from "./deliver.ts";
 * import { createBackend } from "./backend.ts";
 * import { newSearchSinkMetrics } from "./metrics.ts";
 * import { getLogger } from "../../../lib/log/mod.ts";
 * const { remaining } = await deliverRecords({
 *   backend: createBackend("opensearch", { servers: ["http://127.0.0.1:9200"] }),
 *   records: [{ index: "i", id: "1", body: { a: 1 } }],
 *   batchSize: 5000,
 *   deadLetterPath: "dead.ndjson",
 *   metrics: newSearchSinkMetrics(),
 *   log: getLogger("example"),
 * });
 * ```
 */
export async function deliverRecords(input: DeliverInput): Promise<DeliverResult> {
  const { backend, records, batchSize, metrics } = input;
  const remaining: SpoolRecord[] = [];
  const rejected: RejectedRecord[] = [];
  let failure: string | undefined;
  const maxBytes = input.maxBytes ?? DEFAULT_BULK_MAX_BYTES;
  for (let at = 0; at < records.length;) {
    if (failure !== undefined) {
      remaining.push(...records.slice(at));
      break;
    }
    // Up to batchSize documents, cut earlier once they reach maxBytes.
    const bodies: string[] = [];
    let bytes = 0;
    let end = at;
    while (end < records.length && end - at < batchSize && (end === at || bytes < maxBytes)) {
      const r = records[end++];
      const body = r.json ?? JSON.stringify(r.body);
      bodies.push(body);
      bytes += body.length;
    }
    const chunk = records.slice(at, end);
    at = end;
    metrics.bulkRequests++;
    try {
      const outcome = classifyBulkResponse(chunk, await backend.bulk(bulkBytes(chunk, bodies)));
      metrics.docsIndexed += outcome.indexed;
      rejected.push(...outcome.rejected);
      if (outcome.retry.length > 0) {
        metrics.itemsRetried += outcome.retry.length;
        remaining.push(...outcome.retry);
        failure = `${outcome.retry.length} of ${chunk.length} items answered 429/5xx`;
      }
    } catch (error) {
      const f = classifyRequestError(error);
      if (f.retryable) {
        failure = f.reason;
        remaining.push(...chunk);
      } else {
        rejected.push(...chunk.map((record) => ({ record, status: f.status, reason: f.reason })));
      }
    }
  }
  if (rejected.length > 0) {
    try {
      await appendDeadLetters(input.deadLetterPath, rejected);
      metrics.deadLetters += rejected.length;
      input.log.error("{count} documents rejected by the cluster, written to {path}: {reason}", {
        count: rejected.length,
        path: input.deadLetterPath,
        reason: rejected[0].reason,
      });
    } catch (error) {
      // Without a dead-letter file the documents stay queued: never drop them.
      remaining.push(...rejected.map((r) => r.record));
      failure ??= `dead-letter file ${input.deadLetterPath}: ${error}`;
    }
  }
  return { remaining, failure };
}
