/**
 * A plain-HTTP/1.1 GET transport over kept-alive TCP connections, each reading into one
 * reused byte buffer. Measured on a data page of 10,000 points (370 kB): `fetch` costs about
 * 0.6 ms of CPU per page and its body buffers kept the process 60 MB (10k-point pages) to
 * 100 MB (25k-point pages) above a loop reading the same pages this way (0.14 ms a page, RSS
 * at the runtime's own ~47 MB). Bulk export reads millions of points, so that is most of its
 * remaining CPU and memory.
 *
 * Only the plain case is handled here: a `GET` to an `http:` URL without credentials in it,
 * no proxy configured, answered with a 2xx/4xx/5xx status and an unencoded body framed by
 * `Content-Length`, chunks or the connection's end. Everything else (HTTPS, redirects,
 * compressed bodies, a refused or dropped connection, a malformed answer) is sent again
 * through the `fallback` transport (`fetch`), so its errors, messages and redirects stay
 * exactly those of `fetch`. A GET may be repeated: it changes nothing on the archive. An answer
 * larger than the request's `maxBytes` rejects with `ResponseTooLarge`, without a second try.
 *
 * @module
 */
import { MAX_RESPONSE_BYTES, ResponseTooLarge } from "./response_limit.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Proxy settings `fetch` honours: with any of them, requests must go through `fetch`.
const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

function proxyConfigured(): boolean {
  try {
    return PROXY_VARIABLES.some((name) => (Deno.env.get(name) ?? "") !== "");
  } catch {
    // No env permission: assume a proxy might be set, and keep to fetch.
    return true;
  }
}

/** Why the plain path gave up on a request (it then goes through the fallback). */
class NotPlain extends Error {}

/** One kept-alive connection and its read buffer. */
class Connection {
  readonly conn: Deno.TcpConn;
  buffer = new Uint8Array(64 * 1024);
  // A chunked body's data, put together.
  body = new Uint8Array(64 * 1024);
  // Bytes of the buffer read from the socket but not used yet (start, end).
  start = 0;
  end = 0;

  constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  /** Reads more bytes after `end`; false at the end of the stream. */
  async fill(): Promise<boolean> {
    if (this.end === this.buffer.length) {
      if (this.start > 0) {
        this.buffer.copyWithin(0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      } else {
        const bigger = new Uint8Array(this.buffer.length * 2);
        bigger.set(this.buffer);
        this.buffer = bigger;
      }
    }
    const n = await this.conn.read(this.buffer.subarray(this.end));
    if (n === null) return false;
    this.end += n;
    return true;
  }

  /** The next line (without CRLF), reading as needed. */
  async line(): Promise<string> {
    while (true) {
      for (let i = this.start; i + 1 < this.end; i++) {
        if (this.buffer[i] === 13 && this.buffer[i + 1] === 10) {
          const text = decoder.decode(this.buffer.subarray(this.start, i));
          this.start = i + 2;
          return text;
        }
      }
      if (this.end - this.start > 64 * 1024) throw new NotPlain("header line too long");
      if (!await this.fill()) throw new NotPlain("connection closed in the header");
    }
  }

  /** Ensures `n` unread bytes are buffered. */
  async need(n: number): Promise<void> {
    if (this.start + n > this.buffer.length) {
      const size = Math.max(this.buffer.length * 2, n + 1024);
      const bigger = new Uint8Array(size);
      bigger.set(this.buffer.subarray(this.start, this.end));
      this.end -= this.start;
      this.start = 0;
      this.buffer = bigger;
    }
    while (this.end - this.start < n) {
      if (!await this.fill()) throw new NotPlain("connection closed in the body");
    }
  }
}

interface Head {
  readonly status: number;
  readonly headers: Headers;
  readonly keepAlive: boolean;
}

async function readHead(c: Connection): Promise<Head> {
  const status = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(await c.line());
  if (status === null) throw new NotPlain("not an HTTP/1.x status line");
  const headers = new Headers();
  // Bounded like the line length, so an endless header section cannot grow the process.
  for (let count = 0;; count++) {
    const line = await c.line();
    if (line === "") break;
    if (count === 256) throw new NotPlain("more than 256 header lines");
    const colon = line.indexOf(":");
    if (colon <= 0) throw new NotPlain("malformed header line");
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      throw new NotPlain("invalid header");
    }
  }
  const connection = (headers.get("connection") ?? "").toLowerCase();
  const keepAlive = status[1] === "1" ? !connection.includes("close") : false;
  return { status: Number(status[2]), headers, keepAlive };
}

