/**
 * One datagram's way through the collector: sender check, decode, resequencing per server and
 * counter, metrics, correlate. Shared by the UDP listener and `--replay`, so both behave the
 * same. Datagrams that decode to nothing (rejected, or a kind this collector does not use from
 * a server it does not know) leave no per-server state behind; the number of servers tracked
 * is bounded, the idlest going first.
 *
 * @module
 */
import { type DecodedPacket, decodePacket } from "../decode/packet.ts";
import { sequenceClass } from "../decode/header.ts";
import type { Correlator } from "./correlate.ts";
import { type Sender, serverKey } from "./identity.ts";
import { CollectorMetrics, type MetricsSnapshot } from "./counters.ts";
import { datagramHash, Resequencer, type SequenceCounts } from "./resequence.ts";
import { ServerTable } from "./server_table.ts";

/** Options for {@linkcode Pipeline}. */
export interface PipelineOptions {
  readonly correlator: Correlator;
  /** Called for a rejected datagram at most once per sender per minute. */
  readonly onReject?: (sender: Sender, reason: string, suppressed: number) => void;
  /** Called when packets were given up as missing (skipped in the reorder window). */
  readonly onGap?: (server: string, lost: number) => void;
  /** Forget the state of servers silent this long (seconds; default one day). */
  readonly forgetServersAfter?: number;
  /** Datagrams held per counter (`--reorder-window`, default 256). */
  readonly reorderWindow?: number;
  /** Seconds a held datagram may wait (`--reorder-timeout`, default 1; 0: no resequencing). */
  readonly reorderTimeout?: number;
  /** Most server processes tracked (`--max-servers`, default 4096); the idlest is evicted. */
  readonly maxServers?: number;
  /** Told the first time a server had to be evicted because the table was full. */
  readonly onServerEvicted?: (server: string, maxServers: number) => void;
  /** Whether datagrams from this sender address are accepted (`--allow`); all when absent. */
  readonly allow?: (address: string) => boolean;
}

const SWEEP_EVERY_SECONDS = 1;
const TICK_EVERY_SECONDS = 0.05;
const REJECT_LOG_SECONDS = 60;

interface Pending {
  readonly packet: DecodedPacket;
  readonly sender: Sender;
  readonly server: string;
}

/**
 * Feeds datagrams through decode → resequence → correlate, counting everything.
 *
 * @example
 * ```ts
 * import { Correlator } from "./correlate.ts";
 * import { Pipeline } from "./pipeline.ts";
 * import assert from "node:assert/strict";
 * const correlator = new Correlator({ emit: () => {}, evtType: "t", cacheSeconds: 60, maxEntries: 10 });
 * const pipeline = new Pipeline({ correlator });
 * pipeline.handle(new Uint8Array(3), { hostname: "127.0.0.1", port: 1 }, Date.now() / 1000);
 * assert.deepEqual(pipeline.metrics.decodeErrors, 1);
 * ```
 */
export class Pipeline {
  /** Counters. */
  readonly metrics: CollectorMetrics = new CollectorMetrics();
  /** Resequencing and sequence accounting per server. */
  readonly sequences: Resequencer<Pending>;
  #options: PipelineOptions;
  #servers: ServerTable;
  #lastSweep = 0;
  #lastTick = 0;
  /** The clock: the arrival time of the latest datagram (or tick). */
  #now = 0;
  #rejectLog = new Map<string, { at: number; suppressed: number }>();
  // The ring hands consecutive packets of one sender the same object: reusing the key string
  // of the last (sender, stod) spares building it and re-hashing it in every map per packet.
  #lastSender?: Sender;
  #lastStod = NaN;
  #lastServer = "";

