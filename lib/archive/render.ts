/**
 * The JSON text of metadata, event-type and summary objects (spec §3.1, §3.2). Pure
 * functions; key order is the one esmond emits.
 *
 * @module
 */
import { SUMMARY_PLURALS, type SummaryType } from "../esmond/event_types.ts";
import { SUBJECT_FIELDS } from "./metadata_post.ts";
import type { EventTypeRow, MetadataRecord } from "./metadata_store.ts";

/** Where the archive is mounted, for the URIs in responses. */
export interface Mount {
  /** `scheme://host[:port]` of the request. */
  readonly origin: string;
  /** Path of the archive root with trailing slash, e.g. `/esmond/perfsonar/archive/`. */
  readonly archivePath: string;
}

/** The extra keys of the first object of a metadata page. */
export interface PageInfo {
  /** Total matches over all pages. */
  readonly total: number;
  /** Absolute URL of the previous page, or null. */
  readonly previous: string | null;
  /** Absolute URL of the next page, or null. */
  readonly next: string | null;
}

const q = JSON.stringify;

function obj(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${q(k)}:${v}`).join(",")}}`;
}

/**
 * A summary object (`uri`, `summary-type`, `summary-window` as string, `time-updated`).
 *
 * @example
 * ```ts
 * import { renderSummary } from "./render.ts";
 * import assert from "node:assert/strict";
 * const mount = { origin: "http://127.0.0.1:8000", archivePath: "/esmond/perfsonar/archive/" };
 * const row = { id: 1, eventType: "throughput", summaryType: "average", summaryWindow: 86400, timeUpdated: 7 };
 * assert.deepEqual(JSON.parse(renderSummary(mount, "KEY", row)), {
 *   "uri": "/esmond/perfsonar/archive/KEY/throughput/averages/86400",
 *   "summary-type": "average",
 *   "summary-window": "86400",
 *   "time-updated": 7,
 * });
 * ```
 */
export function renderSummary(mount: Mount, key: string, row: EventTypeRow): string {
  const plural = SUMMARY_PLURALS[row.summaryType as SummaryType] ?? row.summaryType;
  return obj([
    ["uri", q(`${mount.archivePath}${key}/${row.eventType}/${plural}/${row.summaryWindow}`)],
    ["summary-type", q(row.summaryType)],
    ["summary-window", q(String(row.summaryWindow))],
    ["time-updated", q(row.timeUpdated)],
  ]);
}

/**
 * The event-type object of `eventType` from its rows (base row first or anywhere).
 *
 * @example
 * ```ts
 * import { renderEventType } from "./render.ts";
 * import assert from "node:assert/strict";
 * const mount = { origin: "http://127.0.0.1:8000", archivePath: "/esmond/perfsonar/archive/" };
 * const base = { id: 1, eventType: "throughput", summaryType: "base", summaryWindow: 0, timeUpdated: 7 };
 * const et = JSON.parse(renderEventType(mount, "KEY", "throughput", [base]));
 * assert.equal(et["base-uri"], "/esmond/perfsonar/archive/KEY/throughput/base");
 * assert.deepEqual(et.summaries, []);
 * ```
 */
export function renderEventType(
  mount: Mount,
  key: string,
  eventType: string,
  rows: readonly EventTypeRow[],
): string {
  const base = rows.find((r) => r.summaryType === "base");
  const summaries = rows.filter((r) => r.summaryType !== "base").sort((a, b) =>
    a.summaryType < b.summaryType ? -1 : a.summaryType > b.summaryType ? 1 : a.summaryWindow -
      b.summaryWindow
  );
  return obj([
    ["base-uri", q(`${mount.archivePath}${key}/${eventType}/base`)],
    ["event-type", q(eventType)],
    ["time-updated", q(base?.timeUpdated ?? rows[0]?.timeUpdated ?? null)],
    ["summaries", `[${summaries.map((r) => renderSummary(mount, key, r)).join(",")}]`],
  ]);
}

