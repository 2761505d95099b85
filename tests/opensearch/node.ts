/**
 * One OpenSearch 2.19 node per test file (via `scripts/search_engine.sh`), or the cluster named
 * by `OPENSEARCH_TEST_URL` (its `pscheduler_*` data streams, perfSONAR's template and the
 * `esmond_metadata` index are deleted first).
 *
 * @module
 */
import { type Engine, startEngine } from "../collector_search/engine.ts";
import { SEARCH_ENGINE_PROGRAMS } from "../harness/programs.ts";

Deno.env.set("SEARCH_ENGINE_HEAP", Deno.env.get("SEARCH_ENGINE_HEAP") ?? "512m");

/**
 * What {@linkcode openSearchNode} needs: nothing for a given cluster, else the engine runner's
 * programs (give it to `requirePrograms`, so the test is ignored, not passed, without them).
 */
export const OPENSEARCH_NODE_PROGRAMS: readonly string[] = Deno.env.get("OPENSEARCH_TEST_URL")
  ? []
  : SEARCH_ENGINE_PROGRAMS;

/** A node for one test file (tests declare {@linkcode OPENSEARCH_NODE_PROGRAMS}). */
export async function openSearchNode(): Promise<Pick<Engine, "url"> & AsyncDisposable> {
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

/**
 * Waits until perfSONAR's index template is on the node (an archive installs it in the
 * background once it starts); throws after `timeoutMs`.
 */
export async function templateInstalled(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const r = await fetch(`${url}/_index_template/pscheduler_default_policy`);
    await r.body?.cancel();
    if (r.ok) return;
    if (Date.now() > deadline) {
      throw new Error(`no pscheduler template on ${url} after ${timeoutMs} ms (last ${r.status})`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
