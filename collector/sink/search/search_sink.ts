/**
 * The Elasticsearch/OpenSearch document sink: buffers documents, appends them to the spool at
 * every `--time` tick (or when a batch is full), and delivers the spool oldest-first with
 * `_bulk`, backing off while the cluster is unreachable or busy.
 *
 * @module
 */
import { getLogger } from "../../../lib/log/mod.ts";
import type {
  CollectorDocument,
  DocumentSink,
  OlderEventsLookup,
} from "../../correlate/sink_contracts.ts";
import {
  type BackendKind,
  type ConnectionOptions,
  createBackend,
  detectServer,
  type SearchBackend,
} from "./backend.ts";
import { classifyRequestError, type SpoolRecord } from "./bulk_result.ts";
import { deliverRecords } from "./deliver.ts";
import { indexForBody, indexWildcard } from "./index_name.ts";
import { createSearchLookup } from "./lookup.ts";
import { newSearchSinkMetrics, type SearchSinkMetrics } from "./metrics.ts";
import { openSpool, type Spool } from "./spool.ts";
import { SpoolDelivery } from "../spool_delivery.ts";
import { indexTemplate } from "./template.ts";

/** Everything the search sink is configured with. */
export interface SearchSinkOptions {
  /** How to reach the cluster. */
  readonly connection: ConnectionOptions;
  /** Client family; asked from the server (`GET /`) when omitted. */
  readonly backend?: BackendKind;
  /** Index name pattern (`%Y %m %d %H` from each document's `@timestamp`). */
  readonly indexPattern: string;
  /** Install the index template before the first bulk (`--no-template` turns it off). */
  readonly template: boolean;
  /** Replicas in the template (default 1). */
  readonly replicas?: number;
  /** Seconds-based `--time`, in ms: how often buffered documents are spooled and sent. */
  readonly flushIntervalMs: number;
  /** Documents per `_bulk` request; a full buffer is flushed at once. */
  readonly batchSize: number;
  /** A `_bulk` request is cut at about this many bytes of documents (default 2 MiB). */
  readonly bulkMaxBytes?: number;
  /** Durable spool directory; in-memory queue when omitted. */
  readonly spoolDir?: string;
  /** Bound of the spool in bytes. */
  readonly spoolMaxBytes: number;
  /** Dead-letter file; default `<spoolDir>/dead_letters.ndjson` or `./xrd-dead-letters.ndjson`. */
  readonly deadLetterPath?: string;
  /** Timeout of one older-events lookup, ms. */
  readonly lookupTimeoutMs: number;
  /** How long `close()` keeps trying to deliver before leaving the rest in the spool, ms. */
  readonly closeTimeoutMs?: number;
}

const MIN_BACKOFF_MS = 500;
/** `@timestamp` → index answers kept (seconds-resolution stamps of recent documents). */
const INDEX_CACHE_STAMPS = 4096;
const MAX_BACKOFF_MS = 30_000;
const STATS_LOG_INTERVAL_MS = 30_000;

/** A spool record carrying the document's text; `body` is parsed from it only when read. */
function textRecord(index: string, id: string, json: string): SpoolRecord {
  return {
    index,
    id,
    json,
    get body() {
      return JSON.parse(json) as Record<string, unknown>;
    },
  };
}

function templateName(pattern: string): string {
  const base = indexWildcard(pattern).split("*")[0].replace(/[-_.]+$/, "");
  return base === "" ? "xrd-fstream" : base;
}

/**
 * The search sink; build it with {@linkcode SearchSink.open}.
 *
 * @example
 * ```ts
 * import { SearchSink } from "./search_sink.ts";
 * const sink = await SearchSink.open({
 *   connection: { servers: ["http://127.0.0.1:9200"] },
 *   indexPattern: "xrd-fstream-%Y.%m.%d",
 *   template: true,
 *   flushIntervalMs: 10_000,
 *   batchSize: 5000,
 *   spoolMaxBytes: 1 << 30,
 *   lookupTimeoutMs: 1000,
 * });
 * sink.write({ docId: "user:x.1", body: { "@timestamp": "2026-11-24T00:00:00Z" } });
 * await sink.close();
 * ```
 */
export class SearchSink implements DocumentSink {
  /** Counters for log lines and the metrics endpoint. */
  readonly metrics: SearchSinkMetrics = newSearchSinkMetrics();
  /** The lookup over the same cluster. */
  readonly lookup: OlderEventsLookup;
  readonly #options: SearchSinkOptions;
  readonly #spool: Spool;
  readonly #log = getLogger("xrootd-fstream-collector", "search");
  readonly #deadLetterPath: string;
  readonly #delivery: SpoolDelivery;
  #backend: SearchBackend | undefined;
  #ready: SearchBackend | undefined;
  #preparing: Promise<SearchBackend> | undefined;
  #lastStatsLog = 0;
  readonly #indexByStamp = new Map<unknown, string>();

