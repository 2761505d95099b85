/**
 * The OpenSearch target's retry rules against a stub `_bulk` endpoint: only the items that
 * failed with 429/5xx are sent again, a whole request answered 429 is sent again after a
 * doubling backoff, 409 counts as already there, a mapping error is reported and not retried;
 * the batcher's encoded documents reach the wire byte for byte.
 */
import { assertEquals } from "../harness/mod.ts";
import { encodeDocument, OpenSearchTarget } from "../../cli/migrate/opensearch_target.ts";
import { Batcher } from "../../cli/migrate/target.ts";
import type { MigratedDocument } from "../../lib/pscheduler/esmond_run_document.ts";

const doc = (id: string): MigratedDocument => ({
  index: "pscheduler_latency",
  id,
  document: { pscheduler: { esmond_key: "K" }, result: { n: id } },
  unmapped: [],
});

type Answer = (ids: string[]) => { status: number; body?: unknown };

async function withStub(
  answers: Answer[],
  run: (url: string, seen: { ids: string[]; query: string; body: string }[]) => Promise<void>,
): Promise<void> {
  const seen: { ids: string[]; query: string; body: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    const lines = body.split("\n").filter((l) => l !== "");
    const ids = lines.filter((_, i) => i % 2 === 0).map((l) => JSON.parse(l).create._id);
    seen.push({ ids, query: new URL(req.url).search, body });
    const answer = answers[seen.length - 1](ids);
    return Response.json(answer.body ?? {}, { status: answer.status });
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}`, seen);
  } finally {
    await server.shutdown();
  }
}

const item = (status: number, error?: unknown) => ({ create: { status, error } });

Deno.test("OpenSearch target: failed items only are retried, 429 backs off, 409 exists, 400 refused", async () => {
  const sleeps: number[] = [];
  await withStub([
    () => ({ status: 429, body: { error: "too many requests" } }),
    () => ({
      status: 200,
      body: {
        errors: true,
        items: [
          item(201),
          item(429, { type: "es_rejected_execution_exception" }),
          item(409, { type: "version_conflict_engine_exception" }),
          item(400, {
            type: "mapper_parsing_exception",
            reason: "bad",
            caused_by: { reason: "x" },
          }),
          item(503, { type: "unavailable_shards_exception" }),
        ],
      },
    }),
    (ids) => ({ status: 200, body: { errors: false, items: ids.map(() => item(201)) } }),
  ], async (url, seen) => {
    const target = new OpenSearchTarget({
      url,
      backoffMs: 10,
      sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
    });
    try {
      const outcome = await target.write(["a", "b", "c", "d", "e"].map(doc));
      assertEquals(outcome.created, 3);
      assertEquals(outcome.existed, 1);
      assertEquals(outcome.refused.map((r) => [r.id, r.esmondKey, r.reason]), [
        ["d", "K", "400 mapper_parsing_exception: bad (x)"],
      ]);
    } finally {
      await target.close();
    }
    assertEquals(seen.map((s) => s.ids), [
      ["a", "b", "c", "d", "e"],
      ["a", "b", "c", "d", "e"],
      ["b", "e"],
    ]);
    assertEquals(sleeps, [10, 20]);
    // Only statuses and errors are asked for in the answer.
    for (const s of seen) {
      assertEquals(
        new URLSearchParams(s.query).get("filter_path"),
        "errors,items.*.status,items.*.error",
      );
    }
  });
});

Deno.test("OpenSearch target: the batcher sends the documents' bulk lines as encoded", async () => {
  await withStub([
    (ids) => ({ status: 200, body: { errors: false, items: ids.map(() => item(201)) } }),
  ], async (url, seen) => {
    const target = new OpenSearchTarget({ url });
    try {
      const batcher = new Batcher(target, { size: 10, inflight: 1 });
      const docs = ["x", "y", "z"].map(doc);
      const tickets = [];
      for (const d of docs) tickets.push((await batcher.add(d)).ticket);
      await batcher.drain();
      await Promise.all(tickets);
      assertEquals(batcher.totals.created, 3);
      assertEquals(seen.length, 1);
      assertEquals(seen[0].body, docs.map((d) => encodeDocument(d).text).join(""));
      assertEquals(
        seen[0].body.split("\n")[1],
        JSON.stringify(docs[0].document),
      );
    } finally {
      await target.close();
    }
  });
});
