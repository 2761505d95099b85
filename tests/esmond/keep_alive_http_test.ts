// The keep-alive transport of bulk reads: what it reads itself must be what fetch reads, and
// whatever it does not handle must go through the fallback (fetch) unchanged.
import { assert, assertEquals, freePort } from "../harness/mod.ts";
import { keepAliveHttpTransport } from "../../lib/esmond/keep_alive_http.ts";
import { HttpClient } from "../../lib/esmond/http.ts";
import { ResponseTooLarge } from "../../lib/esmond/response_limit.ts";
import {
  fetchTransport,
  type Transport,
  type TransportRequest,
} from "../../lib/esmond/transport.ts";

const encoder = new TextEncoder();

function get(url: string, signal = new AbortController().signal): TransportRequest {
  return { method: "GET", url, headers: { "Accept": "application/json" }, signal };
}

// A fallback that counts what it was given and asks fetch.
function countingFetch(): { transport: Transport; urls: string[] } {
  const urls: string[] = [];
  const real = fetchTransport(undefined);
  return { urls, transport: (req) => (urls.push(req.url), real(req)) };
}

// A raw TCP server: `answer` writes the reply to each request head; counts connections.
function rawServer(answer: (head: string, conn: Deno.Conn) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const served = (async () => {
    for await (const conn of listener) {
      connections++;
      (async () => {
        const buf = new Uint8Array(65536);
        let text = "";
        try {
          while (true) {
            const n = await conn.read(buf);
            if (n === null) break;
            text += new TextDecoder().decode(buf.subarray(0, n));
            while (text.includes("\r\n\r\n")) {
              const at = text.indexOf("\r\n\r\n");
              const head = text.slice(0, at);
              text = text.slice(at + 4);
              await answer(head, conn);
            }
          }
        } catch {
          // The client closed.
        } finally {
          try {
            conn.close();
          } catch {
            // Closed by `answer`.
          }
        }
      })();
    }
  })();
  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    async close() {
      listener.close();
      await served.catch(() => {});
    },
  };
}

const reply = (conn: Deno.Conn, text: string) => conn.write(encoder.encode(text));

Deno.test("keep-alive: Content-Length and chunked bodies read as fetch reads them, one connection", async () => {
  const body = JSON.stringify([{ ts: 1, val: "é ünïcode" }]);
  const bytes = encoder.encode(body);
  const server = rawServer(async (head, conn) => {
    if (head.startsWith("GET /chunked")) {
      // Chunks split inside a UTF-8 character, an extension and a trailer.
      const cut = bytes.indexOf(0xc3) + 1;
      await reply(
        conn,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
          "Transfer-Encoding: chunked\r\n\r\n",
      );
      await conn.write(encoder.encode(`${cut.toString(16)};x=1\r\n`));
      await conn.write(bytes.subarray(0, cut));
      await conn.write(encoder.encode(`\r\n${(bytes.length - cut).toString(16)}\r\n`));
      await conn.write(bytes.subarray(cut));
      await reply(conn, "\r\n0\r\nX-Trailer: 1\r\n\r\n");
    } else {
      await reply(conn, `HTTP/1.1 404 Not Found\r\nContent-Length: ${bytes.length}\r\n\r\n`);
      await conn.write(bytes);
    }
  });
  const fallback = countingFetch();
  const { transport, close } = keepAliveHttpTransport(fallback.transport);
  try {
    for (const path of ["/chunked", "/plain", "/chunked"]) {
      const ours = await transport(get(server.url + path));
      const theirs = await fetchTransport(undefined)(get(server.url + path));
      assertEquals(ours.text, theirs.text);
      assertEquals(ours.status, theirs.status);
      assertEquals(ours.text, body);
    }
    assertEquals(fallback.urls, []);
    // Three requests of ours on one kept connection, three of fetch's on their own.
    assert(server.connections() <= 4, `connections: ${server.connections()}`);
  } finally {
    close();
    await server.close();
  }
});

