/**
 * Reading one chart's data over the API: per measurement and event type, the base (or
 * per-point statistics) when it fits the point budget, else the summary
 * {@linkcode chooseSummary} picks.
 *
 * @module
 */
import type { EsmondApi, EventTypeEntry, Measurement } from "./api.ts";
import type { ChartKind, EventSource } from "./chart_kinds.ts";
import { chooseSummary, type SeriesChoice } from "./choose_summary.ts";
import { type ApiPoint, columnsOf } from "./series_values.ts";

/** Most points one series of a chart holds. */
export const MAX_POINTS = 2000;

/** One line (or point set) of a chart. */
export interface LoadedSeries {
  /** Legend text, e.g. `A → B bwctl/iperf3 throughput`. */
  readonly label: string;
  /** `forward` (source → destination) or `reverse`. */
  readonly direction: "forward" | "reverse";
  /** Index of the tool among the chart's tools (picks the dash). */
  readonly toolIndex: number;
  /** Figure name (`throughput`, `median`, `min`, …). */
  readonly figure: string;
  /** Axis scale. */
  readonly scale: "y" | "y2";
  /** UNIX seconds. */
  readonly ts: number[];
  /** Values (null where a point gave none). */
  readonly values: (number | null)[];
  /** The series read, e.g. `base` or `statistics 3600`. */
  readonly summary: string;
  /** True when the base was cut at {@linkcode MAX_POINTS} for want of a summary. */
  readonly truncated: boolean;
}

/** A time range in UNIX seconds. */
export interface Range {
  /** First second. */
  readonly start: number;
  /** Last second. */
  readonly end: number;
}

function perPoint(entry: EventTypeEntry, source: EventSource): SeriesChoice {
  if (source.perPointStatistics) {
    const stats = entry.summaries.find((s) => s.summaryType === "statistics" && s.window === 0);
    if (stats) return stats;
  }
  return { summaryType: "base", window: 0, uri: entry.baseUri };
}

/**
 * The points to draw for one event type over `range`, and which series they came from.
 *
 * Without summaries the base is read at once. With summaries, two small requests go out
 * together: "is there a point past the budget?" (`offset` = budget, `limit` = 1) and the
 * summary the range calls for; the base is read only when the probe finds it fits, so a long
 * range of dense data never moves the base over the wire.
 *
 * @example
 * ```ts ignore
 * const { points, choice } = await readChosen(api, entry, source, range);
 * ```
 */
export async function readChosen(
  api: EsmondApi,
  entry: EventTypeEntry,
  source: EventSource,
  range: Range,
  signal?: AbortSignal,
): Promise<{ points: ApiPoint[]; choice: SeriesChoice; truncated: boolean }> {
  const base = perPoint(entry, source);
  const windows = entry.summaries.filter((s) => s.summaryType === source.summaryType);
  const readBase = async () => {
    const points = await api.points(base.uri, range.start, range.end, MAX_POINTS + 1, signal);
    return {
      points: points.slice(0, MAX_POINTS),
      choice: base,
      truncated: points.length > MAX_POINTS,
    };
  };
  const summary = chooseSummary({
    rangeSeconds: range.end - range.start,
    maxPoints: MAX_POINTS,
    base,
    windows,
  });
  if (summary === base) return await readBase();
  const [beyond, summed] = await Promise.all([
    api.points(base.uri, range.start, range.end, 1, signal, MAX_POINTS),
    api.points(summary.uri, range.start, range.end, MAX_POINTS + 1, signal),
  ]);
  // the base fits, or the summary holds nothing (an archive that does not compute it)
  if (beyond.length === 0 || summed.length === 0) return await readBase();
  return {
    points: summed.slice(0, MAX_POINTS),
    choice: summary,
    truncated: summed.length > MAX_POINTS,
  };
}

/**
 * A host name cut to its first label (`ps-lbl.example.net` → `ps-lbl`); addresses stay whole.
 *
 * @example
 * ```ts
 * import { shortName } from "./load_series.ts";
 * if (shortName("ps-lbl.example.net") !== "ps-lbl" || shortName("10.0.0.1") !== "10.0.0.1") {
 *   throw new Error();
 * }
 * ```
 */
export function shortName(name: string): string {
  if (/^[\d.]+$/.test(name) || name.includes(":")) return name;
  return name.split(".")[0];
}

/** Short text of a choice: `base`, `statistics 3600 s`. */
function choiceText(choice: SeriesChoice): string {
  return choice.summaryType === "base" ? "base" : `${choice.summaryType} ${choice.window} s`;
}

/**
 * Every series of one chart for the pair `forward` (A → B) and `reverse` (B → A).
 *
 * @example
 * ```ts ignore
 * const series = await loadChart(api, CHART_KINDS[0], { forward, reverse }, range);
 * ```
 */
export async function loadChart(
  api: EsmondApi,
  kind: ChartKind,
  pair: { forward: readonly Measurement[]; reverse: readonly Measurement[] },
  range: Range,
  signal?: AbortSignal,
): Promise<LoadedSeries[]> {
  // the tools that feed this chart, so its dashes start with the solid line
  const feeds = (m: Measurement) =>
    kind.sources.some((source) => m.eventTypes.some((e) => e.eventType === source.eventType));
  const tools = [...new Set([...pair.forward, ...pair.reverse].filter(feeds).map((m) => m.tool))]
    .sort();
  const jobs: Promise<LoadedSeries[]>[] = [];
  for (const direction of ["forward", "reverse"] as const) {
    for (const m of pair[direction]) {
      for (const source of kind.sources) {
        const entry = m.eventTypes.find((e) => e.eventType === source.eventType);
        if (!entry) continue;
        const arrow = `${shortName(m.sourceName)} → ${shortName(m.destinationName)}`;
        jobs.push(
          readChosen(api, entry, source, range, signal).then(({ points, choice, truncated }) => {
            const columns = columnsOf(points, source.figures);
            return Object.entries(columns.values).map(([figure, values]) => ({
              label: `${arrow} ${m.tool}${source.suffix ? ` ${source.suffix}` : ""} ${figure}`,
              direction,
              toolIndex: tools.indexOf(m.tool),
              figure,
              scale: source.scale,
              ts: columns.ts,
              values,
              summary: choiceText(choice),
              truncated,
            }));
          }),
        );
      }
    }
  }
  return (await Promise.all(jobs)).flat();
}
