/**
 * The esmond perfSONAR archive client: query (search metadata, stream data) and post
 * (metadata, single points, bulk). Every esmond tool of this project uses it.
 *
 * Errors: {@linkcode ArchiveValidationError} (refused before sending, names the field),
 * {@linkcode ArchiveHttpError} (unexpected status or unreadable body; `status`, `url`,
 * `bodyExcerpt`), {@linkcode ArchiveNetworkError} (no response after the retries: a subclass of
 * `ArchiveHttpError` with `status` 0 and `timedOut`).
 *
 * @example
 * ```ts
 * import { ApiConnect, ApiFilters } from "./mod.ts";
 * using conn = new ApiConnect({
 *   url: "http://127.0.0.1:8000/esmond/perfsonar/archive/",
 *   filters: new ApiFilters({ eventType: "throughput", timeStart: 1391558400, timeEnd: 1391616000 }),
 * });
 * // for await (const md of conn.listMetadata()) {
 * //   const et = md.getEventType("throughput")!;
 * //   for await (const p of et.data()) console.log(p.ts.toISOString(), p.val, p.valIsFloat);
 * // }
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export * from "./url.ts";
export * from "./py_json/float_text.ts";
export * from "./py_json/py_float.ts";
export * from "./py_json/parse.ts";
export * from "./data_point.ts";
export * from "./filters.ts";
export * from "./options.ts";
export * from "./http.ts";
export * from "./transport.ts";
export * from "./source.ts";
export * from "./esmond_source.ts";
export * from "./series.ts";
export * from "./metadata.ts";
export * from "./query.ts";
export * from "./validate.ts";
export * from "./post.ts";
export * from "./event_types.ts";
export * from "./version.ts";
export * from "./subject.ts";
