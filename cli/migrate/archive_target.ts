/**
 * `esmond-ps-archive` as a migration target (`--to archive+http://host:port`): each run is
 * posted as a pScheduler http-archiver body to the archive's `/logstash` ingest, which runs the
 * Logstash pipeline model and stores the document; the archive answers 2xx only once stored
 * and a re-sent run stores nothing new. A few posts are in flight at once; 429 and 5xx are
 * retried with backoff, other 4xx answers are reported as refused.
 *
 * @module
 */
import type { MigratedDocument } from "../../lib/pscheduler/esmond_run_document.ts";
import { shownUrl } from "../../lib/opensearch/mod.ts";
import type { DocumentTarget, RefusedDocument, WriteOutcome } from "./target.ts";

/** Options of {@linkcode ArchiveTarget}. */
export interface ArchiveTargetOptions {
  /** The archive base URL (`http://host:port`). */
  readonly url: string;
  /** The ingest path (default `/logstash`). */
  readonly path?: string;
  /** `Authorization` header value, if the ingest wants one. */
  readonly authorization?: string;
  /** Request timeout (ms, default 30 000). */
  readonly timeoutMs?: number;
  /** Posts in flight (default 8). */
  readonly parallel?: number;
  /** Attempts per run (default 8). */
  readonly maxAttempts?: number;
}

/**
 * Posts runs to an archive's `/logstash`.
 *
 * @example
 * ```ts
 * import { ArchiveTarget } from "./archive_target.ts";
 * const target = new ArchiveTarget({ url: "http://127.0.0.1:8080" });
 * target.takes; // "body"
 * ```
 */
export class ArchiveTarget implements DocumentTarget {
  readonly #options: ArchiveTargetOptions;
  readonly #endpoint: string;
  /** The archive URL. */
  readonly description: string;
  /** This target runs the pipeline itself. */
  readonly takes = "body" as const;

  /** Creates the target; no request yet. */
  constructor(options: ArchiveTargetOptions) {
    this.#options = options;
    this.#endpoint = `${options.url.replace(/\/+$/, "")}${options.path ?? "/logstash"}`;
    this.description = shownUrl(this.#endpoint);
  }

  async #post(doc: MigratedDocument): Promise<RefusedDocument | undefined> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (doc.observer !== undefined) headers["x-ps-observer"] = doc.observer;
    if (this.#options.authorization) headers.authorization = this.#options.authorization;
    const body = JSON.stringify(doc.document);
    let delay = 200;
    const attempts = this.#options.maxAttempts ?? 8;
    for (let attempt = 1;; attempt++) {
      let status: number;
      let text = "";
      try {
        const response = await fetch(this.#endpoint, {
          method: "PUT",
          headers,
          body,
          signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        status = 0;
        text = (error as Error).message;
      }
      if (status >= 200 && status < 300) return undefined;
      const retry = status === 0 || status === 429 || status >= 500;
      if (!retry) {
        return {
          id: doc.id,
          index: doc.index,
          esmondKey: "",
          reason: `${status}: ${text.slice(0, 200)}`,
        };
      }
      if (attempt >= attempts) {
        throw new Error(
          `bulk write to ${this.description} failed: ${status}: ${text.slice(0, 200)}`,
        );
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 20_000);
    }
  }

  /** Posts the batch, a few runs at once. */
  async write(documents: readonly MigratedDocument[]): Promise<WriteOutcome> {
    const refused: RefusedDocument[] = [];
    let next = 0;
    const worker = async () => {
      while (next < documents.length) {
        const r = await this.#post(documents[next++]);
        if (r !== undefined) refused.push(r);
      }
    };
    await Promise.all(Array.from({ length: this.#options.parallel ?? 8 }, worker));
    return { created: documents.length - refused.length, existed: 0, refused };
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
