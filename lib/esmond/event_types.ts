/**
 * The one registry of esmond event types: name → data type → output format family → the
 * summaries the archive may compute. The client library, the CLI tools and the embedded archive
 * all read this list.
 *
 * @module
 */

/** How the archive stores and validates the values of an event type. */
export type DataType = "integer" | "float" | "percentage" | "histogram" | "subinterval" | "json";

/** The server-computed rollups, in their singular (JSON body) spelling. */
export type SummaryType = "aggregation" | "average" | "statistics";

/** The output layout the query tools use for an event type. */
export type FormatFamily =
  | "numeric"
  | "histogram"
  | "failures"
  | "packet_trace"
  | "subintervals"
  | "number_list"
  | "subinterval_list";

/** What the project knows about one event type. */
export interface EventTypeInfo {
  /** The event-type name, e.g. `throughput`. */
  readonly name: string;
  /** How values are stored and validated. */
  readonly dataType: DataType;
  /** The summaries the archive accepts for it. */
  readonly summaries: readonly SummaryType[];
  /**
   * The output family of the original query tools, or null for the types they refuse
   * (our tools export those as raw JSON rows).
   */
  readonly family: FormatFamily | null;
}

const NUMBER_SUMMARIES: readonly SummaryType[] = ["aggregation", "average"];
const HISTOGRAM_SUMMARIES: readonly SummaryType[] = ["aggregation", "statistics"];
const PERCENTAGE_SUMMARIES: readonly SummaryType[] = ["aggregation"];
const NONE: readonly SummaryType[] = [];

function entry(name: string, dataType: DataType, family: FormatFamily | null): EventTypeInfo {
  const summaries = dataType === "integer" || dataType === "float"
    ? NUMBER_SUMMARIES
    : dataType === "histogram"
    ? HISTOGRAM_SUMMARIES
    : dataType === "percentage"
    ? PERCENTAGE_SUMMARIES
    : NONE;
  return Object.freeze({ name, dataType, summaries, family });
}

/**
 * The 33 event types the original query tools know, in their `--list-events` order.
 * Every one is also in {@linkcode EVENT_TYPES}.
 */
const CLIENT_EVENT_TYPES: readonly EventTypeInfo[] = [
  entry("failures", "json", "failures"),
  entry("histogram-owdelay", "histogram", "histogram"),
  entry("histogram-rtt", "histogram", "histogram"),
  entry("histogram-ttl", "histogram", "histogram"),
  entry("histogram-ttl-reverse", "histogram", "histogram"),
  entry("ntp-delay", "float", "numeric"),
  entry("ntp-dispersion", "float", "numeric"),
  entry("ntp-jitter", "float", "numeric"),
  entry("ntp-offset", "float", "numeric"),
  entry("ntp-polling-interval", "float", "numeric"),
  entry("ntp-reach", "integer", "numeric"),
  entry("ntp-stratum", "integer", "numeric"),
  entry("ntp-wander", "float", "numeric"),
  entry("packet-duplicates", "integer", "numeric"),
  entry("packet-duplicates-bidir", "integer", "numeric"),
  entry("packet-loss-rate", "percentage", "numeric"),
  entry("packet-loss-rate-bidir", "percentage", "numeric"),
  entry("packet-trace", "json", "packet_trace"),
  entry("packet-count-lost", "integer", "numeric"),
  entry("packet-count-lost-bidir", "integer", "numeric"),
  entry("packet-count-sent", "integer", "numeric"),
  entry("packet-reorders", "integer", "numeric"),
  entry("packet-reorders-bidir", "integer", "numeric"),
  entry("packet-retransmits", "integer", "numeric"),
  entry("packet-retransmits-subintervals", "subinterval", "subintervals"),
  entry("path-mtu", "integer", "numeric"),
  entry("streams-packet-retransmits", "json", "number_list"),
  entry("streams-packet-retransmits-subintervals", "json", "subinterval_list"),
  entry("streams-throughput", "json", "number_list"),
  entry("streams-throughput-subintervals", "json", "subinterval_list"),
  entry("throughput", "integer", "numeric"),
  entry("throughput-subintervals", "subinterval", "subintervals"),
  entry("time-error-estimates", "float", "numeric"),
];

