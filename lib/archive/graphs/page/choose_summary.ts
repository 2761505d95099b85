/**
 * Which series of an event type to draw for a time range: the base data when it fits, else
 * the finest summary window that keeps the chart under a point budget. Pure.
 *
 * @module
 */

/** One readable series of an event type: the base data (window 0) or one summary. */
export interface SeriesChoice {
  /** `base` or the summary type (`statistics`, `aggregation`, `average`). */
  readonly summaryType: string;
  /** Summary window in seconds (0 for base and per-point statistics). */
  readonly window: number;
  /** Path or URL of the series as the metadata gives it. */
  readonly uri: string;
}

/** Options of {@linkcode chooseSummary}. */
export interface ChooseOptions {
  /** Length of the time range in seconds. */
  readonly rangeSeconds: number;
  /** Largest number of points a chart should hold. */
  readonly maxPoints: number;
  /** The per-point series (base, or per-point statistics of a histogram). */
  readonly base: SeriesChoice;
  /** The summaries of the wanted summary type with a window above 0. */
  readonly windows: readonly SeriesChoice[];
  /** How many points the base holds in the range, when known (a probe read). */
  readonly basePoints?: number;
}

/**
 * Picks the series to draw: the base when its point count is known to fit in `maxPoints`,
 * else the smallest window `w` with `rangeSeconds / w ≤ maxPoints` (the largest window when
 * none is that coarse), else the base anyway when there is no summary.
 *
 * @example
 * ```ts
 * import { chooseSummary } from "./choose_summary.ts";
 * const base = { summaryType: "base", window: 0, uri: "/k/throughput/base" };
 * const hourly = { summaryType: "average", window: 3600, uri: "/k/throughput/averages/3600" };
 * const month = 30 * 86400;
 * const picked = chooseSummary({
 *   rangeSeconds: month, maxPoints: 2000, base, windows: [hourly], basePoints: 43200,
 * });
 * if (picked !== hourly) throw new Error("a month of minutes should use the hourly summary");
 * ```
 */
export function chooseSummary(options: ChooseOptions): SeriesChoice {
  const { rangeSeconds, maxPoints, base } = options;
  if (options.basePoints !== undefined && options.basePoints <= maxPoints) return base;
  const windows = [...options.windows].filter((w) => w.window > 0).sort((a, b) =>
    a.window - b.window
  );
  if (windows.length === 0) return base;
  return windows.find((w) => rangeSeconds / w.window <= maxPoints) ?? windows[windows.length - 1];
}
