/**
 * The message-bus sink: turns close (and expired-open) documents into WLCG records, appends
 * them to its own spool at every `--time` tick (or when a batch is full), and publishes the
 * spool oldest-first to one STOMP destination or AMQP exchange, backing off while the broker is
 * unreachable. A record leaves the spool only after the broker confirmed it, so a broker outage
 * loses nothing and a restart resumes from the spool. A record is sent twice only when the
 * broker may have taken it without confirming (the connection ended while the confirmation was
 * on its way; counted as in doubt) or after a crash between confirmation and the spool's update;
 * the deterministic `unique_id` makes such a resend recognisable downstream.
 *
 * The spool is the search sink's (`../search/spool.ts`): same segment files, same bound.
 *
 * @module
 */
import { getLogger } from "../../../lib/log/mod.ts";
import type { SpoolRecord } from "../search/bulk_result.ts";
import { openSpool, type Spool } from "../search/spool.ts";
import { SpoolDelivery } from "../spool_delivery.ts";
import type { CollectorDocument, DocumentSink } from "../../correlate/sink_contracts.ts";
import {
  type BusMessage,
  connectPublisher,
  type Publisher,
  PublishFailure,
  readTlsMaterial,
  type TlsMaterial,
} from "./publisher.ts";
import { type BusTarget, describeError } from "../../../lib/bus/mod.ts";
import { wlcgRecord, type WlcgRecordOptions } from "./wlcg_record.ts";

/** Everything a bus sink is configured with. */
export interface BusSinkOptions {
  readonly target: BusTarget;
  /** Record labels (MONIT producer/type, host, site). */
  readonly record: WlcgRecordOptions;
  /** How often buffered records are spooled and sent, ms. */
  readonly flushIntervalMs: number;
  /** Messages per publish (one STOMP transaction / one AMQP confirm wait). */
  readonly batchSize: number;
  /** Durable spool directory; in-memory queue when omitted. */
  readonly spoolDir?: string;
  /** Bound of the spool in bytes. */
  readonly spoolMaxBytes: number;
  /** How long `close()` keeps trying to publish before leaving the rest in the spool, ms. */
  readonly closeTimeoutMs?: number;
  /**
   * Longest wait for the broker to confirm one batch, ms (default 30 000): a broker that
   * blocks publishers (RabbitMQ's memory or disk alarm) counts as a failure and is retried.
   */
  readonly publishTimeoutMs?: number;
  /** Connects a publisher (default: {@linkcode connectPublisher}); tests inject faults here. */
  readonly connect?: (target: BusTarget, tls: TlsMaterial) => Promise<Publisher>;
}

/** The bus sink's counters. */
export interface BusSinkMetrics {
  recordsAccepted: number;
  recordsPublished: number;
  /**
   * Records sent again after the broker may have taken them without confirming (they may
   * arrive twice, with the same `unique_id`).
   */
  recordsInDoubt: number;
  documentsSkipped: number;
  publishBatches: number;
  retries: number;
  spoolDocs: number;
  spoolBytes: number;
  spoolDropped: number;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;

/**
 * The bus sink; build it with {@linkcode BusSink.open}.
 *
 * @example
 * ```ts ignore
 * import { BusSink } from "./bus_sink.ts";
 * import { parseBusTarget } from "../../../lib/bus/mod.ts";
 * const sink = await BusSink.open({
 *   target: parseBusTarget("stomp://127.0.0.1:61613/topic/xrootd.wlcg"),
 *   record: { producer: "cms", type: "aaa-ng", host: "collector" },
 *   flushIntervalMs: 10_000,
 *   batchSize: 500,
 *   spoolMaxBytes: 1 << 30,
 * });
 * await sink.close();
 * ```
 */
export class BusSink implements DocumentSink {
  /** Counters for log lines and the metrics endpoint. */
  readonly metrics: BusSinkMetrics = {
    recordsAccepted: 0,
    recordsPublished: 0,
    recordsInDoubt: 0,
    documentsSkipped: 0,
    publishBatches: 0,
    retries: 0,
    spoolDocs: 0,
    spoolBytes: 0,
    spoolDropped: 0,
  };

