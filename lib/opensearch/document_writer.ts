/**
 * Writing Logstash documents into `pscheduler_*` data streams: bulk `create` (data streams
 * take nothing else) with deterministic ids, so a run posted again (pScheduler retries) is not
 * stored twice — unlike Logstash, which lets OpenSearch choose ids.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { canonicalJson, sha256Hex } from "../pscheduler/canonical_json.ts";

/** One document to write. */
export interface IndexedDocument {
  /** Target data stream, `pscheduler_<type>`. */
  readonly index: string;
  /** The document (`_source`). */
  readonly document: Readonly<Record<string, unknown>>;
  /** Its `_id` (default {@linkcode documentId}). */
  readonly id?: string;
}

/** What a bulk write did. */
export interface WriteReport {
  /** Documents stored now. */
  readonly created: number;
  /** Documents that were already stored (same id). */
  readonly existing: number;
  /** Per document, in order: stored now (true) or already there (false). */
  readonly results: readonly boolean[];
}

/** A document OpenSearch refused (mapping error…). */
export class DocumentRejected extends Error {
  /** The OpenSearch error object. */
  readonly reason: unknown;
  /** @example `new DocumentRejected("mapper_parsing_exception", {})` */
  constructor(message: string, reason: unknown) {
    super(message);
    this.name = "DocumentRejected";
    this.reason = reason;
  }
}

/**
 * The deterministic id of a document: SHA-256 of its index and run (`pscheduler.run_href`,
 * else the canonical JSON of the document without its receipt time `@timestamp`).
 *
 * @example
 * ```ts
 * import { documentId } from "./document_writer.ts";
 * import { strictEqual } from "node:assert/strict";
 * const a = documentId({ index: "pscheduler_rtt", document: { "@timestamp": "1", pscheduler: { run_href: "h" } } });
 * const b = documentId({ index: "pscheduler_rtt", document: { "@timestamp": "2", pscheduler: { run_href: "h" } } });
 * strictEqual(a, b);
 * ```
 */
export function documentId(doc: IndexedDocument): string {
  const ps = doc.document.pscheduler as Record<string, unknown> | undefined;
  const href = ps?.run_href;
  if (typeof href === "string" && href !== "") return sha256Hex(`${doc.index}|run|${href}`);
  const { "@timestamp": _, ...rest } = doc.document;
  return sha256Hex(`${doc.index}|doc|${canonicalJson(rest)}`);
}

/** One `create` of a bulk request, its document already JSON text. */
export interface EncodedCreate {
  /** Target data stream or index. */
  readonly index: string;
  /** Its `_id`. */
  readonly id: string;
  /** The document (`_source`) as JSON text (one line: no raw newline, as JSON text has none). */
  readonly source: string;
}

/** The outcome of one `create` of a bulk request. */
export interface CreateOutcome {
  /** The item's HTTP status: 201 stored now, 409 already stored (same id), else refused. */
  readonly status: number;
  /** OpenSearch's error object of a refused item. */
  readonly error?: { type?: string; reason?: string };
}

/**
 * Sends one bulk request of `create` actions whose documents are JSON text already (no parse
 * and re-encode per document) and returns each item's outcome, in order; throws when the
 * request itself fails. Without `refresh` the answer still comes after the documents are
 * durable (the translog is synced per request by default), not yet searchable.
 *
 * @example
 * ```ts
 * import { bulkCreate } from "./document_writer.ts";
 * // const [outcome] = await bulkCreate(client, [{ index: "pscheduler_rtt", id, source: text }]);
 * ```
 */
export async function bulkCreate(
  client: Client,
  items: readonly EncodedCreate[],
  options: { refresh?: boolean | "wait_for" } = {},
): Promise<CreateOutcome[]> {
  if (items.length === 0) return [];
  let text = "";
  for (const item of items) {
    text += `{"create":{"_index":${JSON.stringify(item.index)},"_id":${
      JSON.stringify(item.id)
    }}}\n${item.source}\n`;
  }
  const answer = await client.bulk({
    body: text as unknown as Record<string, unknown>[],
    refresh: options.refresh ?? false,
    // Only what is read: an eighth of the full answer's bytes.
    filter_path: "errors,items.*.status,items.*.error",
  } as never);
  const answered = (answer.body as unknown as { items?: Record<string, CreateOutcome>[] }).items ??
    [];
  if (answered.length !== items.length) {
    throw new Error(`bulk answer has ${answered.length} items for ${items.length} documents`);
  }
  return answered.map((item) => item.create ?? Object.values(item)[0]);
}

/**
 * Writes `docs` with one bulk request of `create` actions; `refresh: "wait_for"` makes the
 * answer come after the documents are searchable (and durable: the translog is synced per
 * request by default). Throws {@linkcode DocumentRejected} for the first refused document.
 *
 * @example
 * ```ts
 * import { writeDocuments } from "./document_writer.ts";
 * // await writeDocuments(client, [{ index: "pscheduler_rtt", document }]);
 * ```
 */
export async function writeDocuments(
  client: Client,
  docs: readonly IndexedDocument[],
  options: { refresh?: boolean | "wait_for" } = {},
): Promise<WriteReport> {
  if (docs.length === 0) return { created: 0, existing: 0, results: [] };
  const outcomes = await bulkCreate(
    client,
    docs.map((doc) => ({
      index: doc.index,
      id: doc.id ?? documentId(doc),
      source: JSON.stringify(doc.document),
    })),
    { refresh: options.refresh ?? "wait_for" },
  );
  let created = 0, existing = 0;
  const results: boolean[] = [];
  for (const r of outcomes) {
    if (r.status === 201) {
      created++;
      results.push(true);
    } else if (r.status === 409) {
      existing++;
      results.push(false);
    } else {
      throw new DocumentRejected(
        `OpenSearch refused a document: ${r.error?.type ?? r.status}: ${r.error?.reason ?? ""}`,
        r.error,
      );
    }
  }
  return { created, existing, results };
}