/** The 16 event types the archive knows but the original query tools refuse. */
const ARCHIVE_ONLY_EVENT_TYPES: readonly EventTypeInfo[] = [
  entry("iostat", "json", null),
  entry("mpstat", "json", null),
  entry("packet-rtt", "integer", null),
  entry("packet-rtt-subintervals", "subinterval", null),
  entry("packet-trace-multi", "json", null),
  entry("pscheduler-raw", "json", null),
  entry("pscheduler-run-href", "json", null),
  entry("rusage", "json", null),
  entry("streams-packet-rtt", "json", null),
  entry("streams-packet-rtt-subintervals", "json", null),
  entry("streams-tcp-windowsize", "json", null),
  entry("streams-tcp-windowsize-subintervals", "json", null),
  entry("streams-tcpinfo", "json", null),
  entry("tcp-windowsize", "integer", null),
  entry("tcp-windowsize-subintervals", "subinterval", null),
  entry("tcpinfo", "json", null),
];

/**
 * All 49 event types the esmond archive accepts, sorted by name.
 *
 * @example
 * ```ts
 * import { EVENT_TYPES } from "./event_types.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(EVENT_TYPES.length, 49);
 * ```
 */
export const EVENT_TYPES: readonly EventTypeInfo[] = Object.freeze(
  [...CLIENT_EVENT_TYPES, ...ARCHIVE_ONLY_EVENT_TYPES].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  ),
);

/**
 * The event-type names the original query tools accept with `-e`, in their `-L` order.
 *
 * @example
 * ```ts
 * import { CLIENT_EVENT_TYPE_NAMES } from "./event_types.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(CLIENT_EVENT_TYPE_NAMES[0], "failures");
 * ```
 */
export const CLIENT_EVENT_TYPE_NAMES: readonly string[] = Object.freeze(
  CLIENT_EVENT_TYPES.map((info) => info.name),
);

const BY_NAME: ReadonlyMap<string, EventTypeInfo> = new Map(
  EVENT_TYPES.map((info) => [info.name, info]),
);

/**
 * The registry entry for `name`, or undefined when the archive does not know it.
 *
 * @example
 * ```ts
 * import { eventTypeInfo } from "./event_types.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(eventTypeInfo("throughput")?.dataType, "integer");
 * assert.deepEqual(eventTypeInfo("pscheduler-raw")?.family, null);
 * ```
 */
export function eventTypeInfo(name: string): EventTypeInfo | undefined {
  return BY_NAME.get(name);
}

/**
 * Whether the archive accepts `summary` for event type `name`.
 *
 * @example
 * ```ts
 * import { allowsSummary } from "./event_types.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(allowsSummary("histogram-owdelay", "statistics"), true);
 * assert.deepEqual(allowsSummary("throughput", "statistics"), false);
 * ```
 */
export function allowsSummary(name: string, summary: SummaryType): boolean {
  return BY_NAME.get(name)?.summaries.includes(summary) ?? false;
}

/** URL spelling (plural) of each summary type, as in `.../averages/3600`. */
export const SUMMARY_PLURALS: Readonly<Record<SummaryType, string>> = Object.freeze({
  aggregation: "aggregations",
  average: "averages",
  statistics: "statistics",
});

/**
 * The summary type for a URL plural (`averages` → `average`), or undefined.
 *
 * @example
 * ```ts
 * import { summaryTypeFromPlural } from "./event_types.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(summaryTypeFromPlural("aggregations"), "aggregation");
 * ```
 */
export function summaryTypeFromPlural(plural: string): SummaryType | undefined {
  for (const [type, spelled] of Object.entries(SUMMARY_PLURALS)) {
    if (spelled === plural) return type as SummaryType;
  }
  return undefined;
}