  readonly #options: BusSinkOptions;
  readonly #spool: Spool;
  readonly #tls: TlsMaterial;
  readonly #log = getLogger("xrootd-fstream-collector", "bus");
  readonly #delivery: SpoolDelivery;
  #publisher: Publisher | undefined;

  private constructor(options: BusSinkOptions, spool: Spool, tls: TlsMaterial) {
    this.#options = options;
    this.#spool = spool;
    this.#delivery = new SpoolDelivery({
      spool,
      metrics: this.metrics,
      batchSize: options.batchSize,
      minBackoffMs: MIN_BACKOFF_MS,
      maxBackoffMs: MAX_BACKOFF_MS,
      drainPollMs: 250,
      deliverAll: () => this.#deliverAll(),
      log: this.#log,
      logPrefix: "bus ",
    });
    this.#tls = tls;
  }

  /** Why the last publish failed (cleared by a successful one). */
  get lastFailure(): string | undefined {
    return this.#delivery.lastFailure;
  }

  /** Opens the spool (recovering what a previous run left) and starts the flush timer. */
  static async open(options: BusSinkOptions): Promise<BusSink> {
    const tls = await readTlsMaterial(options.target);
    const holder: { sink?: BusSink } = {};
    const log = getLogger("xrootd-fstream-collector", "bus");
    const spool = await openSpool({
      dir: options.spoolDir,
      maxBytes: options.spoolMaxBytes,
      onDrop: ({ docs }) => {
        if (holder.sink) holder.sink.metrics.spoolDropped += docs;
        log.error("bus spool full: dropped the oldest {docs} records", { docs });
      },
      onCorrupt: ({ file, lines }) =>
        log.error("bus spool segment {file}: {lines} unreadable lines skipped", { file, lines }),
    });
    const sink = new BusSink(options, spool, tls);
    holder.sink = sink;
    sink.#delivery.updateGauges();
    const { docs } = spool.stats();
    if (docs > 0) {
      sink.#log.info("bus spool {dir} holds {docs} records from an earlier run", {
        dir: options.spoolDir,
        docs,
      });
    }
    sink.#delivery.start(options.flushIntervalMs);
    return sink;
  }

  /** The target's label (URL without password). */
  get label(): string {
    return this.#options.target.label;
  }

  /** Accepts one document; documents that are not closes/expired opens are skipped. */
  write(doc: CollectorDocument): void {
    if (this.#delivery.closed) throw new Error("bus sink is closed");
    const record = wlcgRecord(doc.body, this.#options.record);
    if (record === undefined) {
      this.metrics.documentsSkipped++;
      return;
    }
    this.metrics.recordsAccepted++;
    this.#delivery.push({ index: "", id: record.unique_id as string, body: record });
  }

  /** Spools everything accepted so far (durably, with a spool dir); publishing goes on. */
  async flush(): Promise<void> {
    await this.#delivery.append();
    void this.#delivery.kick(false);
  }

  /** Keeps publishing until the spool is empty or `timeoutMs` passed; true when empty. */
  async drain(timeoutMs: number): Promise<boolean> {
    return await this.#delivery.drain(timeoutMs);
  }

  /** Flushes, publishes for up to `closeTimeoutMs`, then disconnects. */
  async close(): Promise<void> {
    if (this.#delivery.closed) return;
    const emptied = await this.#delivery.stop(this.#options.closeTimeoutMs ?? 10_000);
    if (!emptied) {
      const { docs } = this.#spool.stats();
      if (this.#options.spoolDir) {
        this.#log.warn("{docs} records left in bus spool {dir} for the next run", {
          docs,
          dir: this.#options.spoolDir,
        });
      } else {
        this.#log.error("{docs} records not published and lost: no spool directory", { docs });
      }
    }
    this.#log.info("bus sink {target} stats", { target: this.label, ...this.metrics });
    await this.#publisher?.close().catch(() => {});
    this.#publisher = undefined;
  }

  /** Spool statistics. */
  spoolStats(): { segments: number; docs: number; bytes: number } {
    return this.#spool.stats();
  }

  #message(record: SpoolRecord): BusMessage {
    const meta = record.body.metadata as { producer?: string; type?: string } | undefined;
    return {
      body: JSON.stringify(record.body),
      id: record.id,
      headers: { producer: meta?.producer ?? "", type: meta?.type ?? "" },
    };
  }

  async #deliverAll(): Promise<void> {
    while (true) {
      const head = await this.#spool.head();
      if (head === undefined) return;
      try {
        if (this.#publisher?.broken) {
          await this.#publisher.close().catch(() => {});
          this.#publisher = undefined;
        }
        if (this.#publisher === undefined) {
          this.#publisher = await (this.#options.connect ?? connectPublisher)(
            this.#options.target,
            this.#tls,
          );
          if (this.#delivery.backoff.active) {
            this.#log.info("broker {target} reachable again, publishing the spool ({docs})", {
              target: this.label,
              docs: this.#spool.stats().docs,
            });
          }
        }
      } catch (error) {
        this.#failed(describeError(error));
        return;
      }
      const records = head.records;
      let sent = 0;
      let failure: string | undefined;
      let left: SpoolRecord[] = [];
      while (sent < records.length) {
        const chunk = records.slice(sent, sent + this.#options.batchSize);
        try {
          await withTimeout(
            this.#publisher.publish(chunk.map((r) => this.#message(r))),
            this.#options.publishTimeoutMs ?? 30_000,
          );
        } catch (error) {
          failure = describeError(error);
          // A timeout says nothing about any message of the chunk: all of it may be there.
          const confirmed = error instanceof PublishFailure ? error.confirmed : [];
          const inDoubt = error instanceof PublishFailure ? error.inDoubt : chunk.length;
          const unconfirmed = chunk.filter((_, i) => !confirmed[i]);
          this.metrics.recordsPublished += chunk.length - unconfirmed.length;
          this.#inDoubt(inDoubt);
          left = [...unconfirmed, ...records.slice(sent + chunk.length)];
          break;
        }
        sent += chunk.length;
        this.metrics.publishBatches++;
        this.metrics.recordsPublished += chunk.length;
      }
      await this.#spool.replace(head.seq, left);
      this.#delivery.updateGauges();
      if (failure !== undefined) {
        await this.#publisher?.close().catch(() => {});
        this.#publisher = undefined;
        this.#failed(failure);
        return;
      }
      this.#delivery.succeeded();
    }
  }

  #inDoubt(records: number): void {
    if (records === 0) return;
    this.metrics.recordsInDoubt += records;
    this.#log.warn(
      "{records} records in doubt at {target}: sent, then the connection ended before the broker confirmed them; sent again, they may arrive twice (same unique_id)",
      { records, target: this.label },
    );
  }

  #failed(reason: string): void {
    const ms = this.#delivery.retryLater(reason);
    this.#log.warn("publish to {target} failed, retry in {ms} ms ({docs} spooled): {reason}", {
      target: this.label,
      ms,
      docs: this.#spool.stats().docs,
      reason,
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no confirmation within ${ms} ms`)), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The bus sinks' counters as Prometheus text, one series per sink.
 *
 * @example
 * ```ts
 * import { renderBusMetrics } from "./bus_sink.ts";
 * renderBusMetrics([]); // ""
 * ```
 */
export function renderBusMetrics(
  sinks: readonly { label: string; metrics: BusSinkMetrics }[],
): string {
  if (sinks.length === 0) return "";
  const names: [keyof BusSinkMetrics, string, string][] = [
    ["recordsAccepted", "xrd_bus_records_accepted_total", "counter"],
    ["recordsPublished", "xrd_bus_records_published_total", "counter"],
    ["recordsInDoubt", "xrd_bus_records_in_doubt_total", "counter"],
    ["documentsSkipped", "xrd_bus_documents_skipped_total", "counter"],
    ["publishBatches", "xrd_bus_publish_batches_total", "counter"],
    ["retries", "xrd_bus_retries_total", "counter"],
    ["spoolDocs", "xrd_bus_spool_records", "gauge"],
    ["spoolBytes", "xrd_bus_spool_bytes", "gauge"],
    ["spoolDropped", "xrd_bus_spool_dropped_total", "counter"],
  ];
  let out = "";
  for (const [key, name, type] of names) {
    out += `# TYPE ${name} ${type}\n`;
    for (const s of sinks) {
      out += `${name}{sink=${JSON.stringify(s.label)}} ${s.metrics[key]}\n`;
    }
  }
  return out;
}
