/**
 * Posting a payload through the client library: the metadata POST (which finds the existing
 * metadata when an identical one is stored), then one bulk PUT with every value.
 *
 * @module
 */
import {
  type ClientOptions,
  EventTypeBulkPost,
  MetadataPost,
  validateValue,
} from "../../lib/esmond/mod.ts";
import type { PipePayload } from "./types.ts";

/** The two request bodies a payload becomes. */
export interface ArchiveBodies {
  /** Body of `POST archive/`. */
  readonly metadata: Record<string, unknown>;
  /** Body of `PUT archive/<key>/`. */
  readonly data: unknown;
}

function metadataPost(payload: PipePayload, client: ClientOptions): MetadataPost {
  const post = new MetadataPost({ ...client, ...payload.metadata });
  for (const eventType of payload.eventTypes) post.addEventType(eventType);
  return post;
}

function bulkPost(payload: PipePayload, client: ClientOptions, metadataKey: string) {
  const bulk = new EventTypeBulkPost({ ...client, metadataKey });
  for (const value of payload.values) bulk.addDataPoint(value.eventType, payload.ts, value.val);
  return bulk;
}

/**
 * Checks every field and value the way the library will before sending anything, so an invalid
 * payload is refused before the metadata exists. Throws `ArchiveValidationError`.
 *
 * @example
 * ```ts
 * import { validatePayload } from "./post.ts";
 * import assert from "node:assert/strict";
 * const payload = {
 *   metadata: {
 *     subjectType: "point-to-point" as const,
 *     source: "10.0.0.1",
 *     destination: "10.0.0.2",
 *     toolName: "bwctl/iperf3",
 *     measurementAgent: "10.0.0.1",
 *     inputSource: "10.0.0.1",
 *     inputDestination: "10.0.0.2",
 *     freeform: {},
 *   },
 *   eventTypes: ["throughput"],
 *   ts: 1700000000,
 *   values: [{ eventType: "throughput", val: 9.4e8 }],
 * };
 * validatePayload(payload);
 * assert.throws(() =>
 *   validatePayload({ ...payload, values: [{ eventType: "throughput", val: "fast" }] })
 * );
 * ```
 */
export function validatePayload(payload: PipePayload): void {
  using post = metadataPost(payload, { url: "http://localhost" });
  post.payload();
  for (const value of payload.values) validateValue(value.eventType, value.val);
}

/**
 * The request bodies `postPayload` would send (for `--dry-run`).
 *
 * @example
 * ```ts
 * import { archiveBodies } from "./post.ts";
 * import assert from "node:assert/strict";
 * const payload = {
 *   metadata: {
 *     subjectType: "point-to-point" as const,
 *     source: "10.0.0.1",
 *     destination: "10.0.0.2",
 *     toolName: "bwctl/iperf3",
 *     measurementAgent: "10.0.0.1",
 *     inputSource: "10.0.0.1",
 *     inputDestination: "10.0.0.2",
 *     freeform: {},
 *   },
 *   eventTypes: ["throughput"],
 *   ts: 1700000000,
 *   values: [{ eventType: "throughput", val: 9.4e8 }],
 * };
 * const { metadata, data } = archiveBodies(payload);
 * assert.equal(metadata.source, "10.0.0.1");
 * assert.deepEqual(data, {
 *   data: [{ ts: 1700000000, val: [{ "event-type": "throughput", val: 9.4e8 }] }],
 * });
 * ```
 */
export function archiveBodies(payload: PipePayload): ArchiveBodies {
  const client = { url: "http://localhost" };
  using post = metadataPost(payload, client);
  using bulk = bulkPost(payload, client, "dry-run");
  return { metadata: post.payload(), data: bulk.payload() };
}

/**
 * Posts the metadata (the archive returns the identical one when it is already stored) and
 * resolves to its key. Library errors pass through.
 *
 * @example
 * ```ts
 * import { postMetadata } from "./post.ts";
 * // const key = await postMetadata(payload, { url: "http://127.0.0.1:8000", apiKey: "…" });
 * ```
 */
export async function postMetadata(payload: PipePayload, client: ClientOptions): Promise<string> {
  validatePayload(payload);
  using post = metadataPost(payload, client);
  return (await post.postMetadata()).metadataKey;
}

/**
 * Posts every value of the payload under `metadataKey` in one bulk request. Library errors
 * pass through.
 *
 * @example
 * ```ts
 * import { postValues } from "./post.ts";
 * // await postValues(payload, { url: "http://127.0.0.1:8000", apiKey: "…" }, key);
 * ```
 */
export async function postValues(
  payload: PipePayload,
  client: ClientOptions,
  metadataKey: string,
): Promise<void> {
  using bulk = bulkPost(payload, client, metadataKey);
  await bulk.postData();
}

/**
 * Posts the metadata and then all values in one bulk request; returns the metadata key.
 * Library errors (`ArchiveValidationError`, `ArchiveHttpError`, `ArchiveNetworkError`) pass
 * through.
 *
 * @example
 * ```ts
 * import { postPayload } from "./post.ts";
 * // const key = await postPayload(payload, { url: "http://127.0.0.1:8000", apiKey: "…" });
 * ```
 */
export async function postPayload(payload: PipePayload, client: ClientOptions): Promise<string> {
  const metadataKey = await postMetadata(payload, client);
  await postValues(payload, client, metadataKey);
  return metadataKey;
}
