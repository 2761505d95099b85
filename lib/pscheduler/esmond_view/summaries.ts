/**
 * The summaries the esmond archiver registers with each event type: pScheduler's defaults, or
 * the archiver data's own list grouped by event type.
 *
 * @module
 */
import type { EsmondSummary } from "./types.ts";

const ONE_DAY = 86400;
const s = (window: number, eventType: string, type: string): EsmondSummary => ({
  "summary-window": window,
  "event-type": eventType,
  "summary-type": type,
});
const agg = (et: string, windows: number[]) => windows.map((w) => s(w, et, "aggregation"));

/** pScheduler's `DEFAULT_SUMMARIES`. */
export const DEFAULT_ESMOND_SUMMARIES: Readonly<Record<string, readonly EsmondSummary[]>> = {
  "throughput": [s(ONE_DAY, "throughput", "average")],
  "packet-loss-rate": agg("packet-loss-rate", [300, 3600, ONE_DAY]),
  "packet-count-sent": agg("packet-count-sent", [300, 3600, ONE_DAY]),
  "packet-count-lost": agg("packet-count-lost", [300, 3600, ONE_DAY]),
  "packet-count-lost-bidir": agg("packet-count-lost-bidir", [300, 3600, ONE_DAY]),
  "histogram-owdelay": [
    s(300, "histogram-owdelay", "aggregation"),
    s(300, "histogram-owdelay", "statistics"),
    s(3600, "histogram-owdelay", "aggregation"),
    s(0, "histogram-owdelay", "statistics"),
    s(3600, "histogram-owdelay", "statistics"),
    s(ONE_DAY, "histogram-owdelay", "aggregation"),
    s(ONE_DAY, "histogram-owdelay", "statistics"),
  ],
  "packet-loss-rate-bidir": agg("packet-loss-rate-bidir", [3600, ONE_DAY]),
  "histogram-rtt": [
    s(0, "histogram-rtt", "statistics"),
    s(3600, "histogram-rtt", "aggregation"),
    s(3600, "histogram-rtt", "statistics"),
    s(ONE_DAY, "histogram-rtt", "aggregation"),
    s(ONE_DAY, "histogram-rtt", "statistics"),
  ],
};

/** The archiver data's `summaries` by event type; the defaults when there are none. */
export function groupSummaries(
  list: readonly EsmondSummary[] | undefined,
): Readonly<Record<string, readonly EsmondSummary[]>> {
  if (!list || list.length === 0) return DEFAULT_ESMOND_SUMMARIES;
  const map: Record<string, EsmondSummary[]> = {};
  for (const summary of list) {
    const et = summary["event-type"];
    if (typeof et !== "string") continue;
    (map[et] ??= []).push(summary);
  }
  return map;
}
