import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertThrows,
  freePort,
  requirePrograms,
  tempDir,
} from "../harness/mod.ts";
import {
  ApiConnect,
  ApiFilters,
  ArchiveHttpError,
  ArchiveNetworkError,
  ArchiveValidationError,
  authorizationHeader,
  backoffDelay,
  HttpClient,
} from "../../lib/esmond/mod.ts";
import { json, rawJson, startStub } from "./stub_server.ts";

/** Fake clock: records the delays instead of sleeping. */
function fakeSleep() {
  const delays: number[] = [];
  return { delays, sleep: (ms: number) => (delays.push(ms), Promise.resolve()) };
}

Deno.test("authorization header forms; never without a key", () => {
  assertEquals(authorizationHeader({ apiKey: "abc" }), "Token abc");
  assertEquals(authorizationHeader({ username: "u", apiKey: "abc" }), "Token abc");
  assertEquals(
    authorizationHeader({ username: "u", apiKey: "k", authScheme: "apikey" }),
    "ApiKey u:k",
  );
  assertEquals(authorizationHeader({ username: "u" }), undefined);
});

Deno.test("backoff doubles per attempt, is capped, and jitters within [half, full]", () => {
  const at = (attempt: number, r: number) =>
    backoffDelay({ attempt, baseMs: 100, maxMs: 1000, random: () => r });
  assertEquals([at(1, 1), at(2, 1), at(3, 1), at(4, 1), at(5, 1)], [100, 200, 400, 800, 1000]);
  assertEquals([at(1, 0), at(3, 0), at(6, 0)], [50, 200, 500]);
});

Deno.test("a GET answered 500 then 200 is retried and succeeds", async () => {
  let n = 0;
  await using stub = startStub(() => ++n === 1 ? new Response("boom", { status: 500 }) : json([]));
  const clock = fakeSleep();
  using http = new HttpClient({ retries: 3, backoffMs: 100, sleep: clock.sleep, random: () => 1 });
  const res = await http.request({ url: `${stub.url}/x` });
  assertEquals(res.status, 200);
  assertEquals(stub.requests.length, 2);
  assertEquals(clock.delays, [100]);
});

Deno.test("a persistent 503 ends in a clear ArchiveHttpError after retries+1 tries", async () => {
  await using stub = startStub(() =>
    json({ detail: "down for maintenance" }, { status: 503, headers: { "retry-after": "0" } })
  );
  const clock = fakeSleep();
  using conn = new ApiConnect({
    url: stub.url,
    retries: 2,
    backoffMs: 10,
    sleep: clock.sleep,
    random: () => 0.5,
  });
  await assertRejects(async () => {
    for await (const _ of conn.listMetadata()) { /* none */ }
  }, (e: Error) => {
    assert(e instanceof ArchiveHttpError && !(e instanceof ArchiveNetworkError));
    assertEquals(e.status, 503);
    assertEquals(e.url, `${stub.url}/esmond/perfsonar/archive/`);
    assertMatch(e.message, /HTTP 503 \(after 3 attempts\).*down for maintenance/);
    return true;
  });
  assertEquals(stub.requests.length, 3);
  assertEquals(clock.delays, [8, 15]);
});

Deno.test("a POST answered 500 is not retried; 429 is", async () => {
  let n = 0;
  await using stub = startStub(({ url }) =>
    url.pathname === "/post"
      ? new Response("", { status: 500 })
      : ++n === 1
      ? new Response("slow down", { status: 429 })
      : rawJson('""', { status: 201 })
  );
  const clock = fakeSleep();
  using http = new HttpClient({ sleep: clock.sleep });
  await assertRejects(
    () => http.request({ method: "POST", url: `${stub.url}/post`, body: "{}" }),
    ArchiveHttpError,
  );
  assertEquals(stub.requests.length, 1);
  const res = await http.request({ method: "POST", url: `${stub.url}/p429`, body: "{}" });
  assertEquals(res.status, 201);
  assertEquals(stub.requests.length, 3);
});

Deno.test("a stalled server hits the per-request timeout and is retried, then ArchiveNetworkError", async () => {
  const gate = Promise.withResolvers<void>();
  await using stub = startStub(async () => {
    await gate.promise;
    return json([]);
  });
  const clock = fakeSleep();
  using http = new HttpClient({ timeoutMs: 100, retries: 1, sleep: clock.sleep });
  const started = performance.now();
  await assertRejects(() => http.request({ url: `${stub.url}/stall` }), (e: Error) => {
    assert(e instanceof ArchiveNetworkError);
    assertEquals(e.status, 0);
    assertEquals(e.timedOut, true);
    assertEquals(e.attempts, 2);
    assertMatch(e.message, /timed out after 100 ms \(after 2 attempts\)/);
    return true;
  });
  assert(performance.now() - started < 5000);
  assertEquals(stub.requests.length, 2);
  gate.resolve();
});

Deno.test("connection refused is an ArchiveNetworkError after the retries", async () => {
  const clock = fakeSleep();
  const port = freePort();
  using http = new HttpClient({ retries: 2, sleep: clock.sleep });
  await assertRejects(() => http.request({ url: `http://127.0.0.1:${port}/` }), (e: Error) => {
    assert(e instanceof ArchiveNetworkError);
    assertEquals(e.attempts, 3);
    assertEquals(e.timedOut, false);
    return true;
  });
  assertEquals(clock.delays.length, 2);
});

