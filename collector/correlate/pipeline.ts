/**
 * One datagram's way through the collector: decode, sequence accounting, metrics, correlate.
 * Shared by the UDP listener and `--replay`, so both behave the same.
 *
 * @module
 */
import { decodePacket } from "../decode/packet.ts";
import type { Correlator } from "./correlate.ts";
import { type Sender, serverKey } from "./identity.ts";
import { CollectorMetrics, type MetricsSnapshot } from "../sink/metrics.ts";
import { SequenceTracker } from "./sequence.ts";

/** Options for {@linkcode Pipeline}. */
export interface PipelineOptions {
  readonly correlator: Correlator;
  /** Called for a rejected datagram at most once per sender per minute. */
  readonly onReject?: (sender: Sender, reason: string, suppressed: number) => void;
  /** Called when packets went missing. */
  readonly onGap?: (server: string, lost: number) => void;
  /** Forget the sequence state of servers silent this long (seconds; default one day). */
  readonly forgetServersAfter?: number;
}

const SWEEP_EVERY_SECONDS = 1;
const REJECT_LOG_SECONDS = 60;

/**
 * Feeds datagrams through decode → correlate, counting everything.
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
  /** Sequence-gap accounting. */
  readonly sequences: SequenceTracker = new SequenceTracker();
  #options: PipelineOptions;
  #lastSweep = 0;
  #rejectLog = new Map<string, { at: number; suppressed: number }>();
  // The ring hands consecutive packets of one sender the same object: reusing the key string
  // of the last (sender, stod) spares building it and re-hashing it in every map per packet.
  #lastSender?: Sender;
  #lastStod = NaN;
  #lastServer = "";

  constructor(options: PipelineOptions) {
    this.#options = options;
  }

  /**
   * Handles one datagram received from `sender` at `now` (Unix seconds). The bytes are not
   * kept after the call returns. Never throws for bad input.
   */
  handle(datagram: Uint8Array, sender: Sender, now: number): void {
    const m = this.metrics;
    m.packets++;
    m.bytes += datagram.byteLength;
    if (now - this.#lastSweep >= SWEEP_EVERY_SECONDS) {
      this.#lastSweep = now;
      this.#options.correlator.sweep(now);
      this.sequences.sweep(now - (this.#options.forgetServersAfter ?? 86400));
    }
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
    const lost = this.sequences.observe(server, header.code, header.pseq, now);
    if (lost > 0) this.#options.onGap?.(server, lost);
    const ctx = { sender, server, now, lost: this.sequences.lost(server), stod: header.stod };
    if (packet.kind === "fstream") {
      for (const record of packet.records) {
        CollectorMetrics.bump(m.recordsByType, record.type);
        if (record.type === "unknown") m.unknownRecords++;
      }
      if (packet.window.recordCount !== packet.records.length) m.recordCountMismatches++;
      this.#options.correlator.handleFStream(packet, ctx);
    } else if (packet.kind === "text") {
      this.#options.correlator.handleText(packet, ctx);
    }
  }

  /** Counters and gauges for `/metrics`. */
  snapshot(): MetricsSnapshot {
    const c = this.#options.correlator;
    return {
      counters: this.metrics,
      lostByServer: this.sequences.lostByServer(),
      cacheSize: c.cacheSize,
      cacheEvictions: c.cacheEvictions,
      cacheExpirations: c.cacheExpirations,
      documents: c.emitted,
      pendingLookups: c.pendingLookups,
    };
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
