/**
 * `esmond-ps-get-metadata`: the metadata of the tests matching the filters (`-M` for every
 * field).
 *
 * @module
 */
import { runQueryTool } from "./frame.ts";
import { runMetadataListing } from "./listing.ts";

/**
 * Runs `esmond-ps-get-metadata` with `args` and exits the process.
 *
 * @example
 * ```ts
 * import { main } from "./get_metadata.ts";
 * import assert from "node:assert/strict";
 * assert.equal(main.length, 1); // `if (import.meta.main) await main(Deno.args);`
 * ```
 */
export function main(args: readonly string[]): Promise<never> {
  return runQueryTool("esmond-ps-get-metadata", args, (run) => runMetadataListing(run, "metadata"));
}
