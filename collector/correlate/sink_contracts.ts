/**
 * The contracts between the collector's correlate stage and its sinks: documents flow one way,
 * from correlate into a {@linkcode DocumentSink}; the correlate stage asks an
 * {@linkcode OlderEventsLookup} for open/user documents its memory cache no longer holds.
 * They are the correlate stage's own terms (what it hands on and what it asks), so they live
 * here and every sink implements them: the stage never needs to know a sink.
 *
 * @module
 */
import type { FrameWriter } from "./frames.ts";

/**
 * One finished document, with the seed's field names (`@timestamp`, `xrd_*`, `type`, …).
 * `_id`-style identity is carried in `xrd_file_uniq_id`/`xrd_user_uniq_id` and
 * {@linkcode CollectorDocument.docId}.
 */
export interface CollectorDocument {
  /** Deterministic document id (server identity + record), so re-sent documents overwrite. */
  readonly docId: string;
  /** The document body exactly as indexed / printed. */
  readonly body: Record<string, unknown>;
  /**
   * The body already serialised (equal to `JSON.stringify(body)`), when the producer has it
   * cheaper than `body`; sinks that write JSON should prefer it.
   */
  readonly json?: string;
  /**
   * The body as JSON object texts (`{…}`, none empty) whose members, in order, make up `json`:
   * `json` is them merged, each `}` and the following `{` replaced by a comma (`{}` when the
   * list is empty). Optional; lets a sink encode parts shared between documents directly.
   */
  readonly jsonObjects?: readonly string[];
  /**
   * `body["@timestamp"]`, when the producer has it without building `body` (undefined: ask
   * `body`). Lets a sink that names indexes by time and writes `json` leave `body` unbuilt.
   */
  readonly timestamp?: unknown;
  /**
   * Writes the document as a frame of parts for the NDJSON output thread (`frames.ts`),
   * `reserve(bytes)` first making room; false when it cannot (the sink writes a line instead).
   */
  writeFrame?(w: FrameWriter, reserve: (bytes: number) => void): boolean;
}

/**
 * Where finished documents go (stdout/file NDJSON by default, Elasticsearch/OpenSearch with
 * `-s`). `write` must not block the packet loop for long: sinks buffer and flush on their own
 * schedule (`--time`) or when `flush` is called.
 *
 * @example
 * ```ts
 * import type { CollectorDocument, DocumentSink } from "./sink_contracts.ts";
 * class MemorySink implements DocumentSink {
 *   readonly docs: CollectorDocument[] = [];
 *   write(doc: CollectorDocument): void {
 *     this.docs.push(doc);
 *   }
 *   async flush(): Promise<void> {}
 *   async close(): Promise<void> {}
 * }
 * ```
 */
export interface DocumentSink {
  /** Accepts one document; never throws for a cluster problem (sinks spool or retry). */
  write(doc: CollectorDocument): void;
  /** Delivers (or durably spools) everything accepted so far. */
  flush(): Promise<void>;
  /** Flushes and releases resources; called once on shutdown. */
  close(): Promise<void>;
}

/** What the correlate stage asks a lookup for when its cache misses. */
export interface LookupKey {
  /** The server identity the collector derived (see the spec's cache-key section). */
  readonly serverId: string;
  /** The dictid of the file (for opens) or user (for user logins). */
  readonly dictId: number;
}

/**
 * Finds documents indexed earlier (by this or another collector process) when the memory cache
 * misses. Implementations answer quickly or give up (a short timeout): a slow cluster must not
 * stall ingestion. Resolving `undefined` means "not found".
 *
 * @example
 * ```ts
 * import type { OlderEventsLookup } from "./sink_contracts.ts";
 * const none: OlderEventsLookup = {
 *   findOpen: () => Promise.resolve(undefined),
 *   findUser: () => Promise.resolve(undefined),
 * };
 * ```
 */
export interface OlderEventsLookup {
  /** The `fstream_open` document body for a file dictid, if one was indexed. */
  findOpen(key: LookupKey): Promise<Record<string, unknown> | undefined>;
  /** The user-login document body for a user dictid, if one was indexed. */
  findUser(key: LookupKey): Promise<Record<string, unknown> | undefined>;
}
