/**
 * The four charts of a pair and how each reads its event types: which summary type stands
 * in for the base on long ranges, and which figures a value gives. Pure.
 *
 * @module
 */
import { numericValue, spreadStats } from "./series_values.ts";

/** The figures of one value, by name. */
export type Figures = (val: unknown) => Record<string, number | null>;

/** How one event type feeds a chart. */
export interface EventSource {
  /** The event-type name. */
  readonly eventType: string;
  /** The summary type used on long ranges. */
  readonly summaryType: string;
  /** Whether a `statistics` window 0 series replaces the base (histograms). */
  readonly perPointStatistics: boolean;
  /** The figures drawn from one value. */
  readonly figures: Figures;
  /** `y` (left axis) or `y2` (right axis). */
  readonly scale: "y" | "y2";
  /** Text after the direction in the series label (e.g. `ping`). */
  readonly suffix?: string;
}

/** One chart of the pair view. */
export interface ChartKind {
  /** Element id and test hook, e.g. `throughput`. */
  readonly id: "throughput" | "latency" | "loss" | "rtt";
  /** Heading. */
  readonly title: string;
  /** Left axis label with its unit. */
  readonly axis: string;
  /** Unit of the left axis values (`bit/s`, `ms`, `%`). */
  readonly unit: "bit/s" | "ms" | "%";
  /** Right axis label with its unit, when there is one. */
  readonly axis2?: string;
  /** What feeds the chart. */
  readonly sources: readonly EventSource[];
}

const spread: Figures = (val) => {
  const s = spreadStats(val);
  return { min: s?.minimum ?? null, median: s?.median ?? null, max: s?.maximum ?? null };
};

const lossPercent: Figures = (val) => {
  const v = numericValue(val);
  return { loss: v === null ? null : v * 100 };
};

const lossSource = (eventType: string, suffix?: string): EventSource => ({
  eventType,
  summaryType: "aggregation",
  perPointStatistics: false,
  figures: lossPercent,
  scale: "y",
  suffix,
});

/** The charts, top to bottom, all on one time axis. */
export const CHART_KINDS: readonly ChartKind[] = [
  {
    id: "throughput",
    title: "Throughput",
    axis: "throughput (bit/s)",
    unit: "bit/s",
    axis2: "retransmits (packets)",
    sources: [
      {
        eventType: "throughput",
        summaryType: "average",
        perPointStatistics: false,
        figures: (val) => ({ throughput: numericValue(val) }),
        scale: "y",
      },
      {
        eventType: "packet-retransmits",
        summaryType: "aggregation",
        perPointStatistics: false,
        figures: (val) => ({ retransmits: numericValue(val) }),
        scale: "y2",
      },
    ],
  },
  {
    id: "latency",
    title: "One-way latency",
    axis: "one-way delay (ms)",
    unit: "ms",
    sources: [{
      eventType: "histogram-owdelay",
      summaryType: "statistics",
      perPointStatistics: true,
      figures: spread,
      scale: "y",
    }],
  },
  {
    id: "loss",
    title: "Packet loss",
    axis: "packet loss (%)",
    unit: "%",
    sources: [lossSource("packet-loss-rate"), lossSource("packet-loss-rate-bidir", "round trip")],
  },
  {
    id: "rtt",
    title: "Round-trip time",
    axis: "round-trip time (ms)",
    unit: "ms",
    sources: [{
      eventType: "histogram-rtt",
      summaryType: "statistics",
      perPointStatistics: true,
      figures: spread,
      scale: "y",
    }],
  },
];