// The body as text; `c` is left at the first byte after it.
async function readBody(
  c: Connection,
  head: Head,
  limit: number,
): Promise<{ text: string; reusable: boolean }> {
  const te = (head.headers.get("transfer-encoding") ?? "").toLowerCase();
  if (te !== "") {
    if (te !== "chunked") throw new NotPlain("transfer-encoding " + te);
    // The chunks' data are copied together into the connection's (reused) body buffer.
    let length = 0;
    while (true) {
      const size = parseInt((await c.line()).split(";")[0].trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new NotPlain("bad chunk size");
      if (size === 0) {
        // Trailers, then the empty line.
        while ((await c.line()) !== "");
        return { text: decoder.decode(c.body.subarray(0, length)), reusable: head.keepAlive };
      }
      if (length + size > limit) throw new ResponseTooLarge(limit);
      await c.need(size + 2);
      if (length + size > c.body.length) {
        const bigger = new Uint8Array(Math.max(c.body.length * 2, length + size));
        bigger.set(c.body.subarray(0, length));
        c.body = bigger;
      }
      c.body.set(c.buffer.subarray(c.start, c.start + size), length);
      length += size;
      if (c.buffer[c.start + size] !== 13 || c.buffer[c.start + size + 1] !== 10) {
        throw new NotPlain("chunk without its CRLF");
      }
      c.start += size + 2;
    }
  }
  const length = head.headers.get("content-length");
  if (length !== null) {
    if (!/^\d+$/.test(length)) throw new NotPlain("bad content-length");
    const n = Number(length);
    if (n > limit) throw new ResponseTooLarge(limit);
    await c.need(n);
    const text = decoder.decode(c.buffer.subarray(c.start, c.start + n));
    c.start += n;
    return { text, reusable: head.keepAlive };
  }
  // No framing: the body runs to the end of the connection.
  do {
    if (c.end - c.start > limit) throw new ResponseTooLarge(limit);
  } while (await c.fill());
  const text = decoder.decode(c.buffer.subarray(c.start, c.end));
  c.start = c.end;
  return { text, reusable: false };
}

function requestText(url: URL, headers: Record<string, string>): string {
  let text = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name + value) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new NotPlain("header not sendable as is");
    }
    const lower = name.toLowerCase();
    if (lower === "host" || lower === "connection" || lower === "accept-encoding") continue;
    text += `${name}: ${value}\r\n`;
  }
  return text + "Accept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n";
}

/**
 * The keep-alive transport, sending what it does not handle through `fallback`.
 *
 * @example
 * ```ts
 * import { keepAliveHttpTransport } from "./keep_alive_http.ts";
 * import { fetchTransport } from "./transport.ts";
 * const { transport, close } = keepAliveHttpTransport(fetchTransport(undefined));
 * // const page = await transport({ method: "GET", url: "http://127.0.0.1:8000/…", headers: {}, signal });
 * close();
 * ```
 */
export function keepAliveHttpTransport(
  fallback: Transport,
): { transport: Transport; close: () => void } {
  const idle = new Map<string, Connection[]>();
  const open = new Set<Connection>();
  const useFetch = proxyConfigured();

  const drop = (c: Connection) => {
    open.delete(c);
    try {
      c.conn.close();
    } catch {
      // Already closed.
    }
  };

  async function plain(req: TransportRequest, url: URL): Promise<TransportResponse> {
    const key = url.host;
    const text = requestText(url, req.headers);
    let c = idle.get(key)?.pop();
    const fresh = c === undefined;
    if (c === undefined) {
      const port = url.port === "" ? 80 : Number(url.port);
      const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
      try {
        c = new Connection(await Deno.connect({ hostname, port }));
      } catch (error) {
        throw new NotPlain(`connect: ${error}`);
      }
    }
    open.add(c);
    const connection = c;
    const abort = () => drop(connection);
    req.signal.addEventListener("abort", abort, { once: true });
    try {
      try {
        await c.conn.write(encoder.encode(text));
        const head = await readHead(c);
        if (head.status < 200 || (head.status >= 300 && head.status < 400)) {
          throw new NotPlain(`status ${head.status}`);
        }
        const coding = (head.headers.get("content-encoding") ?? "identity").toLowerCase();
        if (coding !== "identity") throw new NotPlain("content-encoding " + coding);
        const body = await readBody(c, head, req.maxBytes ?? MAX_RESPONSE_BYTES);
        if (body.reusable && c.start === c.end) {
          c.start = c.end = 0;
          const list = idle.get(key) ?? [];
          list.push(c);
          idle.set(key, list);
        } else {
          drop(c);
        }
        return { status: head.status, headers: head.headers, text: body.text };
      } catch (error) {
        drop(c);
        if (req.signal.aborted) throw req.signal.reason;
        // The same answer would come through fetch: no second try.
        if (error instanceof ResponseTooLarge) throw error;
        // A kept connection the server closed meanwhile: try once on a new one.
        if (!fresh) return await plain(req, url);
        if (error instanceof NotPlain) throw error;
        throw new NotPlain(String(error));
      }
    } finally {
      req.signal.removeEventListener("abort", abort);
    }
  }

  const transport: Transport = async (req) => {
    if (useFetch || req.method !== "GET" || req.body !== undefined) return await fallback(req);
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return await fallback(req);
    }
    if (url.protocol !== "http:" || url.username !== "" || url.password !== "") {
      return await fallback(req);
    }
    req.signal.throwIfAborted();
    try {
      return await plain(req, url);
    } catch (error) {
      if (req.signal.aborted) throw req.signal.reason;
      if (!(error instanceof NotPlain)) throw error;
      return await fallback(req);
    }
  };

  return {
    transport,
    close: () => {
      for (const c of [...open]) drop(c);
      for (const list of idle.values()) for (const c of list) drop(c);
      idle.clear();
    },
  };
}
