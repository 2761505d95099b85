/**
 * Row builders for time-series data, one per output family of the original tools (clients
 * spec §3 and §5), plus raw-JSON rows for event types the originals had no layout for.
 * Pure functions: a point in, its rows out.
 *
 * @module
 */
import type { FormatFamily } from "../../lib/esmond/event_types.ts";
import { PyFloat, RawJson } from "./py_text.ts";
import type { Row } from "./renderers.ts";
import { formatTimestamp } from "./timestamp.ts";

/** The prefix columns of every data row. */
export const PREFIX_COLUMNS: readonly string[] = Object.freeze([
  "source",
  "destination",
  "event_type",
  "tool",
  "summary_type",
  "summary_window",
  "timestamp",
]);

/** The hop fields of a packet trace. */
export const HOP_COLUMNS: readonly string[] = Object.freeze([
  "ttl",
  "query",
  "success",
  "ip",
  "rtt",
  "mtu",
  "error_message",
]);

const STATISTICS_COLUMNS: ReadonlyArray<[string, string]> = [
  ["min", "minimum"],
  ["median", "median"],
  ["max", "maximum"],
  ["mean", "mean"],
  ["mode", "mode"],
  ["standard_deviation", "standard-deviation"],
  ["variance", "variance"],
  ["percentile_25", "percentile-25"],
  ["percentile_75", "percentile-75"],
  ["percentile_95", "percentile-95"],
];

const FAMILY_COLUMNS: Readonly<Record<FormatFamily | "raw", readonly string[]>> = {
  numeric: ["value"],
  histogram: ["bucket", "value"],
  failures: ["msg"],
  packet_trace: HOP_COLUMNS,
  subintervals: ["start", "duration", "value"],
  number_list: ["stream_num", "value"],
  subinterval_list: ["stream_num", "start", "duration", "value"],
  raw: ["value"],
};

/** What is the same for every row of one series. */
export interface SeriesContext {
  /** Source, already converted to a host name unless `--ip`. */
  readonly source: string | null;
  /** Destination, likewise. */
  readonly destination: string | null;
  /** The event-type name. */
  readonly eventType: string;
  /** The metadata's `tool-name`. */
  readonly tool: string | null;
  /** `base` or the `-T` text. */
  readonly summaryType: string;
  /** The `-W` integer (0 when not given). */
  readonly summaryWindow: number;
  /** The metadata's `sample-bucket-width` (histograms), or null. */
  readonly bucketWidth: string | null;
  /** The output family, or null for event types without one (raw JSON rows). */
  readonly family: FormatFamily | null;
  /** Histogram rows show the statistics columns (`-T statistics`). */
  readonly statistics: boolean;
  /** Packet traces in the human layout: a header block, then one block per hop. */
  readonly humanTrace: boolean;
  /** Host-name conversion for hop addresses (identity with `--ip`). */
  readonly hostName: (address: string) => string;
}

/** One point as the client library yields it. */
export interface PointLike {
  /** Seconds since the epoch. */
  readonly tsEpoch: number;
  /** The value. */
  readonly val: unknown;
  /** Whether a numeric `val` was written as a float. */
  readonly valIsFloat?: boolean;
}

/**
 * The columns of a series' rows (null: each row's own keys, for human packet traces).
 *
 * @example
 * ```ts
 * import { seriesColumns } from "./data_rows.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(seriesColumns({ family: "numeric", statistics: false, humanTrace: false })?.at(-1), "value");
 * ```
 */
export function seriesColumns(
  context: Pick<SeriesContext, "family" | "statistics" | "humanTrace">,
): readonly string[] | null {
  if (context.family === "packet_trace" && context.humanTrace) return null;
  if (context.family === "histogram" && context.statistics) {
    return [...PREFIX_COLUMNS, ...STATISTICS_COLUMNS.map(([column]) => column)];
  }
  return [...PREFIX_COLUMNS, ...FAMILY_COLUMNS[context.family ?? "raw"]];
}

function prefix(context: SeriesContext, point: PointLike): Row {
  return {
    source: context.source,
    destination: context.destination,
    event_type: context.eventType,
    tool: context.tool,
    summary_type: context.summaryType,
    summary_window: context.summaryWindow,
    timestamp: formatTimestamp(point.tsEpoch),
  };
}

function field(value: unknown, key: string): unknown {
  if (value instanceof Map) return value.get(key) ?? null;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  return (value as Record<string, unknown>)[key] ?? null;
}

function topValue(point: PointLike): unknown {
  const val = point.val ?? null;
  if (typeof val === "number" && point.valIsFloat && Number.isInteger(val)) {
    return new PyFloat(val);
  }
  return val;
}

function hopRows(context: SeriesContext, point: PointLike): Row[] {
  const hops = Array.isArray(point.val) ? point.val : [];
  const rows: Row[] = [];
  const head = prefix(context, point);
  if (context.humanTrace) rows.push(head);
  for (const hop of hops) {
    const row: Row = context.humanTrace ? {} : { ...head };
    for (const key of HOP_COLUMNS) {
      const value = field(hop, key);
      row[key] = key === "ip" && typeof value === "string" ? context.hostName(value) : value;
    }
    rows.push(row);
  }
  return rows;
}

function itemRows(head: Row, items: unknown, extra: Row = {}): Row[] {
  if (!Array.isArray(items)) return [];
  return items.map((item) => ({
    ...head,
    ...extra,
    start: field(item, "start"),
    duration: field(item, "duration"),
    value: field(item, "val"),
  }));
}

/**
 * The rows of one point for the series described by `context`.
 *
 * @example
 * ```ts
 * import { pointRows } from "./data_rows.ts";
 * import assert from "node:assert/strict";
 * const rows = pointRows({
 *   source: "a", destination: "b", eventType: "throughput", tool: "bwctl/iperf3",
 *   summaryType: "base", summaryWindow: 0, bucketWidth: null, family: "numeric",
 *   statistics: false, humanTrace: false, hostName: (a) => a,
 * }, { tsEpoch: 1391563070, val: 5524593445, valIsFloat: true });
 * assert.deepEqual(rows[0].timestamp, "2014-02-05 01:17:50");
 * ```
 */
export function pointRows(context: SeriesContext, point: PointLike): Row[] {
  const head = prefix(context, point);
  switch (context.family) {
    // The two bulk families extend `head` in place: a copy per point is measurable garbage.
    case "numeric":
      head.value = topValue(point);
      return [head];
    case "histogram":
      if (context.statistics) {
        const stats: Row = { ...head };
        for (const [column, key] of STATISTICS_COLUMNS) stats[column] = field(point.val, key);
        return [stats];
      }
      head.bucket = context.bucketWidth;
      head.value = point.val ?? null;
      return [head];
    case "failures":
      return [{ ...head, msg: field(point.val, "error") }];
    case "packet_trace":
      return hopRows(context, point);
    case "subintervals":
      return itemRows(head, point.val);
    case "number_list":
      return Array.isArray(point.val)
        ? point.val.map((value, index) => ({ ...head, stream_num: index, value }))
        : [];
    case "subinterval_list":
      return Array.isArray(point.val)
        ? point.val.flatMap((items, index) => itemRows(head, items, { stream_num: index }))
        : [];
    case null:
      return [{ ...head, value: new RawJson(topValue(point)) }];
  }
}