  private constructor(options: SearchSinkOptions, spool: Spool) {
    this.#options = options;
    this.#spool = spool;
    this.#delivery = new SpoolDelivery({
      spool,
      metrics: this.metrics,
      batchSize: options.batchSize,
      minBackoffMs: MIN_BACKOFF_MS,
      maxBackoffMs: MAX_BACKOFF_MS,
      drainPollMs: 500,
      deliverAll: () => this.#deliverAll(),
      log: this.#log,
      logPrefix: "",
      onTick: () => this.#logStats(false),
    });
    this.#deadLetterPath = options.deadLetterPath ??
      (options.spoolDir ? `${options.spoolDir}/dead_letters.ndjson` : "xrd-dead-letters.ndjson");
    this.lookup = createSearchLookup({
      backend: () => this.#readyWithin(options.lookupTimeoutMs),
      index: indexWildcard(options.indexPattern),
      timeoutMs: options.lookupTimeoutMs,
      onResult: (outcome, error) => {
        if (outcome === "hit") this.metrics.lookupHits++;
        else if (outcome === "miss") this.metrics.lookupMisses++;
        else {
          this.metrics.lookupErrors++;
          this.#log.debug("lookup failed: {error}", { error: String(error) });
        }
      },
    });
  }

  /** Why the last delivery attempt failed (cleared by a successful one). */
  get lastFailure(): string | undefined {
    return this.#delivery.lastFailure;
  }

  /** Opens the spool (recovering what a previous run left), starts the flush timer. */
  static async open(options: SearchSinkOptions): Promise<SearchSink> {
    const log = getLogger("xrootd-fstream-collector", "search");
    const holder: { sink?: SearchSink } = {};
    const spool = await openSpool({
      dir: options.spoolDir,
      maxBytes: options.spoolMaxBytes,
      onDrop: ({ docs, bytes }) => holder.sink?.dropped(docs, bytes),
      onCorrupt: ({ file, lines }) =>
        log.error("spool segment {file}: {lines} unreadable lines skipped", { file, lines }),
    });
    const sink = new SearchSink(options, spool);
    holder.sink = sink;
    sink.#delivery.updateGauges();
    const { docs, bytes } = spool.stats();
    if (docs > 0) {
      sink.#log.info("spool holds {docs} documents ({bytes} bytes) from an earlier run", {
        docs,
        bytes,
      });
    }
    sink.#delivery.start(options.flushIntervalMs);
    return sink;
  }

  /** Accepts one document (never throws for a cluster problem). */
  write(doc: CollectorDocument): void {
    if (this.#delivery.closed) throw new Error("search sink is closed");
    this.metrics.docsAccepted++;
    const json = doc.json;
    // A document that comes with its text is spooled and sent as that text; its body is only
    // built again (parsed) if it ends up in the dead letters.
    this.#delivery.push(
      json === undefined
        ? { index: this.#indexOf(doc.body["@timestamp"]), id: doc.docId, body: doc.body }
        : textRecord(this.#indexOf(doc.timestamp ?? doc.body["@timestamp"]), doc.docId, json),
    );
  }

  /** The index for a `@timestamp`; documents of the last seconds share a few stamps. */
  #indexOf(stamp: unknown): string {
    const known = this.#indexByStamp.get(stamp);
    if (known !== undefined) return known;
    const index = indexForBody(this.#options.indexPattern, { "@timestamp": stamp }, new Date());
    // A missing or unreadable stamp falls back to the clock: that answer is not kept.
    if (
      (typeof stamp === "string" || typeof stamp === "number") &&
      !Number.isNaN(new Date(stamp).getTime())
    ) {
      if (this.#indexByStamp.size >= INDEX_CACHE_STAMPS) this.#indexByStamp.clear();
      this.#indexByStamp.set(stamp, index);
    }
    return index;
  }

  /** Spools everything accepted so far (durably, with a spool dir) and tries to deliver it. */
  async flush(): Promise<void> {
    await this.#delivery.append();
    // Respects the back-off: the collector calls this every --time seconds.
    await this.#delivery.kick(false);
  }

  /**
   * Keeps delivering until the spool is empty or `timeoutMs` passed; resolves true when empty.
   * For shutdown and tests.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    return await this.#delivery.drain(timeoutMs);
  }

  /** Flushes, tries to deliver for up to `closeTimeoutMs`, then releases the client. */
  async close(): Promise<void> {
    if (this.#delivery.closed) return;
    const emptied = await this.#delivery.stop(this.#options.closeTimeoutMs ?? 10_000);
    const { docs, bytes } = this.#spool.stats();
    if (!emptied) {
      if (this.#options.spoolDir) {
        this.#log.warn("{docs} documents ({bytes} bytes) left in spool {dir} for the next run", {
          docs,
          bytes,
          dir: this.#options.spoolDir,
        });
      } else {
        this.#log.error("{docs} documents not delivered and lost: no --spool-dir", { docs });
      }
    }
    this.#logStats(true);
    await this.#backend?.close();
  }

  /** Spool statistics (documents, bytes, segments). */
  spoolStats(): { segments: number; docs: number; bytes: number } {
    return this.#spool.stats();
  }

  // A lookup right after start-up waits (briefly) for the first connection instead of missing.
  #readyWithin(ms: number): Promise<SearchBackend> {
    if (this.#ready) return Promise.resolve(this.#ready);
    // While backing off after a failed connection, lookups answer at once instead of each
    // opening a connection of its own.
    if (this.#delivery.backoff.waiting) return Promise.reject(new Error("cluster unavailable"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("cluster not ready")), ms);
      this.#prepare().then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  #prepare(): Promise<SearchBackend> {
    if (this.#ready) return Promise.resolve(this.#ready);
    this.#preparing ??= this.#connect().finally(() => {
      this.#preparing = undefined;
    });
    return this.#preparing;
  }

  async #connect(): Promise<SearchBackend> {
    const connection = this.#options.connection;
    if (!this.#backend) {
      let kind = this.#options.backend;
      if (kind === undefined) {
        const info = await detectServer(connection);
        kind = info.kind;
        this.#log.info("cluster is {kind} {version}", { kind, version: info.version });
      }
      this.#backend = createBackend(kind, connection);
    }
    if (this.#options.template) {
      const pattern = indexWildcard(this.#options.indexPattern);
      const name = templateName(this.#options.indexPattern);
      const body = indexTemplate({ indexPatterns: [pattern], replicas: this.#options.replicas });
      try {
        await this.#backend.putIndexTemplate(name, body);
        this.#log.info("index template {name} installed for {pattern}", { name, pattern });
      } catch (error) {
        const failure = classifyRequestError(error);
        if (failure.retryable) throw error;
        // The cluster refuses the template for good (e.g. too old for composable templates):
        // index anyway with its dynamic mappings rather than hold the data back.
        this.#log.error("index template {name} refused, indexing without it: {reason}", {
          name,
          reason: failure.reason,
        });
      }
    }
    this.#ready = this.#backend;
    return this.#ready;
  }

  async #deliverAll(): Promise<void> {
    while (true) {
      // Prepared even with nothing to send: the lookup needs the backend too.
      let backend: SearchBackend;
      try {
        backend = await this.#prepare();
      } catch (error) {
        this.#failed(classifyRequestError(error).reason);
        return;
      }
      const head = await this.#spool.head();
      if (head === undefined) {
        this.#delivery.backoff.reset();
        return;
      }
      const { remaining, failure } = await deliverRecords({
        backend,
        records: head.records,
        batchSize: this.#options.batchSize,
        maxBytes: this.#options.bulkMaxBytes,
        deadLetterPath: this.#deadLetterPath,
        metrics: this.metrics,
        log: this.#log,
      });
      await this.#spool.replace(head.seq, remaining);
      this.#delivery.updateGauges();
      if (failure !== undefined) {
        this.#failed(failure);
        return;
      }
      if (this.#delivery.backoff.active) {
        this.#log.info("cluster reachable again, delivering the spool ({docs} documents)", {
          docs: this.#spool.stats().docs,
        });
      }
      this.#delivery.succeeded();
    }
  }

  #failed(reason: string): void {
    const ms = this.#delivery.retryLater(reason);
    const { docs, bytes } = this.#spool.stats();
    this.#log.warn(
      "delivery failed, retry in {ms} ms ({docs} documents, {bytes} bytes spooled): {reason}",
      {
        ms,
        docs,
        bytes,
        reason,
      },
    );
  }

  /** Called by the spool when its size limit dropped the oldest documents. */
  dropped(docs: number, bytes: number): void {
    this.metrics.spoolDropped += docs;
    this.#log.error(
      "spool full (--spool-max-bytes {max}): dropped the oldest {docs} documents ({bytes} bytes)",
      {
        max: this.#options.spoolMaxBytes,
        docs,
        bytes,
      },
    );
  }

  #logStats(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#lastStatsLog < STATS_LOG_INTERVAL_MS) return;
    this.#lastStatsLog = now;
    this.#log.info("search sink stats", { ...this.metrics });
  }
}
