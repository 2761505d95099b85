/**
 * OpenSearch as a migration target: `_bulk` with `create` and the document's deterministic id
 * (a repeated document answers 409 and counts as already there), only failed items retried,
 * exponential backoff on 429 and 5xx (whole request or items), permanent item errors (mapping
 * errors) reported, not retried.
 *
 * A `create` only refuses an id already in the same backing index: after a data stream rolls
 * over, a run re-sent by a resumed migration would be stored a second time. So a series that
 * already has documents when it starts (a run cut short before it was marked done) has its
 * documents looked up by id in every backing index first, and those found count as already
 * there; a series that starts with none (every series of a first run) costs one count.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { Client } from "@opensearch-project/opensearch";
import { ESMOND_KEY_FIELD, openSearchClient, shownUrl } from "../../lib/opensearch/mod.ts";
import { recordOfRendered, storeEsmondMetadata } from "../../lib/opensearch/esmond_metadata.ts";
import type { MigratedDocument } from "../../lib/pscheduler/esmond_run_document.ts";
import type { DocumentTarget, EncodedDocument, RefusedDocument, WriteOutcome } from "./target.ts";

/** Options of {@linkcode OpenSearchTarget}. */
export interface OpenSearchTargetOptions {
  /** `http(s)://[user:password@]host:port[/prefix]`. */
  readonly url: string;
  /** Do not verify TLS certificates. */
  readonly insecure?: boolean;
  /** Request timeout (ms, default 60 000). */
  readonly timeoutMs?: number;
  /** Attempts per batch before giving up (default 10). */
  readonly maxAttempts?: number;
  /** First backoff delay in ms (default 200; doubles, capped at 20 s). */
  readonly backoffMs?: number;
  /** Sleep function (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface BulkItem {
  readonly status: number;
  readonly error?: { type?: string; reason?: string; caused_by?: { reason?: string } };
}

/**
 * What is read of a bulk answer: each item's status and error (an eighth of the full answer's
 * bytes, which the client would otherwise parse for every batch).
 */
const BULK_ANSWER_FIELDS = "errors,items.*.status,items.*.error";

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

function statusOf(error: unknown): number {
  const meta = (error as { meta?: { statusCode?: number } })?.meta;
  // No HTTP answer (connection refused, timeout): worth retrying.
  return meta?.statusCode ?? 503;
}

/**
 * A document's bulk lines: the `create` action with its id, then its source.
 *
 * @example
 * ```ts
 * import { encodeDocument } from "./opensearch_target.ts";
 * const e = encodeDocument({ index: "pscheduler_rtt", id: "x", document: { a: 1 }, unmapped: [] });
 * if (e.text !== '{"create":{"_index":"pscheduler_rtt","_id":"x"}}\n{"a":1}\n') throw new Error(e.text);
 * ```
 */
export function encodeDocument(doc: MigratedDocument): EncodedDocument {
  return {
    id: doc.id,
    index: doc.index,
    esmondKey: String((doc.document.pscheduler as Record<string, unknown>)?.esmond_key),
    text: `${JSON.stringify({ create: { _index: doc.index, _id: doc.id } })}\n${
      JSON.stringify(doc.document)
    }\n`,
  };
}

// The request body as bytes written straight from the documents' texts: no joined string of
// the whole batch (megabytes in V8's large-object space, freed by full collections only).
function bulkBytes(documents: readonly EncodedDocument[]): Buffer {
  let size = 0;
  for (const doc of documents) size += Buffer.byteLength(doc.text);
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const doc of documents) at += bytes.write(doc.text, at);
  return bytes;
}

/**
 * Writes documents to an OpenSearch cluster.
 *
 * @example
 * ```ts
 * import { OpenSearchTarget } from "./opensearch_target.ts";
 * const target = new OpenSearchTarget({ url: "http://127.0.0.1:9200" });
 * // await target.write(documents);
 * await target.close();
 * ```
 */
export class OpenSearchTarget implements DocumentTarget {
  readonly #client: Client;
  readonly #options: OpenSearchTargetOptions;
  readonly #sleep: (ms: number) => Promise<void>;
  /** The URL without credentials. */
  readonly description: string;
  /** esmond keys of series that had documents before this run wrote any. */
  readonly #partial = new Set<string>();
  /** Whether the documents of an earlier run were made searchable. */
  #refreshed = false;

