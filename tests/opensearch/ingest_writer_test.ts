/**
 * The `/logstash` run writer over a stub `_bulk` endpoint: posts that arrive together share one
 * bulk request (group commit), each is answered from its own items (409 = already stored, a
 * refused item fails its own post only), the runs' JSON text is sent as is with the run key as
 * `_id`, and no refresh is asked for.
 */
import { assert, assertEquals } from "../harness/mod.ts";
import { openSearchClient } from "../../lib/opensearch/connection.ts";
import { openSearchRunWriter } from "../../lib/archive/opensearch_ingest.ts";
import { WriteRejected } from "../../lib/archive/points_table.ts";
import type { LogstashRun } from "../../lib/archive/pscheduler_store.ts";

const run = (key: string): LogstashRun => ({
  runKey: key,
  index: "pscheduler_rtt",
  document: `{"run":"${key}","x":1.0}`,
});

Deno.test("OpenSearch run writer: one bulk for concurrent posts, each answered from its items", async () => {
  const requests: { query: URLSearchParams; body: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    requests.push({ query: new URL(req.url).searchParams, body });
    const ids = body.split("\n").filter((_, i) => i % 2 === 0 && _ !== "").map((l) =>
      JSON.parse(l).create._id as string
    );
    const status = (id: string) => (id === "old" ? 409 : id === "bad" ? 400 : 201);
    return Response.json({
      errors: true,
      items: ids.map((id) => ({
        create: {
          status: status(id),
          error: id === "bad" ? { type: "mapper_parsing_exception", reason: "no" } : undefined,
        },
      })),
    });
  });
  const client = openSearchClient({ url: `http://127.0.0.1:${server.addr.port}` });
  try {
    const write = openSearchRunWriter(client);
    const [first, second, third] = await Promise.allSettled([
      write([run("new"), run("old")]),
      write([run("bad")]),
      write([run("other")]),
    ]);
    assertEquals(requests.length, 1, "one bulk for the three posts");
    assertEquals(first.status === "fulfilled" && first.value.map((r) => r.created), [true, false]);
    assert(second.status === "rejected" && second.reason instanceof WriteRejected);
    assertEquals(second.reason.status, 503);
    assertEquals(
      second.reason.message,
      "OpenSearch did not store the run: OpenSearch refused a document: mapper_parsing_exception: no",
    );
    assertEquals(third.status === "fulfilled" && third.value.map((r) => r.created), [true]);
    const lines = requests[0].body.split("\n");
    assertEquals(lines[0], '{"create":{"_index":"pscheduler_rtt","_id":"new"}}');
    assertEquals(lines[1], '{"run":"new","x":1.0}');
    assertEquals(requests[0].query.get("refresh"), "false");
  } finally {
    await client.close();
    await server.shutdown();
  }
});
