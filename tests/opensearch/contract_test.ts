/**
 * The esmond REST contract (`tests/contract/esmond_contract.ts`) on both backends of
 * `esmond-ps-archive serve`: the SQLite archive and `serve --opensearch` over a real OpenSearch
 * 2.19 node with perfSONAR's template. The same legacy writes go to both; then each backend
 * passes the contract's absolute checks, and every read route and filter answers as the
 * SQLite archive does, byte for byte (keys and `time-updated` normalised, see the module).
 *
 * @module
 */
import { assert } from "../harness/mod.ts";
import { openSearchNode } from "./node.ts";
import { serveArchive } from "../../lib/archive/server.ts";
import { addToken } from "../../lib/archive/tokens.ts";
import { requirePrograms, SEARCH_ENGINE_PROGRAMS } from "../harness/programs.ts";
import {
  assertGolden,
  assertSameAnswers,
  type ContractBackend,
  readRequests,
  writeDataset,
} from "../contract/esmond_contract.ts";

Deno.test(requirePrograms(
  Deno.env.get("OPENSEARCH_TEST_URL") === undefined ? SEARCH_ENGINE_PROGRAMS : [],
  {
    name: "esmond REST contract: SQLite archive and serve --opensearch, same answers",
    sanitizeResources: false,
    sanitizeOps: false,
    fn: contract,
  },
));

async function contract(t: Deno.TestContext): Promise<void> {
  await using engine = await openSearchNode();
  if (!engine) return;
  await using os = serveArchive({
    dbPath: ":memory:",
    port: 0,
    handleSignals: false,
    opensearch: { url: engine.url },
  });
  await using sqlite = serveArchive({ dbPath: ":memory:", port: 0, handleSignals: false });
  // The archive installs the template in the background; wait until it is there.
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${engine.url}/_index_template/pscheduler_default_policy`);
    await r.body?.cancel();
    if (r.ok) break;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  const backend = async (name: string, archive: typeof os): Promise<ContractBackend> => ({
    name,
    archiveUrl: `${archive.url}/esmond/perfsonar/archive/`,
    token: await addToken(archive.db, "writer"),
  });
  const reference = await backend("SQLite", sqlite);
  const other = await backend("OpenSearch", os);
  const referenceKeys = await writeDataset(reference);
  const keys = await writeDataset(other);
  await fetch(`${engine.url}/pscheduler_*/_refresh`, { method: "POST" }).then((r) =>
    r.body?.cancel()
  );
  const rename = new Map(referenceKeys.map((k, i) => [k, keys[i]]));

  for (
    const [b, k, updated] of [
      [reference, referenceKeys, "written"],
      [other, keys, "run"],
    ] as const
  ) {
    await t.step(`${b.name}: legacy writes read back as posted`, async () => {
      await assertGolden(b, k, updated);
    });
  }
  await t.step("every read route and filter: OpenSearch answers as SQLite", async () => {
    const paths = await readRequests(reference, referenceKeys);
    assert(paths.length > 300, `${paths.length} requests`);
    const withData = await assertSameAnswers(reference, other, rename, paths);
    assert(withData > 150, `${withData} answers with data`);
  });
}
