/**
 * One OpenSearch 2.19 node per test file (via `scripts/search_engine.sh`), or the cluster named
 * by `OPENSEARCH_TEST_URL` (its `pscheduler_*` data streams, perfSONAR's template and the
 * `esmond_metadata` index are deleted first).
 *
 * @module
 */
import { type Engine, startEngine } from "../collector_search/engine.ts";

Deno.env.set("SEARCH_ENGINE_HEAP", Deno.env.get("SEARCH_ENGINE_HEAP") ?? "512m");

/** A node for one test file; `undefined` (skip) when none can start outside CI. */
export async function openSearchNode(): Promise<Pick<Engine, "url"> & AsyncDisposable | undefined> {
  const given = Deno.env.get("OPENSEARCH_TEST_URL");
  if (given) {
    await fetch(`${given}/_data_stream/pscheduler_*`, { method: "DELETE" }).then((r) =>
      r.body?.cancel()
    );
    await fetch(`${given}/_index_template/pscheduler_default_policy`, { method: "DELETE" })
      .then((r) => r.body?.cancel());
    await fetch(`${given}/esmond_metadata`, { method: "DELETE" }).then((r) => r.body?.cancel());
    return { url: given, async [Symbol.asyncDispose]() {} };
  }
  return await startEngine("opensearch");
}
