/**
 * esmond's metadata search filters (the SQLite store's `searchMetadata` rules) applied to a
 * derived record in memory. Pure.
 *
 * @module
 */
import { canonicalAddress } from "../archive/ip.ts";
import type { MetadataQuery, MetadataRecord } from "../archive/metadata_store.ts";

function inList(value: string | undefined, list: readonly string[] | undefined): boolean {
  if (list === undefined) return true;
  return value !== undefined && list.includes(canonicalAddress(value));
}

/**
 * Whether `record` matches every filter of `query`: addresses against the canonical lists,
 * exact subject fields, one event-type row satisfying the event/summary/time filters together,
 * and every free-form parameter pair.
 *
 * @example
 * ```ts
 * import { matchesQuery } from "./metadata_filter.ts";
 * import { strictEqual } from "node:assert/strict";
 * const record = { id: 0, key: "k", subjectType: "point-to-point", subject: { "tool-name": "t" },
 *   parameters: [], eventTypes: [] };
 * strictEqual(matchesQuery(record, { toolName: "t" }), true);
 * strictEqual(matchesQuery(record, { eventType: "throughput" }), false);
 * ```
 */
export function matchesQuery(record: MetadataRecord, query: MetadataQuery): boolean {
  const s = record.subject;
  if (!inList(s.source, query.source)) return false;
  if (!inList(s.destination, query.destination)) return false;
  if (!inList(s["measurement-agent"], query.measurementAgent)) return false;
  const exact: [string | undefined, string | undefined][] = [
    [s["tool-name"], query.toolName],
    [s["input-source"], query.inputSource],
    [s["input-destination"], query.inputDestination],
    [record.subjectType, query.subjectType],
    [record.key, query.metadataKey],
  ];
  for (const [have, want] of exact) if (want !== undefined && have !== want) return false;
  const rowFilter = query.eventType !== undefined || query.summaryType !== undefined ||
    query.summaryWindow !== undefined || query.time !== undefined;
  if (rowFilter) {
    const t = query.time;
    const ok = record.eventTypes.some((e) =>
      (query.eventType === undefined || e.eventType === query.eventType) &&
      (query.summaryType === undefined || e.summaryType === query.summaryType) &&
      (query.summaryWindow === undefined || e.summaryWindow === query.summaryWindow) &&
      (t === undefined ||
        (e.timeUpdated !== null && e.timeUpdated >= t.begin &&
          (t.end === null || e.timeUpdated <= t.end)))
    );
    if (!ok) return false;
  }
  for (const [k, v] of query.parameters ?? []) {
    if (!record.parameters.some(([pk, pv]) => pk === k && pv === v)) return false;
  }
  return true;
}