Deno.test("keep-alive: redirects, compressed bodies and non-GETs go through the fallback", async () => {
  const server = rawServer(async (head, conn) => {
    if (head.startsWith("GET /moved")) {
      await reply(conn, "HTTP/1.1 302 Found\r\nLocation: /here\r\nContent-Length: 0\r\n\r\n");
    } else if (head.startsWith("GET /gzip")) {
      const gz = new Uint8Array(
        await new Response(
          new Blob(["[1]"]).stream().pipeThrough(new CompressionStream("gzip")),
        ).arrayBuffer(),
      );
      await reply(
        conn,
        `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`,
      );
      await conn.write(gz);
    } else {
      await reply(conn, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nhere");
    }
  });
  const fallback = countingFetch();
  const { transport, close } = keepAliveHttpTransport(fallback.transport);
  try {
    assertEquals((await transport(get(`${server.url}/moved`))).text, "here");
    assertEquals((await transport(get(`${server.url}/gzip`))).text, "[1]");
    const post = await transport({ ...get(`${server.url}/x`), method: "POST", body: "{}" });
    assertEquals(post.text, "here");
    assertEquals(fallback.urls, [`${server.url}/moved`, `${server.url}/gzip`, `${server.url}/x`]);
  } finally {
    close();
    await server.close();
  }
});

Deno.test("keep-alive: a connection the server closed is replaced; a refused one fails as fetch fails", async () => {
  const server = rawServer(async (_head, conn) => {
    // Announces keep-alive, then closes: the next request finds a dead connection.
    await reply(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    conn.close();
  });
  const fallback = countingFetch();
  const { transport, close } = keepAliveHttpTransport(fallback.transport);
  try {
    for (let i = 0; i < 3; i++) assertEquals((await transport(get(`${server.url}/a`))).text, "ok");
    assertEquals(fallback.urls, []);
    const refused = `http://127.0.0.1:${freePort()}/`;
    const theirs = await fetchTransport(undefined)(get(refused)).catch((e) => e as Error);
    const ours = await transport(get(refused)).catch((e) => e as Error);
    assert(theirs instanceof Error && ours instanceof Error);
    assertEquals(ours.message, theirs.message);
  } finally {
    close();
    await server.close();
  }
});

Deno.test("keep-alive: an abort (timeout) ends a request that gets no answer", async () => {
  const server = rawServer(() => new Promise(() => {}));
  const fallback = countingFetch();
  const { transport, close } = keepAliveHttpTransport(fallback.transport);
  try {
    const controller = new AbortController();
    const reason = new DOMException("timed out after 50 ms", "TimeoutError");
    const timer = setTimeout(() => controller.abort(reason), 50);
    const error = await transport(get(`${server.url}/slow`, controller.signal)).then(
      () => undefined,
      (e: unknown) => e,
    );
    clearTimeout(timer);
    assertEquals(error, reason);
    assertEquals(fallback.urls, []);
  } finally {
    close();
    await server.close();
  }
});

Deno.test("response limit: an answer over maxBytes fails on every transport, with no retry", async () => {
  const big = "x".repeat(5000);
  const server = rawServer(async (head, conn) => {
    if (head.startsWith("GET /chunked")) {
      await reply(conn, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (let i = 0; i < 5; i++) await reply(conn, `3e8\r\n${big.slice(0, 1000)}\r\n`);
      await reply(conn, "0\r\n\r\n");
    } else if (head.startsWith("GET /unframed")) {
      await reply(conn, `HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n${big}`);
      conn.close();
    } else if (head.startsWith("GET /small")) {
      await reply(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    } else {
      await reply(conn, `HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}`);
    }
  });
  const fallback = countingFetch();
  const { transport, close } = keepAliveHttpTransport(fallback.transport);
  const limited = (path: string) => ({ ...get(server.url + path), maxBytes: 1000 });
  try {
    for (const path of ["/length", "/chunked", "/unframed"]) {
      for (const send of [transport, fetchTransport(undefined)]) {
        const error = await send(limited(path)).catch((e: unknown) => e);
        assert(
          error instanceof ResponseTooLarge,
          `${path} ${send === transport ? "ours" : "fetch"}: ${error}`,
        );
        assertEquals(error.message, "the answer is larger than 1000 bytes");
      }
    }
    // None of ours went to fetch, and an answer within the limit still reads.
    assertEquals(fallback.urls, []);
    assertEquals((await transport(limited("/small"))).text, "ok");
    assertEquals((await transport(get(server.url + "/length"))).text, big);

    // The HTTP layer does not retry it, and says what was wrong.
    const attempts: number[] = [];
    using http = new HttpClient({
      maxResponseBytes: 1000,
      retries: 3,
      sleep: () => Promise.resolve(),
      onRequest: ({ attempt }) => attempts.push(attempt),
    });
    const error = await http.request({ url: server.url + "/length" }).catch((e: unknown) => e);
    assert(error instanceof Error && /larger than 1000 bytes/.test(error.message), `${error}`);
    assertEquals(attempts, [1]);
  } finally {
    close();
    await server.close();
  }
});
