/**
 * The sink stage of xrootd-fstream-collector: where documents go. `-s` servers given → the
 * search engine sink (`search/`, Elasticsearch/OpenSearch); none → NDJSON on stdout or
 * `--output FILE` (`ndjson.ts`). Every sink implements `DocumentSink` (and the search sink
 * `OlderEventsLookup`), the correlate stage's contracts (`correlate/sink_contracts.ts`). The
 * `/metrics` endpoint, which renders the correlate stage's counters, lives here too
 * (`metrics.ts`, `metrics_server.ts`).
 *
 * @example
 * ```ts
 * import { createSink } from "./mod.ts";
 * const { sink, lookup } = await createSink({ servers: [], evtType: "xrd_fstream", insecure: false });
 * if (lookup !== undefined) throw new Error("NDJSON has no lookup");
 * await sink.close();
 * ```
 *
 * @module
 */
export * from "./create.ts";
export { NdjsonSink, type NdjsonSinkOptions } from "./ndjson.ts";
export * from "./metrics.ts";
export * from "./metrics_server.ts";
