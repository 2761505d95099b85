import { assert, assertEquals } from "../harness/mod.ts";
import { runFuzz } from "./fuzz.ts";

// 1,000,000 packets run in scripts/fuzz_collector.ts; the unit test keeps to a modest count.
Deno.test("fuzz: 30,000 random and mutated packets, no exception escapes", async () => {
  const result = await runFuzz(30_000, 7);
  assertEquals(result.exceptions, 0, result.firstException);
  assert(result.rejected > 1_000, `only ${result.rejected} rejected`);
  assert(result.rejected < 30_000, "some mutated packets must still decode");
  assert(result.documents > 100, `only ${result.documents} documents`);
  assert(result.cacheSize <= 4 * 5_000, "four caches, each bounded");
  assert(result.gstreamDocuments > 100, `only ${result.gstreamDocuments} g-stream documents`);
  assert(result.serversTracked <= 4096, "server table bounded");
  assertEquals(result.held, 0, "nothing left in a reorder window after finish()");
});
