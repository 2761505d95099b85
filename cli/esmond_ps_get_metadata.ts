/**
 * `esmond-ps-get-metadata`: the metadata of the tests matching the filters (`-M` for every
 * field). See `docs/esmond-ps-get-metadata.md`.
 *
 * @module
 */
import { runQueryTool } from "./options/main.ts";
import { runMetadataListing } from "./render/metadata_listing.ts";

if (import.meta.main) {
  await runQueryTool(
    "esmond-ps-get-metadata",
    Deno.args,
    (run) => runMetadataListing(run, "metadata"),
  );
}
