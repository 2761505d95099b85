/**
 * Loaders for esmond's own test data (see `testdata/esmond/README.md` in the repository): Django `loaddata`
 * dumps of the metadata tables and Cassandra row dumps of the time series. Both are stored
 * as they are (keys, `time_updated`, stored summary points), not re-derived.
 *
 * @module
 */
import { eventTypeInfo } from "../esmond/event_types.ts";
import type { EventTypeSpec, MetadataDescription, SubjectField } from "./metadata_post.ts";
import { metadataChecksum } from "./metadata_post.ts";
import { findMetadataByKey, insertMetadata } from "./metadata_store.ts";
import {
  isPyObject,
  type PyObject,
  type PyValue,
  stringifyPyJsonTree,
} from "../esmond/py_json/mod.ts";
import type { ArchiveDb } from "./schema.ts";
import { baseRender, putPoint } from "./points_table.ts";
import { validateValue } from "./values.ts";

interface DjangoRow {
  pk: number;
  model: string;
  fields: Record<string, unknown>;
}

/**
 * Whether parsed JSON looks like a Django fixture dump (`[{pk, model, fields}, …]`).
 *
 * @example
 * ```ts
 * import { isDjangoFixture } from "./fixtures.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(isDjangoFixture([{ pk: 1, model: "api.psmetadata", fields: {} }]), true);
 * ```
 */
export function isDjangoFixture(data: unknown): boolean {
  return Array.isArray(data) && data.length > 0 &&
    data.every((r) => r && typeof r === "object" && "model" in r && "fields" in r);
}

/**
 * Whether parsed JSON looks like a Cassandra row dump (`[{path, ts, val}, …]`).
 *
 * @example
 * ```ts
 * import { isCassandraDump } from "./fixtures.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(isCassandraDump([{ path: ["ps", "throughput", "K"], ts: 1000, val: 1 }]), true);
 * ```
 */
export function isCassandraDump(data: unknown): boolean {
  return Array.isArray(data) && data.length > 0 &&
    data.every((r) => r && typeof r === "object" && Array.isArray(r.path) && "ts" in r);
}

const SUBJECT_COLUMNS: Record<string, SubjectField> = {
  source: "source",
  destination: "destination",
  measurement_agent: "measurement-agent",
  tool_name: "tool-name",
  input_source: "input-source",
  input_destination: "input-destination",
};

/**
 * Loads a Django fixture dump of the perfSONAR metadata tables; returns the keys loaded.
 * Metadata already present (same key) are left alone.
 *
 * @example
 * ```ts
 * import { loadDjangoFixture } from "./fixtures.ts";
 * // await loadDjangoFixture(db, JSON.parse(text));
 * ```
 */
export async function loadDjangoFixture(db: ArchiveDb, rows: DjangoRow[]): Promise<string[]> {
  const byPk = new Map<number, {
    key: string;
    subjectType: string;
    subject: Partial<Record<SubjectField, string>>;
    parameters: [string, string][];
    eventTypes: EventTypeSpec[];
    updated: Map<string, number | null>;
  }>();
  for (const row of rows) {
    if (row.model === "api.psmetadata") {
      byPk.set(row.pk, {
        key: String(row.fields.metadata_key),
        subjectType: String(row.fields.subject_type),
        subject: {},
        parameters: [],
        eventTypes: [],
        updated: new Map(),
      });
    }
  }
  for (const row of rows) {
    const md = byPk.get(Number(row.fields.metadata));
    if (!md) continue;
    const f = row.fields;
    if (row.model === "api.pspointtopointsubject" || row.model === "api.psnetworkelementsubject") {
      for (const [column, field] of Object.entries(SUBJECT_COLUMNS)) {
        if (typeof f[column] === "string") md.subject[field] = f[column] as string;
      }
    } else if (row.model === "api.psmetadataparameters") {
      md.parameters.push([String(f.parameter_key), String(f.parameter_value)]);
    } else if (row.model === "api.pseventtypes") {
      const spec: EventTypeSpec = {
        eventType: String(f.event_type),
        summaryType: String(f.summary_type) as EventTypeSpec["summaryType"],
        summaryWindow: Number(f.summary_window),
      };
      md.eventTypes.push(spec);
      const updated = f.time_updated ? Math.floor(Date.parse(String(f.time_updated)) / 1000) : null;
      md.updated.set(`${spec.eventType}:${spec.summaryType}:${spec.summaryWindow}`, updated);
    }
  }
  const loaded: string[] = [];
  for (const md of byPk.values()) {
    if (findMetadataByKey(db.writer, md.key)) continue;
    const desc: MetadataDescription = {
      subjectType: md.subjectType,
      subject: md.subject,
      parameters: md.parameters,
      eventTypes: md.eventTypes,
    };
    const checksum = await metadataChecksum(desc);
    insertMetadata(db, desc, checksum, md.key, md.updated);
    loaded.push(md.key);
  }
  return loaded;
}

/**
 * Loads a Cassandra row dump (`path` = `["ps", type_with_underscores, key, summary?, window?]`,
 * `ts` in ms) into the series of already loaded metadata; returns the number of points stored.
 * Rows of unknown metadata or unregistered series are skipped.
 *
 * @example
 * ```ts
 * import { loadCassandraDump } from "./fixtures.ts";
 * // loadCassandraDump(db, parsePyJsonTree(text));
 * ```
 */
export function loadCassandraDump(db: ArchiveDb, rows: PyValue[]): number {
  let stored = 0;
  const seriesCache = new Map<string, number | undefined>();
  for (const row of rows) {
    if (!isPyObject(row)) continue;
    const path = (row as PyObject).get("path");
    if (!Array.isArray(path) || path.length < 3) continue;
    const eventType = String(path[1]).replaceAll("_", "-");
    const key = String(path[2]);
    const summaryType = path.length >= 5 ? String(path[3]) : "base";
    const window = path.length >= 5 ? Number(path[4]) : 0;
    const cacheKey = `${key}/${eventType}/${summaryType}/${window}`;
    if (!seriesCache.has(cacheKey)) {
      const record = findMetadataByKey(db.writer, key);
      seriesCache.set(
        cacheKey,
        record?.eventTypes.find((e) =>
          e.eventType === eventType && e.summaryType === summaryType && e.summaryWindow === window
        )?.id,
      );
    }
    const series = seriesCache.get(cacheKey);
    if (series === undefined) continue;
    const tsValue = row.get("ts");
    const ts = Math.floor(Number(stringifyPyJsonTree(tsValue ?? 0)) / 1000);
    const val = row.get("val") ?? null;
    const dataType = eventTypeInfo(eventType)?.dataType ?? "json";
    const isNumber = dataType === "integer" || dataType === "float";
    const [text, a, b] = isNumber || dataType === "histogram"
      ? baseRender(validateValue(dataType, val))
      : [stringifyPyJsonTree(val), null, null];
    putPoint(db.writer, series, ts, text, a, b);
    stored++;
  }
  return stored;
}
