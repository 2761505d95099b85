/**
 * Streams one series into a renderer page by page (host names of packet-trace hops looked up
 * per page, concurrently), and the `-T` without `-W` warning shared by `esmond-ps-get` and
 * `esmond-ps-get-bulk`.
 *
 * @module
 */
import { getLogger } from "../../lib/log/mod.ts";
import { pointRows } from "../format/data_rows.ts";
import { ByteBuffer } from "../format/byte_buffer.ts";
import type { HostNames } from "./host_names.ts";
import type { SeriesChoice } from "../format/series.ts";
import type { Row, RowRenderer } from "../format/renderers.ts";
import type { DataPoint } from "../../lib/esmond/mod.ts";

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
  /**
   * Receives the rendered bytes of each page instead of `write`, when the renderer can render
   * bytes (csv): one write per page. The view is reused once the returned promise resolves.
   */
  readonly writeBytes?: (bytes: Uint8Array) => Promise<void>;
  /** Ask for the next page while the current one is rendered and written. */
  readonly readAhead?: boolean;
  /** Target size of a page's response body (see `ReadSeriesOptions.pageBytes`). */
  readonly pageBytes?: number;
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
  const pages = choice.series.pages(undefined, {
    readAhead: options.readAhead,
    pageBytes: options.pageBytes,
  });
  if (options.writeBytes !== undefined && renderer.writePoints !== undefined) {
    return await streamBytes(options, pages, options.writeBytes);
  }
  let points = 0;
  for await (const page of pages) {
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

// Two buffers taken in turn: a page is rendered while the previous one is still being written,
// and no more than one write is ever outstanding (memory stays at two pages' text).
async function streamBytes(
  options: StreamSeriesOptions,
  pages: AsyncIterable<DataPoint[]>,
  writeBytes: (bytes: Uint8Array) => Promise<void>,
): Promise<number> {
  const { choice, renderer, hosts } = options;
  const buffers = [new ByteBuffer(), new ByteBuffer()];
  let turn = 0;
  let writing: Promise<void> | undefined;
  let points = 0;
  try {
    for await (const page of pages) {
      if (choice.context.family === "packet_trace") {
        await hosts.prefetch(page.flatMap((point) => hopAddresses(point.val)));
      }
      const buffer = buffers[turn];
      turn = 1 - turn;
      buffer.clear();
      renderer.writePoints!(choice.context, page, buffer);
      await writing;
      writing = buffer.length > 0 ? writeBytes(buffer.view()) : undefined;
      points += page.length;
      options.onPage?.(page.length);
    }
    await writing;
  } finally {
    // After a failure the outstanding write is still waited for (its error dropped: the first
    // failure is the one reported), so nothing writes to the file once this returns.
    await writing?.catch(() => {});
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
