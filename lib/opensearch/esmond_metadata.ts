/**
 * The esmond metadata of data that came from an esmond archive, kept next to its runs: one
 * document per esmond key in the plain index {@linkcode ESMOND_METADATA_INDEX} (`_id` = the
 * key, `record` = the archive record as JSON text, not indexed). The esmond write API over
 * OpenSearch stores the posted metadata there, and `esmond-ps-migrate` the metadata of every
 * series it moves; the reader then lists such a series with its original subject,
 * parameters, event types and summaries (which a run document cannot tell: perfSONAR 5 keeps
 * no summary configuration) instead of the ones rebuilt from the newest run.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import type { MetadataRecord } from "../archive/metadata_store.ts";
import { parseMetadataPost } from "../archive/metadata_post.ts";
import { PyObject, type PyValue } from "../esmond/py_json/mod.ts";

/** The index of esmond metadata (written by the esmond write API and the migration). */
export const ESMOND_METADATA_INDEX = "esmond_metadata";

// Keys an archive adds when it renders a metadata (the paging keys on the first object of a
// page); they are not part of the description.
const RENDERED = new Set([
  "uri",
  "url",
  "metadata-key",
  "metadata-count-total",
  "metadata-previous-page",
  "metadata-next-page",
]);

function py(value: unknown): PyValue {
  if (Array.isArray(value)) return value.map(py);
  if (value instanceof Map) return new PyObject([...value].map(([k, v]) => [String(k), py(v)]));
  if (value !== null && typeof value === "object") {
    // A PyFloat / PyNum keeps its own form.
    if (!Object.getPrototypeOf(value) || Object.getPrototypeOf(value) === Object.prototype) {
      return new PyObject(Object.entries(value).map(([k, v]) => [k, py(v)]));
    }
    return value as PyValue;
  }
  return value as PyValue;
}

/**
 * The archive record of an esmond metadata as an archive renders it (the objects of
 * `GET /esmond/perfsonar/archive/`), under `key`; undefined when it is not valid esmond
 * metadata (the reader then rebuilds it from the runs).
 *
 * @example
 * ```ts
 * import { recordOfRendered } from "./esmond_metadata.ts";
 * import { strictEqual } from "node:assert/strict";
 * const record = recordOfRendered({
 *   "uri": "/esmond/perfsonar/archive/K/", "metadata-key": "K", "subject-type": "network-element",
 *   "source": "10.0.0.1", "measurement-agent": "10.0.0.1", "tool-name": "ntpd", "input-source": "h",
 *   "event-types": [{ "event-type": "ntp-offset", "base-uri": "x", "summaries": [
 *     { "summary-type": "average", "summary-window": "3600", "uri": "y" }] }],
 * }, "K")!;
 * strictEqual(record.eventTypes.length, 2);
 * ```
 */
export function recordOfRendered(
  md: Readonly<Record<string, unknown>>,
  key: string,
): MetadataRecord | undefined {
  const body = new PyObject();
  for (const [k, v] of Object.entries(md)) {
    if (RENDERED.has(k)) continue;
    if (k !== "event-types") {
      body.set(k, py(v));
      continue;
    }
    const list = Array.isArray(v) ? v : [];
    body.set(
      k,
      list.map((et) => {
        const e = (et ?? {}) as Record<string, unknown>;
        const summaries = Array.isArray(e.summaries) ? e.summaries : [];
        return new PyObject([
          ["event-type", py(e["event-type"])],
          [
            "summaries",
            summaries.map((s) => {
              const o = (s ?? {}) as Record<string, unknown>;
              return new PyObject([
                ["summary-type", py(o["summary-type"])],
                ["summary-window", py(o["summary-window"])],
              ]);
            }),
          ],
        ]);
      }),
    );
  }
  let desc;
  try {
    desc = parseMetadataPost(body, {
      maxKeys: Infinity,
      maxKeyLength: Infinity,
      maxValueLength: Infinity,
      maxEventTypes: Infinity,
    });
  } catch {
    return undefined;
  }
  return {
    id: 0,
    key,
    subjectType: desc.subjectType,
    subject: desc.subject,
    parameters: desc.parameters,
    eventTypes: desc.eventTypes.map((e, i) => ({ id: i + 1, ...e, timeUpdated: null })),
  };
}

/**
 * Stores `record` under its key unless one is there already (`create`: the first description
 * of a key stays, as an esmond archive keeps it).
 *
 * @example
 * ```ts
 * import { storeEsmondMetadata } from "./esmond_metadata.ts";
 * // await storeEsmondMetadata(client, record, { checksum });
 * ```
 */
export async function storeEsmondMetadata(
  client: Client,
  record: MetadataRecord,
  extra: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  await client.index({
    index: ESMOND_METADATA_INDEX,
    id: record.key,
    op_type: "create",
    body: { key: record.key, ...extra, record: JSON.stringify(record) },
  } as never, { ignore: [409] });
}

/**
 * The stored records of `keys` (missing ones left out; no index yet is no record).
 *
 * @example
 * ```ts
 * import { esmondMetadataOf } from "./esmond_metadata.ts";
 * // const byKey = await esmondMetadataOf(client, ["K"]);
 * ```
 */
export async function esmondMetadataOf(
  client: Client,
  keys: readonly string[],
): Promise<Map<string, MetadataRecord>> {
  const out = new Map<string, MetadataRecord>();
  if (keys.length === 0) return out;
  const r = await client.mget({
    index: ESMOND_METADATA_INDEX,
    body: { ids: [...new Set(keys)] },
  } as never, { ignore: [404] });
  const docs =
    (r.body as unknown as { docs?: { found?: boolean; _source?: { record?: string } }[] })
      .docs ?? [];
  for (const doc of docs) {
    if (!doc.found || typeof doc._source?.record !== "string") continue;
    const record = JSON.parse(doc._source.record) as MetadataRecord;
    out.set(record.key, record);
  }
  return out;
}
