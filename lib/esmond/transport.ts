/**
 * The byte-moving part of the HTTP layer: one request → status, headers, body text. The
 * default uses `fetch` (with a `Deno.HttpClient` carrying extra CA certificates when asked);
 * `insecure` needs `node:https`, the only Deno client that can skip certificate checks.
 *
 * @module
 */
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import { keepAliveHttpTransport } from "./keep_alive_http.ts";
import { MAX_RESPONSE_BYTES, ResponseTooLarge } from "./response_limit.ts";

/** One request as the HTTP layer hands it to a transport. */
export interface TransportRequest {
  /** HTTP method. */
  readonly method: string;
  /** Absolute URL. */
  readonly url: string;
  /** Request headers. */
  readonly headers: Record<string, string>;
  /** Request body, if any. */
  readonly body?: string;
  /** Aborts the request (timeouts). */
  readonly signal: AbortSignal;
  /**
   * The most body bytes accepted (default {@linkcode MAX_RESPONSE_BYTES}); a larger answer
   * rejects with {@linkcode ResponseTooLarge}.
   */
  readonly maxBytes?: number;
}

/** What a transport returns. */
export interface TransportResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers (lower-case names). */
  readonly headers: Headers;
  /** The whole body as text. */
  readonly text: string;
}

/**
 * Sends one request. Implementations throw on network failure and when `signal` aborts.
 *
 * @example
 * ```ts
 * import type { Transport } from "./transport.ts";
 * const t: Transport = async (req) => ({ status: 200, headers: new Headers(), text: "[]" });
 * ```
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** TLS settings of {@linkcode createTransport}. */
export interface TlsOptions {
  /** Skip certificate verification (explicit opt-in; verification is on by default). */
  readonly insecure?: boolean;
  /** PEM file with extra CA certificates to trust. */
  readonly caFile?: string;
  /**
   * Plain `http:` GETs over kept-alive connections with reused buffers (see
   * `keep_alive_http.ts`), everything else through `fetch`. For bulk reads.
   */
  readonly keepAliveHttp?: boolean;
}

/**
 * A transport with the given TLS settings, plus a `close()` that frees its client.
 *
 * @example
 * ```ts
 * import { createTransport } from "./transport.ts";
 * const { transport, close } = createTransport({});
 * close();
 * ```
 */
export function createTransport(
  options: TlsOptions,
): { transport: Transport; close: () => void } {
  if (options.insecure) {
    const ca = options.caFile ? Deno.readTextFileSync(options.caFile) : undefined;
    return { transport: nodeTransport({ rejectUnauthorized: false, ca }), close: () => {} };
  }
  if (options.caFile) {
    const client = Deno.createHttpClient({ caCerts: [Deno.readTextFileSync(options.caFile)] });
    return { transport: fetchTransport(client), close: () => client.close() };
  }
  if (options.keepAliveHttp) return keepAliveHttpTransport(fetchTransport(undefined));
  return { transport: fetchTransport(undefined), close: () => {} };
}

/**
 * The `fetch` transport, optionally through a `Deno.HttpClient`.
 *
 * @example
 * ```ts
 * import { fetchTransport } from "./transport.ts";
 * const transport = fetchTransport(undefined);
 * ```
 */
export function fetchTransport(client: Deno.HttpClient | undefined): Transport {
  return async (req) => {
    const init: RequestInit & { client?: Deno.HttpClient } = {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      redirect: "follow",
    };
    if (client) init.client = client;
    const response = await fetch(req.url, init);
    const text = await boundedText(response, req.maxBytes ?? MAX_RESPONSE_BYTES);
    return { status: response.status, headers: response.headers, text };
  };
}

/**
 * A `node:http(s)` transport; used for `insecure`, where `fetch` cannot skip verification.
 *
 * @example
 * ```ts
 * import { nodeTransport } from "./transport.ts";
 * const transport = nodeTransport({ rejectUnauthorized: false });
 * ```
 */
export function nodeTransport(tls: { rejectUnauthorized: boolean; ca?: string }): Transport {
  return (req) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const url = new URL(req.url);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const r = send(url, {
        method: req.method,
        headers: req.headers,
        rejectUnauthorized: tls.rejectUnauthorized,
        ca: tls.ca,
      }, (res) => {
        const body = new BodyText();
        const limit = req.maxBytes ?? MAX_RESPONSE_BYTES;
        let size = 0;
        res.on("data", (c: Uint8Array) => {
          size += c.length;
          if (size > limit) {
            const error = new ResponseTooLarge(limit);
            r.destroy(error);
            reject(error);
          } else body.add(c);
        });
        res.on("error", reject);
        res.on("end", () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : String(v));
          }
          const text = body.end();
          resolve({ status: res.statusCode ?? 0, headers, text });
        });
      });
      // node:http in Deno does not reliably honour `signal`; destroy the request ourselves.
      const abort = () => {
        const reason = req.signal.reason ?? new DOMException("aborted", "AbortError");
        r.destroy(reason instanceof Error ? reason : new Error(String(reason)));
        reject(reason);
      };
      if (req.signal.aborted) return abort();
      req.signal.addEventListener("abort", abort, { once: true });
      r.on("close", () => req.signal.removeEventListener("abort", abort));
      r.on("error", reject);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
}

// The body as text, read piece by piece so that reading stops at `limit` bytes.
async function boundedText(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limit || response.body === null) {
    await response.body?.cancel();
    if (declared > limit) throw new ResponseTooLarge(limit);
    return "";
  }
  const text = new BodyText();
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > limit) throw new ResponseTooLarge(limit); // leaving the loop cancels the body
    text.add(chunk);
  }
  return text.end();
}

// A body decoded as its pieces come (a character split between pieces is put together).
class BodyText {
  readonly #decoder = new TextDecoder();
  #parts: string[] = [];

  add(bytes: Uint8Array): void {
    this.#parts.push(this.#decoder.decode(bytes, { stream: true }));
  }

  end(): string {
    this.#parts.push(this.#decoder.decode());
    return this.#parts.join("");
  }
}
