/**
 * `esmond-ps-get-endpoints`: which tests an esmond archive holds (source, destination, agent,
 * tool, event types), in human, json or csv form. See `docs/esmond-ps-get-endpoints.md`.
 *
 * @module
 */
import { runQueryTool } from "./options/main.ts";
import { runMetadataListing } from "./render/metadata_listing.ts";

if (import.meta.main) {
  await runQueryTool(
    "esmond-ps-get-endpoints",
    Deno.args,
    (run) => runMetadataListing(run, "endpoints"),
  );
}
