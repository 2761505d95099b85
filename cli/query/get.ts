/**
 * The body of `esmond-ps-get`: the data of one event type between a source and a destination,
 * in human, json or csv form, streamed as the archive's pages arrive.
 *
 * @module
 */
import { eventTypeInfo } from "../../lib/esmond/event_types.ts";
import type { Metadata } from "../../lib/esmond/mod.ts";
import { seriesColumns } from "../format/data_rows.ts";
import { metadataAddresses } from "../format/metadata_rows.ts";
import { createRenderer } from "../format/renderers.ts";
import { chooseSeries } from "../format/series.ts";
import { batches } from "./batches.ts";
import { connect } from "./client.ts";
import { EXIT, runQueryTool, type ToolRun } from "./frame.ts";
import { HostNames } from "./host_names.ts";
import { streamSeries, warnWindowless } from "./series_output.ts";

/**
 * Prints the series of `--event-type` for every matching metadata; resolves to the exit status.
 *
 * @example
 * ```ts
 * import { get } from "./get.ts";
 * import assert from "node:assert/strict";
 * assert.equal(typeof get, "function"); // run by `main` with the validated options
 * ```
 */
export async function get({ options, stdout }: ToolRun): Promise<number> {
  const eventType = options.eventType!;
  const humanTrace = options.format === "human";
  const family = eventTypeInfo(eventType)?.family ?? null;
  const statistics = family === "histogram" && options.summaryType === "statistics";
  const renderer = createRenderer(options.format, {
    columns: seriesColumns({ family, statistics, humanTrace }),
  });
  const hosts = new HostNames({ keepAddresses: options.ip });
  using conn = connect(options);
  for await (const batch of batches(conn.listMetadata(), 50)) {
    await hosts.prefetch(batch.flatMap((md) => metadataAddresses(md.raw)));
    for (const md of batch) await printSeries(md);
  }
  stdout.write(renderer.end());
  return EXIT.ok;

  async function printSeries(md: Metadata): Promise<void> {
    const choice = chooseSeries(md, eventType, {
      ...options,
      humanTrace,
      hostName: (address) => hosts.name(address),
    });
    if (options.summaryType !== undefined) {
      warnWindowless(choice, options.summaryType, md.metadataKey);
    }
    await streamSeries({ choice, renderer, hosts, write: (text) => stdout.write(text) });
  }
}

/**
 * Runs `esmond-ps-get` with `args` and exits the process.
 *
 * @example
 * ```ts
 * import { main } from "./get.ts";
 * import assert from "node:assert/strict";
 * assert.equal(main.length, 1); // `if (import.meta.main) await main(Deno.args);`
 * ```
 */
export function main(args: readonly string[]): Promise<never> {
  return runQueryTool("esmond-ps-get", args, get);
}
