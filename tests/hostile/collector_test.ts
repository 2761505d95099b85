// Hostile input against xrootd-fstream-collector: /metrics refuses writes, and the classes of
// malformed datagrams the probe sent (flips, truncations, spliced records, bad codes, random
// bytes) never throw out of the pipeline.
import { assertEquals } from "../harness/mod.ts";
import { serveMetrics } from "../../collector/sink/metrics_server.ts";
import { CollectorMetrics } from "../../collector/correlate/counters.ts";
import { runFuzz } from "../collector/fuzz.ts";
import { LOCAL, memoryPipeline } from "../collector/helpers.ts";

Deno.test("/metrics answers 405 to POST, PUT and DELETE, 200 to GET and HEAD", async () => {
  let listening!: (port: number) => void;
  const port = new Promise<number>((resolve) => (listening = resolve));
  const server = serveMetrics({
    hostname: "127.0.0.1",
    port: 0,
    snapshot: () => ({
      counters: new CollectorMetrics(),
      sequenceByServer: [],
      cacheSize: 0,
      cacheEvictions: 0,
      cacheExpirations: 0,
      documents: 0,
      pendingLookups: 0,
    }),
    onListen: ({ port }) => listening(port),
  });
  try {
    const url = `http://127.0.0.1:${await port}/metrics`;
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const r = await fetch(url, { method, body: method === "DELETE" ? undefined : "x" });
      assertEquals(r.status, 405, method);
      assertEquals(r.headers.get("allow"), "GET, HEAD");
      await r.body?.cancel();
    }
    for (const method of ["GET", "HEAD"]) {
      const r = await fetch(url, { method });
      assertEquals(r.status, 200, method);
      await r.body?.cancel();
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("malformed datagram classes are rejected, never thrown", async () => {
  const result = await runFuzz(20_000, 19);
  assertEquals(result.exceptions, 0, result.firstException);
  const run = memoryPipeline({ cacheSeconds: 60 });
  const shapes = [
    new Uint8Array(0),
    new Uint8Array(1),
    new Uint8Array(7),
    new Uint8Array(8),
    Uint8Array.from([0x66, 0, 0xff, 0xff, 0, 0, 0, 1]), // plen far beyond the datagram
    new Uint8Array(65507).fill(0x66),
  ];
  for (const packet of shapes) run.pipeline.handle(packet, LOCAL, 1);
  await run.correlator.drain();
  assertEquals(run.docs.length, 0);
});
