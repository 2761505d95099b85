/**
 * Import of the JSON files `esmond-ps-get-bulk -o json` writes (esmond-clients.md §3, §5, §6):
 * rows of `source, destination, event_type, tool, summary_type, summary_window, timestamp`
 * plus the family's columns. Rows are regrouped into points (one per timestamp) and stored in
 * a metadata rebuilt from what the rows carry.
 *
 * @module
 */
import { eventTypeInfo, type FormatFamily } from "../esmond/event_types.ts";
import type { EventTypeSpec, MetadataDescription } from "./metadata_post.ts";
import { metadataChecksum } from "./metadata_post.ts";
import { insertMetadata } from "./metadata_store.ts";
import {
  isPyObject,
  PyNum,
  PyObject,
  type PyValue,
  stringifyPyJsonTree,
} from "../esmond/py_json/mod.ts";
import type { ArchiveDb } from "./schema.ts";
import { putPoint } from "./points_table.ts";
import { ValueError } from "./values.ts";

/** Summary of one imported file. */
export interface ImportResult {
  /** Metadata keys written to. */
  readonly metadataKeys: string[];
  /** Points stored. */
  readonly points: number;
}

function text(row: PyObject, key: string): string {
  const v = row.get(key);
  if (v === undefined) throw new ValueError(`row without ${key}`);
  return typeof v === "string" ? v : stringifyPyJsonTree(v);
}

function parseTimestamp(value: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)/.exec(value);
  if (!m) throw new ValueError(`timestamp ${value} is not YYYY-MM-DD HH:MM:SS`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
}

const STAT_FIELDS: [string, string][] = [
  ["mode", "mode"],
  ["mean", "mean"],
  ["minimum", "min"],
  ["maximum", "max"],
  ["percentile-25", "percentile_25"],
  ["median", "median"],
  ["percentile-75", "percentile_75"],
  ["percentile-95", "percentile_95"],
  ["variance", "variance"],
  ["standard-deviation", "standard_deviation"],
];

function asFloat(v: PyValue | undefined): PyValue {
  if (v instanceof PyNum) return new PyNum(v.value, true);
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) {
    return new PyNum(Number(v), true);
  }
  return v ?? null;
}

// One stored value from the rows sharing a timestamp, per output family.
function pointValue(family: FormatFamily | null, summaryType: string, rows: PyObject[]): PyValue {
  const first = rows[0];
  switch (family) {
    case "numeric":
      return asFloat(first.get("value"));
    case "histogram":
      if (summaryType === "statistics") {
        const stats = new PyObject();
        for (const [key, column] of STAT_FIELDS) {
          let v = first.get(column) ?? null;
          if (key === "mode" && typeof v === "string") {
            v = v.split(",").map((s) => new PyNum(Number(s.trim()), true));
          }
          stats.set(key, Array.isArray(v) ? v.map(asFloat) : asFloat(v));
        }
        return stats;
      }
      return first.get("value") ?? null;
    case "failures":
      return new PyObject([["error", first.get("msg") ?? null]]);
    case "packet_trace":
      return rows.map((r) =>
        new PyObject(
          ["ttl", "query", "success", "ip", "rtt", "mtu", "error_message"].map((k) => [
            k,
            r.get(k) ?? null,
          ]),
        )
      );
    case "subintervals":
      return rows.map((r) =>
        new PyObject([["start", r.get("start") ?? null], ["duration", r.get("duration") ?? null], [
          "val",
          r.get("value") ?? null,
        ]])
      );
    case "number_list":
      return rows.map((r) => r.get("value") ?? null);
    case "subinterval_list": {
      const streams: PyValue[][] = [];
      for (const r of rows) {
        const n = Number(stringifyPyJsonTree(r.get("stream_num") ?? 0));
        (streams[n] ??= []).push(
          new PyObject([["start", r.get("start") ?? null], [
            "duration",
            r.get("duration") ?? null,
          ], ["val", r.get("value") ?? null]]),
        );
      }
      return streams.map((s) => s ?? []);
    }
    default:
      return first.get("value") ?? null;
  }
}

/**
 * Imports parsed get-bulk rows (one file). Re-importing the same file is idempotent: the
 * metadata deduplicates and points at the same second are replaced.
 *
 * @example
 * ```ts
 * import { importBulkRows } from "./bulk_import.ts";
 * // await importBulkRows(db, parsePyJsonTree(await Deno.readTextFile("a_b_throughput_….json")), now);
 * ```
 */
export async function importBulkRows(
  db: ArchiveDb,
  rows: PyValue,
  now: number,
): Promise<ImportResult> {
  if (!Array.isArray(rows)) throw new ValueError("expected a JSON array of rows");
  // group: source/destination/tool/event type → summary → ts → rows
  const groups = new Map<
    string,
    { head: PyObject; series: Map<string, Map<number, PyObject[]>> }
  >();
  for (const row of rows) {
    if (!isPyObject(row)) throw new ValueError("every row must be a JSON object");
    if (row.has("msg") && !row.has("event_type")) continue; // "No data found." marker
    const eventType = text(row, "event_type");
    if (!eventTypeInfo(eventType)) throw new ValueError(`unknown event type ${eventType}`);
    const id = ["source", "destination", "tool", "event_type"].map((k) => text(row, k)).join(
      "\u0000",
    );
    let group = groups.get(id);
    if (!group) groups.set(id, group = { head: row, series: new Map() });
    const summary = `${text(row, "summary_type")}\u0000${text(row, "summary_window")}`;
    let byTs = group.series.get(summary);
    if (!byTs) group.series.set(summary, byTs = new Map());
    const ts = parseTimestamp(text(row, "timestamp"));
    let list = byTs.get(ts);
    if (!list) byTs.set(ts, list = []);
    list.push(row);
  }
  const keys: string[] = [];
  let points = 0;
  for (const { head, series } of groups.values()) {
    const eventType = text(head, "event_type");
    const info = eventTypeInfo(eventType)!;
    const specs: EventTypeSpec[] = [{ eventType, summaryType: "base", summaryWindow: 0 }];
    for (const summary of series.keys()) {
      const [type, window] = summary.split("\u0000");
      if (type !== "base") {
        specs.push({
          eventType,
          summaryType: type as EventTypeSpec["summaryType"],
          summaryWindow: Number(window),
        });
      }
    }
    const desc: MetadataDescription = {
      subjectType: "point-to-point",
      subject: {
        "source": text(head, "source"),
        "destination": text(head, "destination"),
        "measurement-agent": text(head, "source"),
        "tool-name": text(head, "tool"),
        "input-source": text(head, "source"),
        "input-destination": text(head, "destination"),
      },
      parameters: [],
      eventTypes: specs,
    };
    const checksum = await metadataChecksum(desc);
    const { record } = insertMetadata(db, desc, checksum);
    keys.push(record.key);
    for (const [summary, byTs] of series) {
      const [type, window] = summary.split("\u0000");
      const row = record.eventTypes.find((e) =>
        e.eventType === eventType && e.summaryType === (type === "base" ? "base" : type) &&
        e.summaryWindow === (type === "base" ? 0 : Number(window))
      );
      if (!row) continue;
      for (const [ts, tsRows] of byTs) {
        putPoint(db.writer, row.id, ts, stringifyPyJsonTree(pointValue(info.family, type, tsRows)));
        points++;
      }
    }
    db.writer.prepare(
      "UPDATE event_types SET time_updated = ? WHERE metadata_id = ? AND event_type = ?",
    ).run(now, record.id, eventType);
  }
  return { metadataKeys: keys, points };
}
