/**
 * One uPlot chart of the pair view: fixed time range shared by every chart, cursor synced
 * across them, units on both axes, UTC ticks with the local time in the legend, and the
 * arrow keys moving the cursor.
 *
 * @module
 */
/// <reference lib="dom" />
import uPlot from "uplot";
import type { ChartKind } from "./chart_kinds.ts";
import { si, utcWithLocal } from "./format.ts";
import type { LoadedSeries, Range } from "./load_series.ts";
import { LINE_COLOURS, TOOL_DASHES } from "./palette.ts";

/** The cursor-sync key every chart of a pair view shares. */
export const SYNC_KEY = "esmond-pair";

function valueText(kind: ChartKind, scale: "y" | "y2", v: number | null | undefined): string {
  if (v === null || v === undefined) return "–";
  if (scale === "y2") return `${Math.round(v)} pkts`;
  if (kind.unit === "bit/s") return si(v, "bit/s");
  if (kind.unit === "%") return `${Number(v.toFixed(3))} %`;
  return `${Number(v.toFixed(3))} ms`;
}

function seriesOptions(kind: ChartKind, s: LoadedSeries): uPlot.Series {
  const extra = s.scale === "y2";
  const colour = extra
    ? (s.direction === "forward" ? LINE_COLOURS.forwardExtra : LINE_COLOURS.reverseExtra)
    : LINE_COLOURS[s.direction];
  const spreadLine = s.figure === "min" || s.figure === "max";
  return {
    label: s.label,
    scale: s.scale,
    stroke: colour,
    width: spreadLine ? 1 : 2,
    dash: spreadLine ? [2, 3] : [...TOOL_DASHES[s.toolIndex % TOOL_DASHES.length]],
    spanGaps: true,
    value: (_u, v) => valueText(kind, s.scale, v),
    points: extra ? { show: true, size: 7, fill: colour, stroke: colour } : { show: false },
    paths: extra ? () => null : undefined,
  };
}

/**
 * Tick texts of the time axis in UTC, 24-hour: `HH:MM` with the date under midnights (under the
 * first tick when no midnight is shown), or dates alone when ticks are a day or more apart.
 *
 * @example
 * ```ts
 * import { timeTicks } from "./chart.ts";
 * const ticks = timeTicks([0, 21600, 86400]);
 * if (ticks.join("|") !== "00:00\n1970-01-01|06:00|00:00\n1970-01-02") throw new Error();
 * if (timeTicks([3600, 7200]).join("|") !== "01:00\n1970-01-01|02:00") throw new Error();
 * ```
 */
export function timeTicks(splits: readonly number[]): string[] {
  const step = splits.length > 1 ? splits[1] - splits[0] : 3600;
  const iso = splits.map((ts) => new Date(ts * 1000).toISOString());
  if (step >= 86400) return iso.map((t) => t.slice(0, 10));
  const anyMidnight = iso.some((t) => t.slice(11, 16) === "00:00");
  return iso.map((t, i) => {
    const time = t.slice(11, 16);
    const dated = time === "00:00" || (!anyMidnight && i === 0);
    return dated ? `${time}\n${t.slice(0, 10)}` : time;
  });
}

/**
 * The left axis range: from 0 for throughput and loss; for delays the span of the data with a
 * margin, so a steady 35 ms path still shows its jitter.
 *
 * @example
 * ```ts
 * import { yRange } from "./chart.ts";
 * import { CHART_KINDS } from "./chart_kinds.ts";
 * const [low, high] = yRange(CHART_KINDS[1], 34, 36);
 * if (low !== 33.8 || high !== 36.2) throw new Error(`${low} ${high}`);
 * ```
 */
export function yRange(
  kind: ChartKind,
  min: number | null,
  max: number | null,
): [number, number] {
  const lo = min ?? 0;
  const hi = max ?? 1;
  if (kind.unit !== "ms") return [Math.min(0, lo), hi > 0 ? hi * 1.05 : 1];
  const pad = hi > lo ? (hi - lo) * 0.1 : Math.max(1, hi * 0.1);
  return [Number(Math.max(0, lo - pad).toFixed(6)), Number((hi + pad).toFixed(6))];
}