Deno.test("truncated JSON and a non-JSON 200 give a clear ArchiveHttpError", async () => {
  await using stub = startStub(({ url }) =>
    url.pathname.endsWith("/archive/")
      ? json([{
        "metadata-key": "k",
        "metadata-count-total": 1,
        "event-types": [{
          "event-type": "throughput",
          "base-uri": "/esmond/perfsonar/archive/k/throughput/base",
        }],
      }])
      : url.search.includes("time-start=1")
      ? rawJson('[{"ts":1,"val":1.0},{"ts":2,"va')
      : new Response("<html>hello</html>", {
        headers: { "content-type": "text/html; charset=utf-8" },
      })
  );
  using conn = new ApiConnect({ url: stub.url });
  for await (const md of conn.listMetadata()) {
    const et = md.getEventType("throughput")!;
    await assertRejects(
      () => et.getData(new ApiFilters({ timeStart: 1, timeEnd: 5 })),
      (e: Error) => {
        assert(e instanceof ArchiveHttpError);
        assertEquals(e.status, 200);
        assertMatch(e.message, /unreadable response/);
        return true;
      },
    );
    await assertRejects(
      () => et.getData(new ApiFilters({ timeStart: 2, timeEnd: 5 })),
      (e: Error) => {
        assert(e instanceof ArchiveHttpError);
        assertMatch(e.message, /expected JSON, got Content-Type text\/html: <html>hello<\/html>/);
        return true;
      },
    );
  }
});

Deno.test("Content-Type with parameters is accepted", async () => {
  await using stub = startStub(() =>
    new Response("[]", { headers: { "content-type": "application/json; charset=utf-8" } })
  );
  using conn = new ApiConnect({ url: stub.url });
  for await (const _ of conn.listMetadata()) { /* none */ }
  assertEquals(stub.requests.length, 1);
});

Deno.test("the API key is never logged, the URL is", async () => {
  const { setupLogging } = await import("../../lib/log/mod.ts");
  const lines: string[] = [];
  await setupLogging({ verbose: true, write: (l) => lines.push(l) });
  try {
    await using stub = startStub(() => json([]));
    using http = new HttpClient({ apiKey: "TOPSECRETKEY", verbose: true });
    await http.request({ url: `${stub.url}/logged` });
    assert(lines.some((l) => l.includes("/logged")));
    assert(!lines.some((l) => l.includes("TOPSECRETKEY")));
  } finally {
    await setupLogging({});
  }
});

async function openssl(args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" })
    .output();
  assert(out.success, `openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
}

/** A private CA and a server certificate for 127.0.0.1 signed by it. */
async function makeCert(dir: string): Promise<{ cert: string; key: string; caFile: string }> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl([
    "req",
    "-x509",
    ...ec,
    "-days",
    "1",
    "-subj",
    "/CN=esmond test CA",
    "-keyout",
    `${dir}/ca.key`,
    "-out",
    `${dir}/ca.pem`,
  ]);
  await openssl([
    "req",
    ...ec,
    "-subj",
    "/CN=localhost",
    "-keyout",
    `${dir}/key.pem`,
    "-out",
    `${dir}/leaf.csr`,
  ]);
  await Deno.writeTextFile(
    `${dir}/ext.cnf`,
    "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
  );
  await openssl([
    "x509",
    "-req",
    "-in",
    `${dir}/leaf.csr`,
    "-CA",
    `${dir}/ca.pem`,
    "-CAkey",
    `${dir}/ca.key`,
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    `${dir}/ext.cnf`,
    "-out",
    `${dir}/cert.pem`,
  ]);
  return {
    cert: await Deno.readTextFile(`${dir}/cert.pem`),
    key: await Deno.readTextFile(`${dir}/key.pem`),
    caFile: `${dir}/ca.pem`,
  };
}

Deno.test(requirePrograms(["openssl"], {
  name: "TLS: verification on by default, caFile trusts a private CA, insecure skips checks",
  async fn() {
    await using dir = await tempDir();
    const { cert, key, caFile } = await makeCert(dir.path);
    const port = freePort();
    const gate = Promise.withResolvers<void>();
    const server = Deno.serve(
      { hostname: "127.0.0.1", port, cert, key, onListen: () => {} },
      async (req) => {
        if (new URL(req.url).pathname === "/stall") await gate.promise;
        return json([]);
      },
    );
    try {
      const url = `https://127.0.0.1:${port}/x`;
      using strict = new HttpClient({ retries: 0 });
      await assertRejects(() => strict.request({ url }), (e: Error) => {
        assert(e instanceof ArchiveNetworkError);
        assertMatch(e.message, /certificate|UnknownIssuer|invalid peer/i);
        return true;
      });
      using trusted = new HttpClient({ retries: 0, caFile });
      assertEquals((await trusted.request({ url })).text, "[]");
      using insecure = new HttpClient({ retries: 0, insecure: true, timeoutMs: 200 });
      assertEquals((await insecure.request({ url })).text, "[]");
      // The node:https transport honours the timeout too.
      await assertRejects(
        () => insecure.request({ url: `https://127.0.0.1:${port}/stall` }),
        (e: Error) => e instanceof ArchiveNetworkError && e.timedOut,
      );
      assertThrows(
        () => new HttpClient({ caFile: `${dir.path}/missing.pem` }),
        ArchiveValidationError,
      );
    } finally {
      gate.resolve();
      await server.shutdown();
    }
  },
}));

Deno.test("a metadata answer of the wrong shape is a clear ArchiveHttpError", async () => {
  await using stub = startStub(({ url }) =>
    url.searchParams.has("offset") ? json(["not an object"]) : json({ detail: "odd" })
  );
  using conn = new ApiConnect({ url: stub.url });
  await assertRejects(
    async () => {
      for await (const _ of conn.listMetadata()) { /* none */ }
    },
    (e: Error) =>
      e instanceof ArchiveHttpError && /expected a JSON array of metadata/.test(e.message),
  );
});
