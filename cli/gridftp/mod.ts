/**
 * `esmond-ps-load-gridftp`: loads GridFTP transfer logs (netlogger or JSON format) into an
 * esmond archive, resumable across runs and log rotation.
 *
 * @example
 * ```ts
 * import { mapParsedLine, parseLine } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(typeof mapParsedLine, "function");
 * assert.equal(typeof parseLine, "function");
 * ```
 *
 * @module
 */
export { main } from "./main.ts";
export { runLoader } from "./loader.ts";
export type { RunLoaderOptions, RunSummary } from "./loader.ts";
export { parseOptions } from "./options.ts";
export type { LoaderOptions } from "./options.ts";
export { mapParsedLine, parseLine } from "./map_line.ts";
export type { TransferOutcome, TransferPost } from "./transfer.ts";