/** A drawn chart. */
export interface DrawnChart {
  /** The uPlot instance. */
  readonly plot: uPlot;
  /** Removes the chart and its listeners. */
  destroy(): void;
}

/**
 * Draws `series` of `kind` into `host` over `range`.
 *
 * @example
 * ```ts ignore
 * const chart = drawChart(document.body, CHART_KINDS[0], series, { start, end });
 * ```
 */
export function drawChart(
  host: HTMLElement,
  kind: ChartKind,
  series: readonly LoadedSeries[],
  range: Range,
): DrawnChart {
  const tables = series.map((s) => [s.ts, s.values] as uPlot.AlignedData);
  const data = uPlot.join(tables as uPlot.AlignedData[]);
  const hasY2 = series.some((s) => s.scale === "y2");
  const width = Math.max(320, host.clientWidth || 800);
  const axes: uPlot.Axis[] = [
    {
      label: "time (UTC)",
      stroke: "#222",
      grid: { stroke: "#e4e4e4" },
      size: 56,
      values: (_u, splits) => timeTicks(splits),
    },
    {
      label: kind.axis,
      scale: "y",
      stroke: "#222",
      size: 80,
      grid: { stroke: "#e4e4e4" },
      values: (_u, splits) =>
        splits.map((v) => kind.unit === "bit/s" ? si(v, "bit/s") : `${Number(v.toFixed(3))}`),
    },
  ];
  // Every chart keeps the same right margin, so the stacked time axes line up.
  if (!hasY2) {
    axes.push({
      label: " ",
      scale: "y",
      side: 1,
      size: 60,
      stroke: "transparent",
      grid: { show: false },
      ticks: { show: false },
      values: (_u, splits) => splits.map(() => ""),
    });
  } else {
    axes.push({
      label: kind.axis2,
      scale: "y2",
      side: 1,
      stroke: "#222",
      size: 60,
      grid: { show: false },
      values: (_u, splits) => splits.map((v) => String(Math.round(v))),
    });
  }
  const options: uPlot.Options = {
    width,
    height: 240,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: {
      x: { time: true, range: [range.start, range.end] },
      y: { range: (_u, min, max) => yRange(kind, min, max) },
      ...(hasY2 ? { y2: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 1) * 1.1)] } } : {}),
    },
    axes,
    series: [
      { label: "time", value: (_u, v) => (v === null || v === undefined ? "–" : utcWithLocal(v)) },
      ...series.map((s) => seriesOptions(kind, s)),
    ],
    cursor: { sync: { key: SYNC_KEY }, focus: { prox: 16 } },
    legend: { live: true },
  };
  const plot = new uPlot(options, data, host);
  const onKey = (event: KeyboardEvent) => {
    const xs = plot.data[0];
    if (xs.length === 0) return;
    const steps: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      PageUp: -10,
      PageDown: 10,
    };
    // Only points inside the shown range: a point just outside it (a summary bin that began
    // before the range) has no position, and a cursor put there shows nothing.
    const { min = -Infinity, max = Infinity } = plot.scales.x;
    let first = 0;
    while (first < xs.length - 1 && xs[first] < min) first++;
    let last = xs.length - 1;
    while (last > first && xs[last] > max) last--;
    let idx = plot.cursor.idx ?? -1;
    if (event.key in steps) {
      idx = Math.min(last, Math.max(first, (idx < first ? first : idx) + steps[event.key]));
    } else if (event.key === "Home") idx = first;
    else if (event.key === "End") idx = last;
    else return;
    event.preventDefault();
    plot.setCursor({
      left: plot.valToPos(xs[idx], "x"),
      top: plot.bbox.height / devicePixelRatio / 2,
    });
  };
  host.tabIndex = 0;
  host.addEventListener("keydown", onKey);
  const onResize = () =>
    plot.setSize({ width: Math.max(320, host.clientWidth || 800), height: 240 });
  globalThis.addEventListener("resize", onResize);
  return {
    plot,
    destroy() {
      host.removeEventListener("keydown", onKey);
      globalThis.removeEventListener("resize", onResize);
      plot.destroy();
    },
  };
}
