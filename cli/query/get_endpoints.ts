/**
 * `esmond-ps-get-endpoints`: which tests an archive holds (source, destination, agent, tool,
 * event types).
 *
 * @module
 */
import { runQueryTool } from "./frame.ts";
import { runMetadataListing } from "./listing.ts";

/**
 * Runs `esmond-ps-get-endpoints` with `args` and exits the process.
 *
 * @example
 * ```ts
 * import { main } from "./get_endpoints.ts";
 * import assert from "node:assert/strict";
 * assert.equal(main.length, 1); // `if (import.meta.main) await main(Deno.args);`
 * ```
 */
export function main(args: readonly string[]): Promise<never> {
  return runQueryTool(
    "esmond-ps-get-endpoints",
    args,
    (run) => runMetadataListing(run, "endpoints"),
  );
}
