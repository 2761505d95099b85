// TLS and credentials: a TLS-terminating proxy with a test CA checks the Authorization header and
// forwards to a real OpenSearch node. Certificates are verified by default, `--ca-file` makes a
// private CA trusted, `-i` skips verification, and a refused credential keeps the documents
// queued (retried, never dead-lettered).
import {
  assert,
  assertEquals,
  assertMatch,
  freePort,
  requirePrograms,
  SEARCH_ENGINE_PROGRAMS,
  tempDir,
} from "../harness/mod.ts";
import { SearchSink, searchSinkOptions } from "../../collector/sink/search/mod.ts";
import { countDocs, startEngine } from "./engine.ts";
import { syntheticCloses } from "./fixtures.ts";

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
}

async function makeCertificates(dir: string): Promise<void> {
  await openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=xrd test CA",
  ], dir);
  await openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=127.0.0.1",
  ], dir);
  await Deno.writeTextFile(`${dir}/san.ext`, "subjectAltName=IP:127.0.0.1\n");
  await openssl([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "san.ext",
  ], dir);
}

Deno.test(requirePrograms([...SEARCH_ENGINE_PROGRAMS, "openssl"], {
  name: "TLS verified by default, --ca-file, -i, basic auth and API key from files/env",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using engine = await startEngine("opensearch");
    await using dir = await tempDir("xrd-tls-");
    await makeCertificates(dir.path);
    await Deno.writeTextFile(dir.join("password"), "s3cret\n");
    const accepted = new Set([`Basic ${btoa("collector:s3cret")}`, "ApiKey a2V5OnNlY3JldA=="]);
    const port = freePort();
    const proxy = Deno.serve({
      hostname: "127.0.0.1",
      port,
      cert: await Deno.readTextFile(dir.join("server.pem")),
      key: await Deno.readTextFile(dir.join("server.key")),
      onListen: () => {},
    }, async (request) => {
      if (!accepted.has(request.headers.get("authorization") ?? "")) {
        return Response.json({ error: { type: "security_exception", reason: "no" } }, {
          status: 401,
        });
      }
      const url = new URL(request.url);
      const answer = await fetch(`${engine.url}${url.pathname}${url.search}`, {
        method: request.method,
        headers: { "content-type": request.headers.get("content-type") ?? "application/json" },
        body: request.body ? await request.arrayBuffer() : undefined,
      });
      return new Response(await answer.arrayBuffer(), {
        status: answer.status,
        headers: { "content-type": answer.headers.get("content-type") ?? "application/json" },
      });
    });
    const server = `https://127.0.0.1:${port}`;
    let batch = 0;
    async function attempt(
      index: string,
      values: Record<string, string | boolean>,
      insecure = false,
      env: (name: string) => string | undefined = () => undefined,
    ) {
      const options = await searchSinkOptions({
        servers: [server],
        insecure,
        time: 1,
        values,
        env,
      });
      const sink = await SearchSink.open({
        ...options,
        indexPattern: `${index}-%Y`,
        replicas: 0,
        closeTimeoutMs: 500,
      });
      batch++;
      for (const doc of syntheticCloses(batch * 100, 5, "2026-11-24T00:00:00Z")) sink.write(doc);
      const drained = await sink.drain(drainMs);
      await sink.close();
      return { drained, metrics: sink.metrics, failure: sink.lastFailure ?? "" };
    }
    let drainMs = 20_000;

    await t.step("a private CA given with --ca-file, basic auth from --password-file", async () => {
      const r = await attempt("tls-ca", {
        "ca-file": dir.join("ca.pem"),
        user: "collector",
        "password-file": dir.join("password"),
      });
      assert(r.drained);
      assertEquals(await countDocs(engine.url, "tls-ca-*"), 5);
    });

    drainMs = 3000;
    await t.step("without the CA the certificate is refused and nothing is sent", async () => {
      const r = await attempt("tls-noca", {
        user: "collector",
        "password-file": dir.join("password"),
      });
      assertEquals(r.drained, false);
      assert(r.metrics.retries > 0);
      assertEquals(r.metrics.docsIndexed, 0);
      assertEquals(await countDocs(engine.url, "tls-noca-*"), 0);
      assertMatch(r.failure, /certificate/i);
    });

    await t.step("a refused credential keeps the documents queued, no dead letters", async () => {
      await Deno.writeTextFile(dir.join("wrong"), "nope");
      const r = await attempt("tls-401", {
        "ca-file": dir.join("ca.pem"),
        user: "collector",
        "password-file": dir.join("wrong"),
      });
      assertEquals(r.drained, false);
      assertEquals(r.metrics.deadLetters, 0);
      assertEquals(r.metrics.docsIndexed, 0);
      assertMatch(r.failure, /401/);
    });

    drainMs = 20_000;
    await t.step("-i skips verification; API key from the environment", async () => {
      const env = (name: string) => name === "XRD_SEARCH_API_KEY" ? "a2V5OnNlY3JldA==" : undefined;
      const r = await attempt("tls-insecure", {}, true, env);
      assert(r.drained);
      assertEquals(await countDocs(engine.url, "tls-insecure-*"), 5);
    });
    await proxy.shutdown();
  },
}));
