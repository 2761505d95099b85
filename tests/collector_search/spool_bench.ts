// The collector's own share of indexing: encoding and durably spooling 5000-document batches,
// and reading them back, without any engine. `deno bench -A --frozen tests/collector_search/`.
// (Here, beside the fixtures it draws on: code under collector/ takes nothing from tests/.)
import { syntheticCloses } from "./fixtures.ts";
import { bulkBody } from "../../collector/sink/search/deliver.ts";
import { openSpool } from "../../collector/sink/search/spool.ts";

const docs = syntheticCloses(1, 5000, "2026-11-24T12:00:00Z").map((d) => ({
  index: "bench-2026",
  id: d.docId,
  body: d.body,
}));
const dir = await Deno.makeTempDir({ prefix: "spool-bench-" });
const disk = await openSpool({ dir, maxBytes: 2 ** 40 });
const memory = await openSpool({ maxBytes: 2 ** 40 });

Deno.bench("file spool: append + fsync + read back + remove, 5000 docs", async () => {
  await disk.append(docs);
  const head = await disk.head();
  await disk.replace(head!.seq, []);
});

Deno.bench("memory spool: append + read back + remove, 5000 docs", async () => {
  await memory.append(docs);
  const head = await memory.head();
  await memory.replace(head!.seq, []);
});

Deno.bench("bulk NDJSON body of 5000 docs", () => {
  if (bulkBody(docs).length === 0) throw new Error("empty");
});