  constructor(options: PipelineOptions) {
    this.#options = options;
    const correlator = options.correlator;
    this.sequences = new Resequencer<Pending>({
      window: options.reorderWindow,
      timeoutSeconds: options.reorderTimeout,
      deliver: (item, arrived) => this.#deliver(item, arrived),
      ready: (item, cls) =>
        cls !== "f" || item.packet.kind !== "fstream" ||
        correlator.fstreamReady(item.packet, item.server),
    });
    this.#servers = new ServerTable({
      maxServers: options.maxServers ?? 4096,
      onEvict: (server, first) => {
        this.#forget(server, "server_evicted");
        if (first) options.onServerEvicted?.(server, options.maxServers ?? 4096);
      },
      onRestart: (old) => this.#forget(old, "server_restart"),
      onSilent: (server) => this.#forget(server, "server_silent"),
    });
  }

  /** Servers evicted because the table was full. */
  get serversEvicted(): number {
    return this.#servers.evictions;
  }

  /** Server processes tracked right now. */
  get serversTracked(): number {
    return this.#servers.size;
  }

  /**
   * Handles one datagram received from `sender` at `now` (Unix seconds). The bytes are not
   * kept after the call returns. Never throws for bad input.
   */
  handle(datagram: Uint8Array, sender: Sender, now: number): void {
    const m = this.metrics;
    if (now > this.#now) this.#now = now;
    m.packets++;
    m.bytes += datagram.byteLength;
    if (this.#options.allow !== undefined && !this.#options.allow(sender.hostname)) {
      m.denied++;
      return;
    }
    if (now - this.#lastSweep >= SWEEP_EVERY_SECONDS) this.#sweep(now);
    if (this.sequences.waiting && now - this.#lastTick >= TICK_EVERY_SECONDS) this.tick(now);
    const packet = decodePacket(datagram);
    if (packet.kind === "rejected") {
      m.decodeErrors++;
      this.#reject(sender, packet.reason, now);
      return;
    }
    const { header } = packet;
    CollectorMetrics.bump(m.packetsByCode, header.code);
    if (sender !== this.#lastSender || header.stod !== this.#lastStod) {
      this.#lastSender = sender;
      this.#lastStod = header.stod;
      this.#lastServer = serverKey(sender, header.stod);
    }
    const server = this.#lastServer;
    // A kind this collector does not use makes no state for a server it has not heard of.
    if (packet.kind === "other" && !this.#servers.has(server)) return;
    this.#servers.touch(server, now, packet.kind === "fstream" ? packet.window.sid : undefined, {
      host: sender.hostname,
      stod: header.stod,
    });
    const item: Pending = { packet, sender, server };
    const lostBefore = this.sequences.counts(server)?.lost ?? 0;
    // A text-header g-stream line numbers its packets 0–999 on a counter of its own.
    const textPseq = packet.kind === "gstream" ? packet.textPseq : undefined;
    this.sequences.push(
      server,
      textPseq !== undefined ? "gtext" : sequenceClass(header.code),
      textPseq ?? header.pseq,
      datagramHash(datagram),
      item,
      now,
      // Binary g-streams share the monitor's socket, each provider with its own numbering.
      packet.kind === "gstream" && textPseq === undefined ? packet.provider : undefined,
    );
    this.#noteGap(server, lostBefore);
  }

  /** Releases what waited the reorder timeout at `now` (a timer calls this while live). */
  tick(now: number): void {
    this.#lastTick = now;
    if (now > this.#now) this.#now = now;
    this.sequences.tick(now);
    if (now - this.#lastSweep >= SWEEP_EVERY_SECONDS) this.#sweep(now);
  }

  /** Arrival time of the oldest datagram held for resequencing; `Infinity` when none is. */
  heldSince(): number {
    return this.sequences.oldestArrival();
  }

  /** Releases everything still held, in order (end of a replay, shutdown). */
  finish(): void {
    this.sequences.flush();
  }

  /** Counters and gauges for `/metrics`. */
  snapshot(): MetricsSnapshot {
    const c = this.#options.correlator;
    return {
      counters: this.metrics,
      sequenceByServer: this.sequences.entries(),
      cacheSize: c.cacheSize,
      cacheEvictions: c.cacheEvictions,
      cacheExpirations: c.cacheExpirations,
      documents: c.emitted,
      pendingLookups: c.pendingLookups,
      openExpired: c.openExpired,
      serversTracked: this.#servers.size,
      serversEvicted: this.#servers.evictions,
      gstreamUnknown: c.gstreamUnknown,
    };
  }

  /** Totals of the per-server counters (for the periodic log line). */
  sequenceTotals(): SequenceCounts {
    const total = { received: 0, reordered: 0, duplicate: 0, late: 0, lost: 0 };
    for (const [, c] of this.sequences.entries()) {
      total.received += c.received;
      total.reordered += c.reordered;
      total.duplicate += c.duplicate;
      total.late += c.late;
      total.lost += c.lost;
    }
    return total;
  }

  #deliver(item: Pending, arrived: number): void {
    const { packet, sender, server } = item;
    const correlator = this.#options.correlator;
    const lost = this.sequences.counts(server)?.lost ?? 0;
    const ctx = { sender, server, now: arrived, lost, stod: packet.header.stod };
    if (packet.kind === "fstream") {
      const m = this.metrics;
      for (const record of packet.records) {
        CollectorMetrics.bump(m.recordsByType, record.type);
        if (record.type === "unknown") m.unknownRecords++;
      }
      if (packet.window.recordCount !== packet.records.length) m.recordCountMismatches++;
      correlator.handleFStream(packet, ctx);
    } else if (packet.kind === "text") {
      correlator.handleText(packet, ctx);
      // An f-stream packet may have waited for this login or path.
      if (this.sequences.waiting) this.sequences.retry(server, arrived);
    } else if (packet.kind === "gstream") {
      correlator.handleGStream(packet, ctx);
    }
  }

  #noteGap(server: string, lostBefore: number): void {
    const lost = (this.sequences.counts(server)?.lost ?? 0) - lostBefore;
    if (lost > 0) this.#options.onGap?.(server, lost);
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    this.#options.correlator.sweep(now);
    this.#servers.sweep(now - (this.#options.forgetServersAfter ?? 86400));
  }

  /** Releases what a server still holds, expires its open files, forgets its state. */
  #forget(server: string, reason: "server_restart" | "server_evicted" | "server_silent"): void {
    this.sequences.forget(server);
    this.#options.correlator.serverGone(server, reason, this.#now);
    if (server === this.#lastServer) this.#lastSender = undefined;
  }

  #reject(sender: Sender, reason: string, now: number): void {
    const key = sender.hostname;
    const last = this.#rejectLog.get(key);
    if (last !== undefined && now - last.at < REJECT_LOG_SECONDS) {
      last.suppressed++;
      return;
    }
    if (this.#rejectLog.size > 10_000) this.#rejectLog.clear();
    this.#rejectLog.set(key, { at: now, suppressed: 0 });
    this.#options.onReject?.(sender, reason, last?.suppressed ?? 0);
  }
}
