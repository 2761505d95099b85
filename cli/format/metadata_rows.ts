/**
 * Rows of `esmond-ps-get-endpoints` and `esmond-ps-get-metadata` (clients spec §4), built from
 * the metadata objects as the archive sent them. Pure functions.
 *
 * @module
 */
import { ADDRESS_FIELDS } from "../../lib/esmond/subject.ts";
import type { Row } from "./renderers.ts";

/** Columns of `esmond-ps-get-endpoints`. */
export const ENDPOINT_COLUMNS: readonly string[] = Object.freeze([
  "source",
  "destination",
  "measurement_agent",
  "tool_name",
  "event_type",
]);

/** Columns of `esmond-ps-get-metadata` (also the first lines of a `-M` human block). */
export const METADATA_COLUMNS: readonly string[] = Object.freeze([
  "source",
  "destination",
  "measurement_agent",
  "input_source",
  "input_destination",
  "tool_name",
]);

/** The keys whose values are addresses converted to host names unless `--ip`. */
export const HOST_KEYS: readonly string[] = Object.freeze([
  "source",
  "destination",
  "measurement_agent",
  "ip",
]);

const EXTENDED_DROPPED = new Set(["event-types", "uri", "metadata-key"]);

/** Converts an address to a host name (identity with `--ip`). */
export type HostName = (address: string) => string;

function hostValue(key: string, value: unknown, hostName: HostName): unknown {
  return HOST_KEYS.includes(key) && typeof value === "string" ? hostName(value) : value;
}

function eventTypeNames(raw: Record<string, unknown>): string[] {
  const list = raw["event-types"];
  if (!Array.isArray(list)) return [];
  return list.map((entry) => (entry as Record<string, unknown>)?.["event-type"])
    .filter((name): name is string => typeof name === "string");
}

/**
 * The `esmond-ps-get-endpoints` row of one metadata object.
 *
 * @example
 * ```ts
 * import { endpointRow } from "./metadata_rows.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   endpointRow({ source: "a", "event-types": [{ "event-type": "failures" }] }, (a) => a).event_type,
 *   ["failures"],
 * );
 * ```
 */
export function endpointRow(raw: Record<string, unknown>, hostName: HostName): Row {
  return {
    source: hostValue("source", raw["source"] ?? null, hostName),
    destination: hostValue("destination", raw["destination"] ?? null, hostName),
    measurement_agent: hostValue("measurement_agent", raw["measurement-agent"] ?? null, hostName),
    tool_name: raw["tool-name"] ?? null,
    event_type: eventTypeNames(raw),
  };
}

/**
 * The `esmond-ps-get-metadata` row of one metadata object: the six common fields, or with
 * `extended` every field but `event-types`, `uri` and `metadata-key`, dashes turned into
 * underscores, sorted by key.
 *
 * @example
 * ```ts
 * import { metadataRow } from "./metadata_rows.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(Object.keys(metadataRow({ "tool-name": "x", "time-duration": "20" }, (a) => a, true)), ["time_duration", "tool_name"]);
 * ```
 */
export function metadataRow(
  raw: Record<string, unknown>,
  hostName: HostName,
  extended = false,
): Row {
  if (!extended) {
    const row: Row = {};
    for (const column of METADATA_COLUMNS) {
      row[column] = hostValue(column, raw[column.replaceAll("_", "-")] ?? null, hostName);
    }
    return row;
  }
  const entries = Object.entries(raw)
    .filter(([key]) => !EXTENDED_DROPPED.has(key))
    .map(([key, value]): [string, unknown] => {
      const column = key.replaceAll("-", "_");
      return [column, hostValue(column, value, hostName)];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/**
 * Every address in a metadata object that a row may show, for resolving them ahead.
 *
 * @example
 * ```ts
 * import { metadataAddresses } from "./metadata_rows.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(metadataAddresses({ source: "10.0.0.1", "measurement-agent": "10.0.0.2" }), ["10.0.0.1", "10.0.0.2"]);
 * ```
 */
export function metadataAddresses(raw: Record<string, unknown>): string[] {
  return ADDRESS_FIELDS
    .map((key) => raw[key])
    .filter((value): value is string => typeof value === "string");
}