  /** Creates the client; no request yet. */
  constructor(options: OpenSearchTargetOptions) {
    this.#options = options;
    this.description = shownUrl(options.url);
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#client = openSearchClient({
      url: options.url,
      insecure: options.insecure,
      timeoutMs: options.timeoutMs ?? 120_000,
    });
  }

  /** The client (for template installation and tests). */
  get client(): Client {
    return this.#client;
  }

  /**
   * Stores the series' esmond metadata (`esmond_metadata`, `_id` = its esmond key, `create`):
   * the reader lists the series with the source's subject, parameters and summaries. Not
   * refreshed: readers get it by id, which is real-time.
   */
  async describe(md: Readonly<Record<string, unknown>>): Promise<void> {
    const key = String(md["metadata-key"] ?? "");
    const record = key === "" ? undefined : recordOfRendered(md, key);
    if (record) await storeEsmondMetadata(this.#client, record, { migrated: true });
    if (key !== "" && await this.#hasDocuments(key)) this.#partial.add(key);
  }

  async #hasDocuments(key: string): Promise<boolean> {
    if (!this.#refreshed) {
      // Once per run: what a killed run wrote last may not be searchable yet.
      this.#refreshed = true;
      await this.#client.indices.refresh({
        index: "pscheduler_*",
        ignore_unavailable: true,
        allow_no_indices: true,
      } as never).catch(() => {});
    }
    const { body } = await this.#client.search({
      index: "pscheduler_*",
      ignore_unavailable: true,
      allow_no_indices: true,
      body: {
        size: 0,
        terminate_after: 1,
        track_total_hits: true,
        query: { term: { [`${ESMOND_KEY_FIELD}.keyword`]: key } },
      },
    } as never);
    const total = (body as { hits?: { total?: { value?: number } | number } }).hits?.total;
    return (typeof total === "number" ? total : total?.value ?? 0) > 0;
  }

  /** The documents of partial series already stored in any backing index (by `_id`). */
  async #stored(documents: readonly EncodedDocument[]): Promise<Set<string>> {
    const ids = documents.filter((d) => this.#partial.has(d.esmondKey)).map((d) => d.id);
    if (ids.length === 0) return new Set();
    const { body } = await this.#client.search({
      index: "pscheduler_*",
      ignore_unavailable: true,
      allow_no_indices: true,
      body: { size: ids.length, _source: false, query: { ids: { values: ids } } },
    } as never);
    const hits = (body as { hits?: { hits?: { _id: string }[] } }).hits?.hits ?? [];
    return new Set(hits.map((h) => h._id));
  }

  /** Writes one batch; see the module doc for the retry rules. */
  write(documents: readonly MigratedDocument[]): Promise<WriteOutcome> {
    return this.writeEncoded(documents.map(encodeDocument));
  }

  /** The batcher's path: documents are held as their bulk lines ({@linkcode encodeDocument}). */
  readonly encoded = {
    encode: encodeDocument,
    writeEncoded: (documents: readonly EncodedDocument[]) => this.writeEncoded(documents),
  };

  /** Writes one batch of encoded documents; see the module doc for the retry rules. */
  async writeEncoded(documents: readonly EncodedDocument[]): Promise<WriteOutcome> {
    const stored = await this.#stored(documents);
    let pending = stored.size === 0 ? documents : documents.filter((d) => !stored.has(d.id));
    let created = 0;
    let existed = documents.length - pending.length;
    const refused: RefusedDocument[] = [];
    const maxAttempts = this.#options.maxAttempts ?? 10;
    let delay = this.#options.backoffMs ?? 200;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let items: BulkItem[] | undefined;
      let lastError = "";
      try {
        const { body } = await this.#client.bulk({
          body: bulkBytes(pending) as unknown as Record<string, unknown>[],
          filter_path: BULK_ANSWER_FIELDS,
        });
        items = ((body as { items?: Record<string, BulkItem>[] }).items ?? []).map((item) =>
          item.create ?? Object.values(item)[0]
        );
        if (items.length !== pending.length) {
          throw new Error(`bulk answer has ${items.length} items for ${pending.length} documents`);
        }
      } catch (error) {
        const status = statusOf(error);
        lastError = `${status}: ${(error as Error).message}`;
        if (!retryable(status) || attempt >= maxAttempts) {
          throw new Error(`bulk write to ${this.description} failed: ${lastError}`);
        }
        items = undefined;
      }
      if (items !== undefined) {
        const retry: EncodedDocument[] = [];
        items.forEach((item, i) => {
          const doc = pending[i];
          if (item.status === 200 || item.status === 201) created++;
          else if (item.status === 409) existed++;
          else if (retryable(item.status) && attempt < maxAttempts) retry.push(doc);
          else {
            const e = item.error ?? {};
            refused.push({
              id: doc.id,
              index: doc.index,
              esmondKey: doc.esmondKey,
              reason: `${item.status} ${e.type ?? ""}: ${e.reason ?? ""}${
                e.caused_by?.reason ? ` (${e.caused_by.reason})` : ""
              }`,
            });
          }
        });
        pending = retry;
        if (pending.length === 0) break;
      }
      await this.#sleep(delay);
      delay = Math.min(delay * 2, 20_000);
    }
    return { created, existed, refused };
  }

  /** Closes the client. */
  async close(): Promise<void> {
    await this.#client.close();
  }
}
