/**
 * The body of `esmond-ps-get-endpoints` and `esmond-ps-get-metadata`: search the metadata,
 * convert addresses to host names (unless `--ip`), render one row per metadata as the
 * archive's pages arrive.
 *
 * @module
 */
import { connect } from "./client.ts";
import { EXIT, type ToolRun } from "./frame.ts";
import { batches } from "./batches.ts";
import { HostNames } from "./host_names.ts";
import {
  ENDPOINT_COLUMNS,
  endpointRow,
  METADATA_COLUMNS,
  metadataAddresses,
  metadataRow,
} from "../format/metadata_rows.ts";
import { createRenderer } from "../format/renderers.ts";

/** Which listing to print. */
export type ListingKind = "endpoints" | "metadata";

/**
 * Prints the listing and returns the exit status.
 *
 * @example
 * ```ts
 * import { runMetadataListing } from "./listing.ts";
 * // await runQueryTool("esmond-ps-get-endpoints", Deno.args, (run) => runMetadataListing(run, "endpoints"));
 * ```
 */
export async function runMetadataListing(run: ToolRun, kind: ListingKind): Promise<number> {
  const { options, stdout } = run;
  const extended = kind === "metadata" && options.metadataExtended;
  const renderer = createRenderer(options.format, {
    columns: kind === "endpoints"
      ? ENDPOINT_COLUMNS
      : extended && options.format === "json"
      ? null
      : METADATA_COLUMNS,
    extended,
  });
  const hosts = new HostNames({ keepAddresses: options.ip });
  using conn = connect(options);
  for await (const batch of batches(conn.listMetadata(), 200)) {
    await hosts.prefetch(batch.flatMap((md) => metadataAddresses(md.raw)));
    const name = (address: string) => hosts.name(address);
    const rows = batch.map((md) =>
      kind === "endpoints" ? endpointRow(md.raw, name) : metadataRow(md.raw, name, extended)
    );
    stdout.write(renderer.write(rows));
  }
  stdout.write(renderer.end());
  return EXIT.ok;
}
