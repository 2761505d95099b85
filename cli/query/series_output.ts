/**
 * Streams one series into a renderer page by page (host names of packet-trace hops looked up
 * per page, concurrently), and the `-T` without `-W` warning shared by `esmond-ps-get` and
 * `esmond-ps-get-bulk`.
 *
 * @module
 */
import { getLogger } from "../../lib/log/mod.ts";
import { pointRows } from "../format/data_rows.ts";
import type { HostNames } from "./host_names.ts";
import type { SeriesChoice } from "../format/series.ts";
import type { Row, RowRenderer } from "../format/renderers.ts";

/** Options for {@linkcode streamSeries}. */
export interface StreamSeriesOptions {
  /** The chosen series and its context. */
  readonly choice: SeriesChoice;
  /** Where rows are rendered. */
  readonly renderer: RowRenderer;
  /** Receives the rendered text of each page. */
  readonly write: (text: string) => void | Promise<void>;
  /** The host-name cache. */
  readonly hosts: HostNames;
  /** Called after each page with its number of points. */
  readonly onPage?: (points: number) => void;
}

function hopAddresses(val: unknown): string[] {
  if (!Array.isArray(val)) return [];
  return val.map((hop) => (hop as Record<string, unknown> | null)?.ip)
    .filter((ip): ip is string => typeof ip === "string");
}

/**
 * Reads every page of the chosen series and writes its rows; returns the number of points.
 *
 * @example
 * ```ts
 * import { streamSeries } from "./series_output.ts";
 * // const points = await streamSeries({ choice, renderer, write: (t) => out.write(t), hosts });
 * ```
 */
export async function streamSeries(options: StreamSeriesOptions): Promise<number> {
  const { choice, renderer, write, hosts } = options;
  if (choice.series === undefined) return 0;
  let points = 0;
  for await (const page of choice.series.pages()) {
    if (choice.context.family === "packet_trace") {
      await hosts.prefetch(page.flatMap((point) => hopAddresses(point.val)));
    }
    const rows: Row[] = [];
    for (const point of page) {
      for (const row of pointRows(choice.context, point)) rows.push(row);
    }
    await write(renderer.write(rows));
    points += page.length;
    options.onPage?.(page.length);
  }
  return points;
}

/**
 * Logs the warning for `-T` without `-W` when the archive has other windows of that type.
 *
 * @example
 * ```ts
 * import { warnWindowless } from "./series_output.ts";
 * // warnWindowless(choice, "average", "0CB1…");
 * ```
 */
export function warnWindowless(
  choice: SeriesChoice,
  summaryType: string,
  metadataKey: string,
): void {
  const windows = choice.windowsWithoutW;
  if (windows === undefined || windows.includes("0")) return;
  getLogger("query").warn(
    "-T {summaryType} without -W asks for summary window 0, which {eventType} of metadata " +
      "{metadataKey} does not have; its {summaryType} windows: {windows}",
    {
      summaryType,
      eventType: choice.context.eventType,
      metadataKey,
      windows: windows.length === 0 ? "none" : windows.join(", "),
    },
  );
}
