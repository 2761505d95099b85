/**
 * Which series `esmond-ps-get`/`-get-bulk` read for a metadata and event type, and the row
 * context that goes with it (clients spec §5): numeric and histogram families read the summary
 * named by `-T`/`-W` (none registered: no rows), every other family reads the base series but
 * is labelled with `-T` as the original does.
 *
 * @module
 */
import { allowsSummary, eventTypeInfo, type SummaryType } from "../../lib/esmond/event_types.ts";
import type { Metadata, Series } from "../../lib/esmond/mod.ts";
import type { SeriesContext } from "./data_rows.ts";

/** The series to read (undefined: nothing to read) and its row context. */
export interface SeriesChoice {
  /** The series, or undefined when the metadata has no such event type or summary. */
  readonly series: Series | undefined;
  /** The row context. */
  readonly context: SeriesContext;
  /**
   * With `-T` but without `-W`: the windows the archive has for that summary type, for the
   * warning (the original silently asks for window 0).
   */
  readonly windowsWithoutW?: string[];
}

/** The query-side settings the choice depends on. */
export interface SeriesQuery {
  /** `-T`. */
  readonly summaryType?: SummaryType;
  /** `-W` (0 when absent). */
  readonly summaryWindow: number;
  /** Whether `-W` was given. */
  readonly summaryWindowGiven: boolean;
  /** Packet traces in the human layout. */
  readonly humanTrace: boolean;
  /** Address → host name. */
  readonly hostName: (address: string) => string;
}

/**
 * Chooses the series of `eventType` in `md`.
 *
 * @example
 * ```ts
 * import { chooseSeries } from "./series.ts";
 * // const { series, context } = chooseSeries(md, "throughput", query);
 * // for await (const page of series?.pages() ?? []) …
 * ```
 */
export function chooseSeries(md: Metadata, eventType: string, query: SeriesQuery): SeriesChoice {
  const info = eventTypeInfo(eventType);
  const family = info?.family ?? null;
  const summaryType = query.summaryType;
  const summarised = summaryType !== undefined &&
    (family === "numeric" || family === "histogram" ||
      (family === null && allowsSummary(eventType, summaryType)));
  const et = md.getEventType(eventType);
  const source = md.source ?? null;
  const destination = md.destination ?? null;
  const context: SeriesContext = {
    source: source === null ? null : query.hostName(source),
    destination: destination === null ? null : query.hostName(destination),
    eventType,
    tool: md.toolName ?? null,
    summaryType: summaryType ?? "base",
    summaryWindow: query.summaryWindow,
    bucketWidth: md.sampleBucketWidth ?? null,
    family,
    statistics: family === "histogram" && summaryType === "statistics",
    humanTrace: query.humanTrace,
    hostName: query.hostName,
  };
  if (et === undefined) return { series: undefined, context };
  if (!summarised) return { series: et, context };
  const windowsWithoutW = query.summaryWindowGiven ? undefined : et.getAllSummaries()
    .filter((s) => s.summaryType === summaryType)
    .map((s) => s.summaryWindow);
  return { series: et.getSummary(summaryType, query.summaryWindow), context, windowsWithoutW };
}
