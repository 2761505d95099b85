/**
 * The esmond write API over OpenSearch: legacy writers (`esmond-ps-pipe`,
 * `esmond-ps-load-gridftp`, pScheduler's esmond archiver) post a metadata, then put points; the
 * points land in `pscheduler_<type>` as the documents perfSONAR 5 would hold for those runs.
 *
 * - A metadata POST stores the metadata as one document of the plain index
 *   {@linkcode ESMOND_METADATA_INDEX} (not a `pscheduler_*` data stream, which readers search),
 *   `_id` = its key = the first 32 hex digits of esmond's deduplication checksum: any archive
 *   process computes the same key for the same description, so nothing is kept outside the
 *   cluster and several processes may take writes.
 * - A data PUT (or a single point POST) folds the points per `ts` and writes one run document
 *   per `ts` (two when a failure and measurements share it) with the migration's builder
 *   (`lib/pscheduler/esmond_run_document.ts`): `pscheduler.esmond_key` = the metadata key, so
 *   the reader serves the runs under that key, and `pscheduler.esmond_tool_name` = the writer's
 *   `tool-name` when it is not `pscheduler/<tool>` (`bwctl/iperf3`); `_id` = SHA-256 of key and `ts`, written with
 *   bulk `create`: a re-sent point stores nothing new (a run, once stored, is not changed: a
 *   later value at the same `ts` is dropped).
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { parsePyJson } from "../esmond/py_json/parse.ts";
import { writeDocuments } from "../opensearch/document_writer.ts";
import { ESMOND_METADATA_INDEX } from "../opensearch/esmond_metadata.ts";
import { runDocument, seriesTemplate, splitFailures } from "../pscheduler/esmond_run_document.ts";
import { baseRender, WriteRejected } from "./points_table.ts";
import { insertMetadata, type MetadataRecord } from "./metadata_store.ts";
import { renderMetadata } from "./render.ts";
import { openArchiveDb } from "./schema.ts";
import type { PointWrite } from "./series_store.ts";
import type { WriteStore } from "./write_store.ts";

/** The index of the metadata posted through the esmond write API (and migrated). */
export { ESMOND_METADATA_INDEX };

/**
 * The key of a posted metadata: the first 32 hex digits of its checksum.
 *
 * @example
 * ```ts
 * import { metadataKeyOf } from "./opensearch_writes.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(metadataKeyOf("ab".repeat(32)), "ab".repeat(16));
 * ```
 */
export function metadataKeyOf(checksum: string): string {
  return checksum.slice(0, 32);
}

// The record of `desc` as the SQLite store builds it (same row order and text), built in a
// scratch in-memory database that is closed at once.
function recordOf(
  desc: Parameters<WriteStore["createMetadata"]>[0],
  checksum: string,
): MetadataRecord {
  const db = openArchiveDb(":memory:");
  try {
    return insertMetadata(db, desc, checksum, metadataKeyOf(checksum)).record;
  } finally {
    db.close();
  }
}

function unavailable(error: unknown): WriteRejected {
  return new WriteRejected(503, `OpenSearch did not store the write: ${(error as Error).message}`);
}

const NO_MOUNT = { origin: "", archivePath: "/" };

/**
 * A {@linkcode WriteStore} writing to the cluster of `client`.
 *
 * @example
 * ```ts
 * import { openSearchWriteStore } from "./opensearch_writes.ts";
 * // createArchiveHandler({ db, store, writes: openSearchWriteStore(client) });
 * ```
 */
export function openSearchWriteStore(client: Client): WriteStore {
  async function loadRecord(key: string): Promise<MetadataRecord | undefined> {
    try {
      const r = await client.get({ index: ESMOND_METADATA_INDEX, id: key }, { ignore: [404] });
      const body = r.body as unknown as { found?: boolean; _source?: { record?: string } };
      if (!body.found || typeof body._source?.record !== "string") return undefined;
      return JSON.parse(body._source.record) as MetadataRecord;
    } catch (error) {
      throw unavailable(error);
    }
  }

  return {
    async createMetadata(desc, checksum) {
      const record = recordOf(desc, checksum);
      try {
        await client.index({
          index: ESMOND_METADATA_INDEX,
          id: record.key,
          // No refresh: the metadata is only ever read by id (a real-time GET), never searched.
          op_type: "create",
          body: { key: record.key, checksum, record: JSON.stringify(record) },
        } as never, { ignore: [409] });
      } catch (error) {
        throw unavailable(error);
      }
      return record;
    },
    async writePoints(key, points, _now) {
      const record = await loadRecord(key);
      if (!record) return false;
      const metadata = parsePyJson(renderMetadata(NO_MOUNT, record)) as Record<string, unknown>;
      const template = seriesTemplate(metadata);
      const byTs = new Map<number, Map<string, unknown>>();
      for (const point of points as readonly PointWrite[]) {
        let values = byTs.get(point.ts);
        if (!values) byTs.set(point.ts, values = new Map());
        values.set(point.eventType, parsePyJson(baseRender(point.value)[0]));
      }
      const toolName = metadata["tool-name"];
      const docs = [...byTs].flatMap(([ts, values]) =>
        splitFailures(values).map((part) => {
          const doc = runDocument(template, ts, part.values, part.variant);
          const ps = doc.document.pscheduler as Record<string, unknown>;
          if (typeof toolName === "string" && toolName !== `pscheduler/${ps.tool}`) {
            ps.esmond_tool_name = toolName;
          }
          return doc;
        })
      );
      try {
        // Searchable before the answer: the esmond write API reads its own writes (a writer's
        // GET right after its PUT sees the points, as over SQLite).
        await writeDocuments(client, docs, { refresh: "wait_for" });
      } catch (error) {
        throw unavailable(error);
      }
      return true;
    },
  };
}
