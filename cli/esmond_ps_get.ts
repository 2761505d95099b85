/**
 * `esmond-ps-get`: the data of one event type between a source and a destination, in human,
 * json or csv form, streamed as the archive's pages arrive. See `docs/esmond-ps-get.md`.
 *
 * @module
 */
import { connect } from "./options/client.ts";
import { EXIT, runQueryTool, type ToolRun } from "./options/main.ts";
import { createRenderer } from "./render/renderers.ts";
import { streamSeries, warnWindowless } from "./render/series_output.ts";
import { seriesColumns } from "./rows/data_rows.ts";
import { HostNames } from "./rows/host_names.ts";
import { metadataAddresses } from "./rows/metadata_rows.ts";
import { chooseSeries } from "./rows/series.ts";
import { eventTypeInfo } from "../lib/esmond/event_types.ts";
import type { Metadata } from "../lib/esmond/mod.ts";
import { batches } from "./rows/batches.ts";

async function get({ options, stdout }: ToolRun): Promise<number> {
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

if (import.meta.main) await runQueryTool("esmond-ps-get", Deno.args, get);
