// Hostile archives against the esmond client: answers that would make it loop, leave the
// archive's origin or retry what cannot change.
import { assert, assertEquals, assertMatch, assertRejects } from "../harness/mod.ts";
import { ApiConnect, ArchiveHttpError } from "../../lib/esmond/mod.ts";
import { json, seriesResponse, startStub } from "../esmond/stub_server.ts";

function metadataObject(key: string, origin = ""): Record<string, unknown> {
  const p = `/esmond/perfsonar/archive/${key}`;
  return {
    "metadata-key": key,
    "subject-type": "point-to-point",
    "event-types": [{ "base-uri": `${origin}${p}/throughput/base`, "event-type": "throughput" }],
  };
}

Deno.test("a metadata list that ignores offset ends with a clear error, not a loop", async () => {
  // No metadata-count-total, so only the repeated page can tell the client to stop.
  await using stub = startStub(() => json([metadataObject("a"), metadataObject("b")]));
  using conn = new ApiConnect({ url: stub.url, metadataPageSize: 2 });
  const keys: string[] = [];
  await assertRejects(
    async () => {
      for await (const md of conn.listMetadata()) keys.push(md.metadataKey);
    },
    (e: Error) => {
      assert(e instanceof ArchiveHttpError);
      assertMatch(e.message, /ignored offset=2 on the metadata list/);
      return true;
    },
  );
  assertEquals(keys, ["a", "b"]);
  assertEquals(stub.requests.length, 2);
});

Deno.test("a base-uri naming another host is read from the archive's own origin", async () => {
  await using stub = startStub(({ url }) =>
    url.pathname.endsWith("/archive/")
      ? json([{ ...metadataObject("k", "http://127.0.0.2:9"), "metadata-count-total": 1 }])
      : seriesResponse([{ ts: 10, val: "1.5" }], url)
  );
  using conn = new ApiConnect({ url: stub.url });
  for await (const md of conn.listMetadata()) {
    const data = await md.getEventType("throughput")!.getData();
    assertEquals(data.data.map((p) => p.val), [1.5]);
  }
  assertEquals(
    [...new Set(stub.requests.map((r) => r.url.pathname))],
    ["/esmond/perfsonar/archive/", "/esmond/perfsonar/archive/k/throughput/base"],
    "every request stays on the archive's origin",
  );
});

Deno.test("a redirect loop fails at once, without retries", async () => {
  await using stub = startStub(({ url }) =>
    new Response(null, { status: 302, headers: { location: url.pathname } })
  );
  using conn = new ApiConnect({ url: stub.url, retries: 3, backoffMs: 1 });
  const started = stub.requests.length;
  await assertRejects(async () => {
    for await (const _ of conn.listMetadata()) { /* nothing */ }
  });
  // fetch follows at most 20 redirects per attempt; a retry would make it 40 or more.
  const seen = stub.requests.length - started;
  assert(seen > 1 && seen <= 21, `requests made: ${seen}`);
});
