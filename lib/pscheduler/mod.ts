/**
 * The perfSONAR 5 archive model, pure (no I/O; names through an injected resolver):
 *
 * - {@linkcode logstashDocument}: a pScheduler http-archiver body + request context → the
 *   index and document perfSONAR's Logstash pipeline would write (checksum, endpoint
 *   normalisation, ISO 8601 durations, histogram statistics, trace hops, tags);
 * - {@linkcode esmondView}: the metadata POST and bulk data PUT pScheduler's esmond archiver
 *   would send for the same run;
 * - the `pscheduler` index template, data-stream lifecycle policy and roles.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { logstashDocument, OFFLINE_RESOLVER } from "./mod.ts";
 * const { index } = await logstashDocument(
 *   { test: { type: "rtt", spec: { dest: "192.0.2.1" } }, tool: { name: "ping" } },
 *   { observer: "192.0.2.9", resolver: OFFLINE_RESOLVER },
 * );
 * deepStrictEqual(index, "pscheduler_rtt");
 * ```
 *
 * @module
 */
export * from "./canonical_json.ts";
export * from "./endpoint.ts";
export * from "./endpoint_meta.ts";
export * from "./histogram_stats.ts";
export * from "./index_template.ts";
export * from "./iso_duration.ts";
export * from "./json_value.ts";
export * from "./logstash_document.ts";
export * from "./resolver.ts";
export * from "./result_stages.ts";
export * from "./esmond_view/mod.ts";
