/**
 * The collector's counters. They count what happens across the stages (datagrams received and
 * denied, decoded or rejected, records by type, resequencing, the caches), but one owner
 * updates them all: the `Pipeline` (`pipeline.ts`) that carries each datagram through those
 * stages. So they live with it, and the sink's `/metrics` endpoint only renders a snapshot of
 * them (`sink/metrics.ts`).
 *
 * @module
 */
import type { SequenceCounts } from "./resequence.ts";

/**
 * Counters the pipeline updates; gauges are read from their owners at render time.
 *
 * @example
 * ```ts
 * import { CollectorMetrics } from "./counters.ts";
 * const metrics = new CollectorMetrics();
 * CollectorMetrics.bump(metrics.recordsByType, "open");
 * ```
 */
export class CollectorMetrics {
  /** Datagrams received. */
  packets = 0;
  /** Bytes received. */
  bytes = 0;
  /** Datagrams rejected (truncated, inconsistent, undecodable). */
  decodeErrors = 0;
  /** f-stream records of unknown type, skipped by their length. */
  unknownRecords = 0;
  /** Packets by code. */
  readonly packetsByCode: Map<string, number> = new Map();
  /** f-stream records by type. */
  readonly recordsByType: Map<string, number> = new Map();
  /** f-stream packets whose `nRecs[1]` disagreed with the records found. */
  recordCountMismatches = 0;
  /** Datagrams from senders outside `--allow`, dropped undecoded. */
  denied = 0;

  /** Adds one to a keyed counter. */
  static bump(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }
}

/** Resequencing counters of one server, as the resequencer keeps them, read-only. */
export type ServerSequenceCounts = Readonly<SequenceCounts>;

/** Everything `/metrics` prints (`renderPrometheus` of `sink/metrics.ts`). */
export interface MetricsSnapshot {
  readonly counters: CollectorMetrics;
  /** Per-server resequencing counters. */
  readonly sequenceByServer: Iterable<readonly [string, ServerSequenceCounts]>;
  /** Opens expired into `fstream_open_expired` documents. */
  readonly openExpired?: number;
  /** Server processes tracked, and evicted because the table was full. */
  readonly serversTracked?: number;
  readonly serversEvicted?: number;
  /** g-stream events of unknown providers skipped. */
  readonly gstreamUnknown?: number;
  readonly cacheSize: number;
  readonly cacheEvictions: number;
  readonly cacheExpirations: number;
  readonly documents: number;
  readonly pendingLookups: number;
  /** Datagrams the receiving thread had to drop because decoding fell too far behind. */
  readonly ringDropped?: number;
}
