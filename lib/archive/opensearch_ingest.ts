/**
 * The `/logstash` ingest writing to OpenSearch: each run's Logstash document goes to its
 * `pscheduler_<type>` data stream with `create` and the run's key as `_id`, so a re-sent run
 * is stored once; the answer waits for OpenSearch's acknowledgement (translog synced).
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { writeDocuments } from "../opensearch/document_writer.ts";
import type { PreparedRun, StoredRun } from "./pscheduler_store.ts";
import { WriteRejected } from "./points_table.ts";

/**
 * A `writer` for the ingest options that stores runs in OpenSearch.
 *
 * @example
 * ```ts
 * import { openSearchRunWriter } from "./opensearch_ingest.ts";
 * // createLogstashIngest({ db, resolver, writer: openSearchRunWriter(client) });
 * ```
 */
export function openSearchRunWriter(client: Client): (runs: PreparedRun[]) => Promise<StoredRun[]> {
  return async (runs) => {
    const docs = runs.map((run) => ({
      index: run.index,
      document: JSON.parse(run.document) as Record<string, unknown>,
      id: run.runKey,
    }));
    let report;
    try {
      report = await writeDocuments(client, docs, { refresh: false });
    } catch (error) {
      throw new WriteRejected(503, `OpenSearch did not store the run: ${(error as Error).message}`);
    }
    return report.results.map((created) => ({ created, metadataKey: null }));
  };
}
