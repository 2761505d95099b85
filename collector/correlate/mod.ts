/**
 * The correlate stage of xrootd-fstream-collector: one datagram's way from decoded packet to
 * documents. {@linkcode Pipeline} decodes, accounts sequence numbers per server and counts;
 * {@linkcode Correlator} keeps the TTL/size-bounded caches of users, files and opens, joins
 * opens, closes and user records, derives statistics and emits documents to the sink.
 *
 * @example
 * ```ts
 * import { Correlator, Pipeline } from "./mod.ts";
 * const correlator = new Correlator({ emit: () => {}, evtType: "t", cacheSeconds: 60, maxEntries: 10 });
 * const pipeline = new Pipeline({ correlator });
 * pipeline.handle(new Uint8Array(3), { hostname: "127.0.0.1", port: 1 }, 0);
 * if (pipeline.metrics.decodeErrors !== 1) throw new Error("not counted");
 * ```
 *
 * @module
 */
export * from "./pipeline.ts";
export * from "./correlate.ts";
export * from "./identity.ts";
export * from "./resequence.ts";
export * from "./server_table.ts";
export * from "./expiry.ts";
export * from "./gstream_documents.ts";
export * from "./cache.ts";
export * from "./document.ts";
export * from "./counters.ts";
/** What documents go to and older events come from (`DocumentSink`, `OlderEventsLookup`, …). */
export type * from "./sink_contracts.ts";
