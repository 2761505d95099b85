/**
 * The esmond view of a run: what pScheduler's esmond archiver would send for an http-archiver
 * body (`view.ts`), with the metadata and summaries it registers (`summaries.ts`), the source
 * and destination it resolves (`addresses.ts`), and one module a test type (`mappings.ts`
 * lists them).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { DEFAULT_ESMOND_SUMMARIES } from "./mod.ts";
 * deepStrictEqual(DEFAULT_ESMOND_SUMMARIES["throughput"][0]["summary-type"], "average");
 * ```
 *
 * @module
 */
export {
  type DataFormattingPolicy,
  type EsmondSummary,
  type EsmondValue,
  type EsmondView,
  EsmondViewError,
  type EsmondViewOptions,
} from "./types.ts";
export { DEFAULT_ESMOND_SUMMARIES } from "./summaries.ts";
export { mappedEventTypes } from "./mappings.ts";
export { esmondView, UNSPECIFIED_FAILURE } from "./view.ts";
