/**
 * What a `Correlator` (`correlate.ts`) is configured with, and what it is told about each packet.
 *
 * @module
 */
import type { Sender } from "./identity.ts";
import type { CollectorDocument, OlderEventsLookup } from "./sink_contracts.ts";

/**
 * Options for `Correlator` (`correlate.ts`).
 *
 * @example
 * ```ts
 * import type { CorrelatorOptions } from "./correlate_options.ts";
 * const options: CorrelatorOptions = {
 *   emit: (doc) => console.log(doc.body), evtType: "xrd_fstream", cacheSeconds: 3600,
 *   maxEntries: 100_000,
 * };
 * ```
 */
export interface CorrelatorOptions {
  /** Receives every finished document. */
  readonly emit: (doc: CollectorDocument) => void;
  /** The `type` field of every document (`--evt-type`). */
  readonly evtType: string;
  /** Seconds a login or open stays in memory (`--cache-time`). */
  readonly cacheSeconds: number;
  /** Most cached entries (`--cache-max-entries`). */
  readonly maxEntries: number;
  /**
   * Seconds an open may wait for its close before it expires into an `fstream_open_expired`
   * document (`--open-timeout`; default `cacheSeconds`).
   */
  readonly openTimeoutSeconds?: number;
  /** Asked when the cache misses; optional. */
  readonly lookup?: OlderEventsLookup;
  /** Most lookups in flight; beyond that documents go out without waiting (default 10 000). */
  readonly maxPendingLookups?: number;
  /** Give up on one lookup after this many milliseconds (default 5 000). */
  readonly lookupTimeoutMs?: number;
  /** Called when a lookup fails (to log it). */
  readonly onLookupError?: (error: unknown) => void;
  /**
   * Called when a second server process appears with the same sender IP and `stod` as one
   * already known (the seed's `ip-stod.dictid` ids would collide; ours carry the port).
   */
  readonly onServerCollision?: (seedPrefix: string, servers: readonly string[]) => void;
}
/**
 * Where and when a packet arrived.
 *
 * @example
 * ```ts
 * import type { PacketContext } from "./correlate_options.ts";
 * const ctx: PacketContext = {
 *   sender: { hostname: "10.1.2.3", port: 41000 }, server: "10.1.2.3:41000-1795389000", now: 1795390000,
 * };
 * ```
 */
export interface PacketContext {
  /** The UDP sender. */
  readonly sender: Sender;
  /** The server key ({@linkcode serverKey}). */
  readonly server: string;
  /** Arrival time, Unix seconds (float). */
  readonly now: number;
  /** Packets of this server found missing so far (`xrd_seq_lost_packets`). */
  readonly lost?: number;
  /** The packet's `stod` (to notice servers sharing IP and start time). */
  readonly stod?: number;
}
