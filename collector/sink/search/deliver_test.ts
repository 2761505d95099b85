import { assertEquals } from "../../../tests/harness/assert.ts";
import type { BulkAnswer, SearchBackend } from "./backend.ts";
import type { SpoolRecord } from "./bulk_result.ts";
import { bulkBody, bulkBytes, deliverRecords } from "./deliver.ts";
import { newSearchSinkMetrics } from "./metrics.ts";
import { getLogger } from "../../../lib/log/mod.ts";

/** A backend that records the bodies it got and answers each item with `status(n)`. */
function fakeBackend(status: (request: number) => number) {
  const bodies: string[] = [];
  const backend: SearchBackend = {
    kind: "opensearch",
    bulk(ndjson): Promise<BulkAnswer> {
      const text = typeof ndjson === "string" ? ndjson : new TextDecoder().decode(ndjson);
      bodies.push(text);
      const items = text.split("\n").filter((l) => l !== "").length / 2;
      const code = status(bodies.length);
      return Promise.resolve({
        errors: code >= 300,
        items: Array.from({ length: items }, () => ({ index: { status: code } })),
      });
    },
    search: () => Promise.resolve([]),
    putIndexTemplate: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { backend, bodies };
}

// Ten documents of ~1,000 characters; every second one carries its text, as collector
// documents do.
const records: SpoolRecord[] = Array.from({ length: 10 }, (_, n) => {
  const body = { n, pad: "x".repeat(990), name: "é" };
  return n % 2 === 0
    ? { index: "xrd-2026", id: `close:${n}`, body }
    : { index: "xrd-2026", id: `close:${n}`, body, json: JSON.stringify(body) };
});

Deno.test("_bulk bytes are the NDJSON text, with or without the document's own text", () => {
  assertEquals(new TextDecoder().decode(bulkBytes(records)), bulkBody(records));
  const stripped = records.map(({ index, id, body }) => ({ index, id, body }));
  assertEquals(bulkBody(records), bulkBody(stripped));
});

Deno.test("requests are cut at maxBytes (at least one document), in order", async () => {
  const { backend, bodies } = fakeBackend(() => 201);
  const metrics = newSearchSinkMetrics();
  const { remaining, failure } = await deliverRecords({
    backend,
    records,
    batchSize: 4,
    maxBytes: 2500,
    deadLetterPath: "/nonexistent/dead.ndjson",
    metrics,
    log: getLogger("test"),
  });
  assertEquals(remaining, []);
  assertEquals(failure, undefined);
  // 3 documents reach 2,500 characters; batchSize alone would have made 4, 4, 2.
  assertEquals(bodies.map((b) => b.split("\n").length - 1), [6, 6, 6, 2]);
  assertEquals(bodies.join(""), bulkBody(records));
  assertEquals(metrics.bulkRequests, 4);
  assertEquals(metrics.docsIndexed, 10);

  const one = fakeBackend(() => 201);
  await deliverRecords({
    backend: one.backend,
    records,
    batchSize: 5000,
    maxBytes: 10,
    deadLetterPath: "/nonexistent/dead.ndjson",
    metrics: newSearchSinkMetrics(),
    log: getLogger("test"),
  });
  assertEquals(one.bodies.length, 10);
});

Deno.test("a retryable answer stops delivery: the rest stays, oldest first", async () => {
  const { backend, bodies } = fakeBackend((request) => request === 2 ? 429 : 201);
  const { remaining, failure } = await deliverRecords({
    backend,
    records,
    batchSize: 5000,
    maxBytes: 2500,
    deadLetterPath: "/nonexistent/dead.ndjson",
    metrics: newSearchSinkMetrics(),
    log: getLogger("test"),
  });
  assertEquals(bodies.length, 2);
  assertEquals(remaining.map((r) => r.id), records.slice(3).map((r) => r.id));
  assertEquals(failure, "3 of 3 items answered 429/5xx");
});
