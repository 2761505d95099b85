// Hostile requests against esmond-ps-archive serve: malformed values, oversized metadata, bad
// Host headers, auth forms, framing and slow clients. The real server runs as a subprocess.
import { assert, assertEquals, assertMatch } from "../harness/mod.ts";
import { startArchive, type TestArchive } from "../archive_server.ts";
import { expectStatus, send } from "../archive/http_helpers.ts";
import { testDataPath } from "../harness/test_data.ts";

const METADATA = {
  "subject-type": "point-to-point",
  "source": "10.0.0.1",
  "destination": "10.0.0.2",
  "measurement-agent": "10.0.0.1",
  "tool-name": "bwctl/iperf3",
  "input-source": "a.example",
  "input-destination": "b.example",
  "event-types": [{ "event-type": "throughput" }],
};

/** Sends raw bytes on one connection and returns everything the server answered. */
async function raw(port: number, request: Uint8Array | string, waitMs = 5000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const bytes = typeof request === "string" ? new TextEncoder().encode(request) : request;
    await conn.write(bytes);
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(65536);
    const deadline = setTimeout(() => conn.close(), waitMs);
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) break;
        chunks.push(buffer.slice(0, n));
        const text = new TextDecoder().decode(concat(chunks));
        const end = text.indexOf("\r\n\r\n");
        const length = /content-length: (\d+)/i.exec(text);
        if (end >= 0 && length && text.length >= end + 4 + Number(length[1])) break;
      }
    } catch {
      // closed by the deadline or the server
    } finally {
      clearTimeout(deadline);
    }
    return new TextDecoder().decode(concat(chunks));
  } finally {
    try {
      conn.close();
    } catch {
      // already closed
    }
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

let shared: TestArchive | undefined;
let key = "";
async function archive(): Promise<TestArchive> {
  if (shared) return shared;
  shared = await startArchive({
    extraArgs: [
      "--body-timeout",
      "1",
      "--header-timeout",
      "1",
      "--idle-timeout",
      "2",
      "--max-keys",
      "40",
    ],
  });
  const r = await send(shared, "", METADATA);
  key = JSON.parse(await expectStatus(r, 201))["metadata-key"];
  return shared;
}

Deno.test({
  name: "hostile archive requests",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const a = await archive();
    try {
      await t.step("ts not an integer in range: 400 naming ts, nothing written", async () => {
        for (const ts of [99999999999999999999, true, 1.5e300, "99999999999999999999"]) {
          const body = JSON.stringify({ ts, val: 1 }).replace("1e+20", "99999999999999999999");
          const one = await send(a, `${key}/throughput/base`, body);
          await expectStatus(one, 400, /field ts must be an integer/);
          const bulk = await send(
            a,
            `${key}/`,
            `{"data":[{"ts":1,"val":[{"event-type":"throughput","val":1}]},{"ts":${
              JSON.stringify(ts).replace("1e+20", "99999999999999999999")
            },"val":[{"event-type":"throughput","val":2}]}]}`,
            { method: "PUT" },
          );
          await expectStatus(bulk, 400, /position 2: field ts must be an integer/);
        }
        for (const ts of ["x", -1, null]) {
          const one = await send(a, `${key}/throughput/base`, { ts, val: 1 });
          await expectStatus(one, 400, "Time must be a unix timestamp"); // esmond's own words
        }
        const stored = await (await fetch(`${a.archiveUrl}${key}/throughput/base?time-range=0`))
          .text();
        assertEquals(JSON.parse(stored), []);
      });

      await t.step("metadata limits: 400 naming the limit and its option", async () => {
        const many: Record<string, unknown> = { ...METADATA };
        for (let i = 0; i < 50; i++) many[`p${i}`] = "v";
        await expectStatus(await send(a, "", many), 400, /maxKeys=40 .*--max-keys/);
        await expectStatus(
          await send(a, "", { ...METADATA, big: "x".repeat(9000) }),
          400,
          /maxValueLength=8192 .*--max-value-length/,
        );
        await expectStatus(
          await send(a, "", { ...METADATA, ["k".repeat(300)]: "v" }),
          400,
          /maxKeyLength=256/,
        );
        const types = Array.from({ length: 300 }, () => ({ "event-type": "throughput" }));
        await expectStatus(
          await send(a, "", { ...METADATA, "event-types": types }),
          400,
          /maxEventTypes=256/,
        );
        const list = JSON.parse(await (await fetch(a.archiveUrl)).text());
        assertEquals(list.length, 1);
      });

      await t.step("bad Host headers: 400, no stack in the log", async () => {
        for (const host of ['a"b<script>', "[::1", "a b", "x:99999"]) {
          const answer = await raw(
            a.port,
            `GET /esmond/perfsonar/archive/ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          );
          assertMatch(answer, /^HTTP\/1\.1 400/, `${host}: ${answer}`);
        }
        assert(!/\n\s+at /.test(a.stderr()), a.stderr());
        // A plain Host is echoed, as esmond does.
        const ok = await raw(
          a.port,
          `GET /esmond/perfsonar/archive/?limit=1 HTTP/1.1\r\nHost: ps.example:81\r\nConnection: close\r\n\r\n`,
        );
        assertMatch(ok, /"url": ?"http:\/\/ps\.example:81\/esmond\/perfsonar\/archive\//);
      });

      await t.step("ApiKey without user: is refused; user:key of another user too", async () => {
        const headers = (authorization: string) => ({
          authorization,
          "content-type": "application/json",
        });
        for (
          const value of [`ApiKey ${a.token}`, `ApiKey :${a.token}`, `ApiKey other:${a.token}`]
        ) {
          const r = await fetch(a.archiveUrl, {
            method: "POST",
            headers: headers(value),
            body: JSON.stringify(METADATA),
          });
          await expectStatus(r, 401);
        }
        const good = await fetch(a.archiveUrl, {
          method: "POST",
          headers: headers(`ApiKey test:${a.token}`),
          body: JSON.stringify(METADATA),
        });
        await expectStatus(good, 201);
      });

      await t.step(
        "auth forms that held: no, empty, spaced, lower-case, unknown tokens",
        async () => {
          for (
            const value of [null, "Token", "Token a b", "token nope", "Basic dGVzdDp4", "Token "]
          ) {
            const h: Record<string, string> = { "content-type": "application/json" };
            if (value !== null) h.authorization = value;
            const r = await fetch(a.archiveUrl, {
              method: "POST",
              headers: h,
              body: JSON.stringify(METADATA),
            });
            await expectStatus(r, 401);
          }
        },
      );

      await t.step("offset above 2^53 is 400, not the first page", async () => {
        await expectStatus(
          await fetch(`${a.archiveUrl}?offset=99999999999999999999`),
          400,
          /offset/,
        );
        const r = await fetch(`${a.archiveUrl}?offset=1&limit=1`);
        assertEquals(r.status, 200);
        await r.body?.cancel();
      });

      await t.step("invalid UTF-8 in a body is refused", async () => {
        const body = new Uint8Array([
          ...new TextEncoder().encode('{"ts":5,"val":1,"x":"'),
          0xff,
          0xfe,
          ...new TextEncoder().encode('"}'),
        ]);
        const r = await fetch(`${a.archiveUrl}${key}/throughput/base`, {
          method: "POST",
          headers: { authorization: `Token ${a.token}`, "content-type": "application/json" },
          body,
        });
        await expectStatus(r, 400, /UTF-8/);
      });

      await t.step("a client gone mid-body: one warning line, no stack", async () => {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: a.port });
        await conn.write(
          new TextEncoder().encode(
            `PUT /esmond/perfsonar/archive/${key}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
              `Authorization: Token ${a.token}\r\nContent-Type: application/json\r\n` +
              `Content-Length: 1000\r\n\r\n{"data":[`,
          ),
        );
        await new Promise((r) => setTimeout(r, 200));
        conn.close();
        const deadline = Date.now() + 4000;
        while (!/mid-body|no body data/.test(a.stderr()) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
        }
        const lines = a.stderr().split("\n").filter((l) => /mid-body|no body data/.test(l));
        assertEquals(lines.length, 1, a.stderr());
        assertMatch(lines[0], /WARN/i);
        assert(!/\n\s+at /.test(a.stderr()), a.stderr());
      });

      await t.step("a slow body is cut after --body-timeout", async () => {
        const started = Date.now();
        const answer = await raw(
          a.port,
          `PUT /esmond/perfsonar/archive/${key}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
            `Authorization: Token ${a.token}\r\nContent-Type: application/json\r\n` +
            `Content-Length: 1000\r\nConnection: close\r\n\r\n{"data":[`,
          6000,
        );
        assertMatch(answer, /^HTTP\/1\.1 400/);
        assert(Date.now() - started < 5000);
      });

      await t.step("/logstash: invalid UTF-8 and a slow body are 400, nothing stored", async () => {
        const run = Deno.readTextFileSync(testDataPath("pscheduler", "latency-twamp.json"));
        const count = async () =>
          (await (await fetch(`${a.archiveUrl}?pscheduler-test-type=latency`)).json()).length;
        const before = await count();
        const at = run.indexOf('"twping"') + 2;
        const body = new Uint8Array([
          ...new TextEncoder().encode(run.slice(0, at)),
          0xff,
          0xfe,
          ...new TextEncoder().encode(run.slice(at)),
        ]);
        const r = await fetch(`${a.url}/logstash`, {
          method: "PUT",
          headers: { authorization: `Token ${a.token}`, "content-type": "application/json" },
          body,
        });
        await expectStatus(r, 400, /UTF-8/);
        const started = Date.now();
        const answer = await raw(
          a.port,
          `PUT /logstash HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token ${a.token}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${run.length}\r\n` +
            `Connection: close\r\n\r\n${run.slice(0, 100)}`,
          6000,
        );
        assertMatch(answer, /^HTTP\/1\.1 400/);
        assertMatch(answer, /no body data for 1000 ms/);
        assert(Date.now() - started < 5000);
        assertEquals(await count(), before);
        // The same run sent whole is taken: the refusals were about the bytes, not the run.
        const ok = await fetch(`${a.url}/logstash`, {
          method: "PUT",
          headers: { authorization: `Token ${a.token}`, "content-type": "application/json" },
          body: run,
        });
        assertEquals([ok.status, await ok.text()], [200, "ok"]);
        assertEquals(await count(), before + 1);
      });

      await t.step("slow headers and idle connections are closed", async () => {
        const started = Date.now();
        const slow = await raw(a.port, "GET /esmond/perfsonar/archive/ HTTP/1.1\r\nHo", 6000);
        assertEquals(slow, "");
        const cut = Date.now() - started;
        assert(cut >= 900 && cut < 4000, `closed after ${cut} ms`);
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: a.port });
        const idleStart = Date.now();
        await conn.write(
          new TextEncoder().encode(
            "GET /esmond/perfsonar/archive/?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
          ),
        );
        const buffer = new Uint8Array(65536);
        // Read the answer, then nothing more: the kept-alive connection is closed when idle.
        while ((await conn.read(buffer)) !== null) {
          assert(Date.now() - idleStart < 6000, "idle connection still open");
        }
        conn.close();
        const idleFor = Date.now() - idleStart;
        assert(idleFor >= 1500 && idleFor < 5000, `idle connection closed after ${idleFor} ms`);
      });

      await t.step(
        "framing that held: bad content-length, chunked garbage, huge declared",
        async () => {
          const answer = await raw(
            a.port,
            `POST /esmond/perfsonar/archive/ HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
              `Content-Length: 99999999999\r\nAuthorization: Token ${a.token}\r\n` +
              `Content-Type: application/json\r\nConnection: close\r\n\r\n{}`,
            3000,
          );
          assertMatch(answer, /^HTTP\/1\.1 (413|400)/);
          const chunked = await raw(
            a.port,
            `POST /esmond/perfsonar/archive/ HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
              `Transfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\nzz\r\n`,
            3000,
          );
          assert(!/^HTTP\/1\.1 5/.test(chunked), chunked);
        },
      );

      await t.step("traversal and filter injection that held", async () => {
        for (const path of ["../../etc/passwd", "%2e%2e/%2e%2e/", `${key}/..%2f..%2f/`]) {
          const r = await fetch(`${a.archiveUrl}${path}`);
          assert(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
          await r.body?.cancel();
        }
        for (const q of ["source=' OR 1=1 --", "tool-name=%25", 'event-type=x"); DROP TABLE']) {
          const r = await fetch(`${a.archiveUrl}?${q}`);
          const text = await r.text();
          // Refused (400) or matching nothing; never every row, never a 500.
          assert(r.status === 400 || JSON.parse(text).length === 0, `${q}: ${r.status} ${text}`);
        }
      });

      await t.step("time parsing and deep JSON that held", async () => {
        for (
          const q of [
            "time-start=1e400",
            "time-range=-5",
            "time-end=NaN",
            "time=99999999999999999999",
          ]
        ) {
          const r = await fetch(`${a.archiveUrl}${key}/throughput/base?${q}`);
          assert(r.status < 500, `${q}: ${r.status}`);
          await r.body?.cancel();
        }
        const deep = "[".repeat(100000) + "]".repeat(100000);
        const r = await send(a, `${key}/throughput/base`, deep);
        assert(r.status === 400 || r.status === 413, String(r.status));
        await r.body?.cancel();
        assert(!/\n\s+at /.test(a.stderr()), a.stderr());
      });
    } finally {
      await a[Symbol.asyncDispose]();
    }
  },
});
