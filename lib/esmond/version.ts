/**
 * The project version the library reports in its User-Agent.
 *
 * @module
 */

/**
 * The version of this toolset (kept equal to `version` in `deno.json`).
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(VERSION, "0.1.0");
 * ```
 */
export const VERSION = "0.1.0";

/**
 * The default `User-Agent` header value.
 *
 * @example
 * ```ts
 * import { DEFAULT_USER_AGENT } from "./version.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(DEFAULT_USER_AGENT.startsWith("esmond-ps-tools/"), true);
 * ```
 */
export const DEFAULT_USER_AGENT = `esmond-ps-tools/${VERSION} (Deno ${
  typeof Deno !== "undefined" ? Deno.version.deno : "?"
})`;