/**
 * The event types of a record grouped by name, sorted by name.
 *
 * @example
 * ```ts
 * import { groupEventTypes } from "./render.ts";
 * import assert from "node:assert/strict";
 * const record = {
 *   id: 1,
 *   key: "KEY",
 *   subjectType: "point-to-point",
 *   subject: { source: "10.0.0.1", destination: "10.0.0.2" },
 *   parameters: [],
 *   eventTypes: [
 *     { id: 1, eventType: "throughput", summaryType: "base", summaryWindow: 0, timeUpdated: 7 },
 *     { id: 2, eventType: "failures", summaryType: "base", summaryWindow: 0, timeUpdated: 7 },
 *   ],
 * };
 * assert.deepEqual([...groupEventTypes(record).keys()], ["failures", "throughput"]);
 * ```
 */
export function groupEventTypes(record: MetadataRecord): Map<string, EventTypeRow[]> {
  const groups = new Map<string, EventTypeRow[]>();
  const names = [...new Set(record.eventTypes.map((r) => r.eventType))].sort();
  for (const name of names) groups.set(name, record.eventTypes.filter((r) => r.eventType === name));
  return groups;
}

/**
 * The metadata object, with the paging keys when `page` is given.
 *
 * @example
 * ```ts
 * import { renderMetadata } from "./render.ts";
 * import assert from "node:assert/strict";
 * const mount = { origin: "http://127.0.0.1:8000", archivePath: "/esmond/perfsonar/archive/" };
 * const record = {
 *   id: 1,
 *   key: "KEY",
 *   subjectType: "point-to-point",
 *   subject: { source: "10.0.0.1", destination: "10.0.0.2" },
 *   parameters: [],
 *   eventTypes: [
 *     { id: 1, eventType: "throughput", summaryType: "base", summaryWindow: 0, timeUpdated: 7 },
 *     { id: 2, eventType: "failures", summaryType: "base", summaryWindow: 0, timeUpdated: 7 },
 *   ],
 * };
 * const page = JSON.parse(renderMetadata(mount, record, { total: 1, previous: null, next: null }));
 * assert.equal(page["metadata-key"], "KEY");
 * assert.equal(page["metadata-count-total"], 1);
 * ```
 */
export function renderMetadata(mount: Mount, record: MetadataRecord, page?: PageInfo): string {
  let byMount = rendered.get(record);
  if (!byMount) rendered.set(record, byMount = new Map());
  const mountKey = `${mount.origin} ${mount.archivePath}`;
  let text = byMount.get(mountKey);
  if (text === undefined) byMount.set(mountKey, text = renderPlain(mount, record));
  if (!page) return text;
  return `${text.slice(0, -1)},"metadata-count-total":${q(page.total)},` +
    `"metadata-previous-page":${q(page.previous)},"metadata-next-page":${q(page.next)}}`;
}

// Records are immutable snapshots (replaced on every write), so their text can be kept.
const rendered = new WeakMap<MetadataRecord, Map<string, string>>();

function renderPlain(mount: Mount, record: MetadataRecord): string {
  const path = `${mount.archivePath}${record.key}/`;
  const entries: [string, string][] = [
    ["url", q(`${mount.origin}${path}`)],
    ["metadata-key", q(record.key)],
    ["subject-type", q(record.subjectType)],
    [
      "event-types",
      `[${
        [...groupEventTypes(record)].map(([name, rows]) =>
          renderEventType(mount, record.key, name, rows)
        ).join(",")
      }]`,
    ],
  ];
  for (const field of SUBJECT_FIELDS) {
    const value = record.subject[field];
    if (value !== undefined) entries.push([field, q(value)]);
  }
  for (const [k, v] of record.parameters) entries.push([k, q(v)]);
  entries.push(["uri", q(path)]);
  return obj(entries);
}
