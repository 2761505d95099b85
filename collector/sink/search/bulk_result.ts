/**
 * Reading `_bulk` answers and client errors, pure functions: which items are done, which must
 * be retried (429, 5xx, unreachable cluster) and which the cluster rejected for good (other 4xx:
 * mapping errors), so only failed items are re-sent and rejected ones go to the dead letters.
 *
 * @module
 */

/** One document on its way to the cluster (as kept in the spool). */
export interface SpoolRecord {
  /** Target index. */
  readonly index: string;
  /** Deterministic `_id`. */
  readonly id: string;
  /** The document body. */
  readonly body: Record<string, unknown>;
  /**
   * The body as JSON text (equal to `JSON.stringify(body)`) when the collector already had it:
   * the spool and the `_bulk` body use it instead of serialising `body` again.
   */
  readonly json?: string;
}

/** A record the cluster refused for good, with its reason. */
export interface RejectedRecord {
  /** The record. */
  readonly record: SpoolRecord;
  /** HTTP status of the item (or of the whole request). */
  readonly status: number;
  /** The cluster's error type and reason. */
  readonly reason: string;
}

/** The outcome of one bulk request, item by item. */
export interface BulkOutcome {
  /** How many items were indexed (created or updated). */
  readonly indexed: number;
  /** Items to send again later, in their original order. */
  readonly retry: SpoolRecord[];
  /** Items to write to the dead-letter file. */
  readonly rejected: RejectedRecord[];
}

/**
 * Whether an HTTP status means "try again later" rather than "this document is bad".
 * 401/403 count as temporary too: a credential being fixed must not turn data into dead letters.
 *
 * @example
 * ```ts
 * import { isRetryableStatus } from "./bulk_result.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(isRetryableStatus(429), true);
 * assert.deepEqual(isRetryableStatus(400), false);
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500 || status === 401 || status === 403 ||
    status === 408 || status === 413;
}

interface BulkItemAnswer {
  status?: number;
  error?: unknown;
}

function reasonOf(error: unknown): string {
  if (error === undefined || error === null) return "unknown error";
  if (typeof error !== "object") return String(error);
  const e = error as { type?: string; reason?: string; caused_by?: { reason?: string } };
  const cause = e.caused_by?.reason ? ` (${e.caused_by.reason})` : "";
  return `${e.type ?? "error"}: ${e.reason ?? ""}${cause}`;
}

/**
 * Sorts the items of a `_bulk` answer for the records sent, in the same order.
 *
 * @example
 * ```ts
 * import { classifyBulkResponse } from "./bulk_result.ts";
 * import assert from "node:assert/strict";
 * const rec = { index: "i", id: "1", body: {} };
 * const outcome = classifyBulkResponse([rec], {
 *   errors: true,
 *   items: [{ index: { status: 429, error: { type: "es_rejected_execution_exception" } } }],
 * });
 * assert.deepEqual(outcome.retry.length, 1);
 * ```
 */
export function classifyBulkResponse(
  records: readonly SpoolRecord[],
  response: { errors?: boolean; items?: readonly Record<string, BulkItemAnswer>[] },
): BulkOutcome {
  const items = response.items ?? [];
  const retry: SpoolRecord[] = [];
  const rejected: RejectedRecord[] = [];
  let indexed = 0;
  records.forEach((record, i) => {
    const item = items[i];
    const answer = item ? Object.values(item)[0] : undefined;
    // A missing answer cannot be trusted as success: send that item again.
    if (answer === undefined || answer.status === undefined) {
      retry.push(record);
      return;
    }
    if (answer.status >= 200 && answer.status < 300) {
      indexed++;
    } else if (isRetryableStatus(answer.status)) {
      retry.push(record);
    } else {
      rejected.push({ record, status: answer.status, reason: reasonOf(answer.error) });
    }
  });
  return { indexed, retry, rejected };
}

/** How a thrown client error should be handled. */
export interface RequestFailure {
  /** True when the whole request should be retried later. */
  readonly retryable: boolean;
  /** HTTP status if the server answered, 0 when it did not. */
  readonly status: number;
  /** One-line description for logs and dead letters. */
  readonly reason: string;
}

/**
 * Classifies an error thrown by either search client for a whole request: no answer (refused,
 * timeout, no living node) and 429/5xx are retryable; other 4xx are not.
 *
 * @example
 * ```ts
 * import { classifyRequestError } from "./bulk_result.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(classifyRequestError(Object.assign(new Error("refused"), { name: "ConnectionError" })), { retryable: true, status: 0, reason: "ConnectionError: refused" });
 * ```
 */
export function classifyRequestError(error: unknown): RequestFailure {
  const err = error as {
    name?: string;
    message?: string;
    statusCode?: number;
    meta?: { statusCode?: number; body?: { error?: BulkItemAnswer["error"] } };
  };
  const status = err?.meta?.statusCode ?? err?.statusCode ?? 0;
  const name = err?.name ?? "Error";
  const bodyError = err?.meta?.body?.error;
  const reason = bodyError !== undefined
    ? `${name} ${status}: ${reasonOf(bodyError)}`
    : `${name}: ${err?.message ?? String(error)}`;
  if (!status) return { retryable: true, status: 0, reason };
  return { retryable: isRetryableStatus(status), status, reason };
}
