/**
 * Test helper: every base series an esmond source serves, read again through the OpenSearch
 * backend of the esmond tools (lib/opensearch's `OpenSearchSource`) under the same esmond key,
 * compared point by point (`ts` and value, numbers compared as numbers).
 *
 * @module
 */
import { ApiFilters, type ArchiveSource, type DataPoint } from "../../lib/esmond/mod.ts";
import { OpenSearchSource } from "../../lib/opensearch/mod.ts";
import { plain } from "../../lib/pscheduler/esmond_run_result.ts";
import { canonicalJson } from "../../lib/pscheduler/mod.ts";

/** Per event type: points compared and points that differ (with a first example). */
export interface RoundTrip {
  /**
   * event type → { points, missing (not served again), different, example }, base points;
   * the summaries of the original metadata under `<event type>/<summary type>/<window>`.
   */
  readonly byEventType: Map<
    string,
    { points: number; missing: number; different: number; example?: string }
  >;
  /** esmond keys the OpenSearch backend does not list. */
  readonly missingKeys: string[];
  /** Metadata fields (links and times left out) served differently: `key field: a → b`. */
  readonly metadataDifferences: string[];
}

// A metadata without its links and update times (the two archives differ in both by design).
function description(md: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md)) {
    if (
      ["url", "uri", "metadata-count-total", "metadata-previous-page", "metadata-next-page"]
        .includes(k)
    ) continue;
    if (k !== "event-types") {
      out[k] = JSON.stringify(v);
      continue;
    }
    out[k] = JSON.stringify(
      (v as Record<string, unknown>[]).map((et) => [
        et["event-type"],
        (et.summaries as Record<string, unknown>[]).map((s) =>
          `${s["summary-type"]}/${s["summary-window"]}`
        ),
      ]),
    );
  }
  return out;
}

// Trace hops: numbers written as text (`"ttl": "1"`, as some esmond writers stored them)
// compare as numbers, to 15 significant digits, and keys with a null value as absent.
function lenient(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lenient);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== null) out[k.replaceAll("_", "-")] = lenient(v);
    }
    return out;
  }
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return lenient(Number(value));
  }
  // Hop rtts travel as ISO seconds in the document: ms → s → ms may move the 16th digit.
  if (typeof value === "number") return Number(value.toPrecision(15));
  return value;
}

function normal(value: unknown, eventType: string): string {
  const v = plain(value);
  // Key order is not part of an esmond value.
  return canonicalJson(eventType.startsWith("packet-trace") ? lenient(v) : v);
}

/**
 * The points of `pages` by `ts`, each value normalised for comparison (key order aside;
 * packet-trace hops leniently, see the module).
 */
export async function collect(
  pages: AsyncIterable<DataPoint[]>,
  eventType: string,
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for await (const page of pages) {
    for (const p of page) out.set(p.tsEpoch, normal(p.val, eventType));
  }
  return out;
}

/**
 * Compares `original` with what the OpenSearch node at `url` serves.
 *
 * @example
 * ```ts
 * import { roundTrip } from "./round_trip.ts";
 * // const result = await roundTrip(esmondSource, "http://127.0.0.1:9200");
 * ```
 */
export async function roundTrip(original: ArchiveSource, url: string): Promise<RoundTrip> {
  const migrated = new OpenSearchSource({ url });
  const all = new ApiFilters({ timeStart: 0, timeEnd: Math.floor(Date.now() / 1000) + 86400 });
  const listed = new Map<string, Record<string, unknown>>();
  for await (const md of migrated.listMetadata(all, { withTime: false })) {
    listed.set(String(md["metadata-key"]), md);
  }
  const byEventType: RoundTrip["byEventType"] = new Map();
  const missingKeys: string[] = [];
  const metadataDifferences: string[] = [];
  try {
    for await (const md of original.listMetadata(all, { withTime: false })) {
      const key = String(md["metadata-key"]);
      const again = listed.get(key);
      if (!again) missingKeys.push(key);
      else {
        const [a, b] = [description(md), description(again)];
        for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
          if (a[field] !== b[field]) {
            metadataDifferences.push(`${key} ${field}: ${a[field]} → ${b[field]}`);
          }
        }
      }
      for (const et of md["event-types"] as Record<string, unknown>[]) {
        const eventType = String(et["event-type"]);
        const rows = [
          { name: eventType, type: "base", window: "0", uri: String(et["base-uri"] ?? "") },
          ...(et.summaries as Record<string, unknown>[]).map((s) => ({
            name: `${eventType}/${s["summary-type"]}/${s["summary-window"]}`,
            type: String(s["summary-type"]),
            window: String(s["summary-window"]),
            uri: String(s.uri ?? ""),
          })),
        ];
        for (const row of rows) {
          const ref = {
            metadataKey: key,
            uri: row.uri,
            eventType,
            summaryType: row.type,
            summaryWindow: row.window,
          };
          const before = await collect(original.readSeries(ref, all), eventType);
          const after = again
            ? await collect(migrated.readSeries({ ...ref, uri: "" }, all), eventType)
            : new Map();
          const entry = byEventType.get(row.name) ?? { points: 0, missing: 0, different: 0 };
          for (const [ts, val] of before) {
            entry.points++;
            const served = after.get(ts);
            if (served === undefined) entry.missing++;
            else if (served !== val) {
              entry.different++;
              entry.example ??= `${key}@${ts}: ${val.slice(0, 200)} → ${served.slice(0, 200)}`;
            }
          }
          byEventType.set(row.name, entry);
        }
      }
    }
  } finally {
    migrated.close();
  }
  return { byEventType, missingKeys, metadataDifferences };
}
