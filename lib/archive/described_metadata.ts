/**
 * The validated description and checksum of an esmond metadata text, remembered for the most
 * recent tasks: every run of a pScheduler task carries the same metadata.
 *
 * @module
 */
import { metadataChecksum, type MetadataDescription, parseMetadataPost } from "./metadata_post.ts";
import { parsePyJsonTree } from "../esmond/py_json/tree.ts";

/** A metadata text's description and deduplication checksum. */
export interface DescribedMetadata {
  /** The validated metadata. */
  readonly metadata: MetadataDescription;
  /** Its checksum (the esmond deduplication key). */
  readonly checksum: string;
}

// Insertion-ordered map as a small LRU.
const described = new Map<string, DescribedMetadata>();
const DESCRIBED_MAX = 4096;

/**
 * Validates an esmond metadata POST body (throws `ValueError` as the esmond route does) and
 * computes its checksum, or returns the remembered result for the same text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeMetadata } from "./described_metadata.ts";
 * const text = JSON.stringify({
 *   "subject-type": "point-to-point", source: "192.0.2.1", destination: "192.0.2.2",
 *   "tool-name": "pscheduler/powstream", "measurement-agent": "192.0.2.1",
 *   "input-source": "a", "input-destination": "b",
 *   "event-types": [{ "event-type": "packet-count-sent" }],
 * });
 * const first = await describeMetadata(text);
 * assert.equal(await describeMetadata(text), first);
 * assert.match(first.checksum, /^[0-9a-f]+$/);
 * ```
 */
export async function describeMetadata(text: string): Promise<DescribedMetadata> {
  const hit = described.get(text);
  if (hit) {
    described.delete(text);
    described.set(text, hit);
    return hit;
  }
  const metadata = parseMetadataPost(parsePyJsonTree(text));
  const entry = { metadata, checksum: await metadataChecksum(metadata) };
  described.set(text, entry);
  if (described.size > DESCRIBED_MAX) described.delete(described.keys().next().value!);
  return entry;
}
