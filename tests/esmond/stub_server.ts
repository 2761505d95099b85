/**
 * A tiny in-process HTTP server on loopback for unit and fault-injection tests of the esmond
 * client: each test supplies the handler; every request is recorded.
 *
 * @module
 */
import { freePort } from "../harness/mod.ts";

/** A request as the stub saw it. */
export interface SeenRequest {
  /** HTTP method. */
  readonly method: string;
  /** Full URL. */
  readonly url: URL;
  /** Request headers. */
  readonly headers: Headers;
  /** Body text. */
  readonly body: string;
}

/** A running stub. */
export interface Stub extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request so far. */
  readonly requests: SeenRequest[];
}

/**
 * Starts a stub server answering with `handler`.
 *
 * @example
 * ```ts
 * import { startStub } from "./stub_server.ts";
 * await using stub = startStub(() => Response.json([]));
 * ```
 */
export function startStub(
  handler: (req: SeenRequest) => Response | Promise<Response>,
): Stub {
  const requests: SeenRequest[] = [];
  const port = freePort();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    async (req) => {
      const seen = {
        method: req.method,
        url: new URL(req.url),
        headers: req.headers,
        body: await req.text(),
      };
      requests.push(seen);
      return await handler(seen);
    },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** A JSON response with esmond's bare content type. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers ?? {}) },
  });
}

/** A JSON response from raw text (to control number spelling). */
export function rawJson(text: string, init: ResponseInit = {}): Response {
  return new Response(text, {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers ?? {}) },
  });
}

/** A point of a stub series: `ts` plus the raw JSON text of `val`. */
export interface StubPoint {
  /** Seconds. */
  readonly ts: number;
  /** Raw JSON of the value (`"325.0"`, `'{"10":600}'`). */
  readonly val: string;
}

/**
 * Serves a series with the archive's data-route semantics (spec §4): inclusive
 * `time-start`/`time-end`, then `[offset, offset+limit)`; `maxPage` caps a page like a
 * server with a maximum page size.
 */
export function seriesResponse(
  points: readonly StubPoint[],
  url: URL,
  options: { maxPage?: number } = {},
): Response {
  const p = url.searchParams;
  const start = p.has("time-start") ? Number(p.get("time-start")) : 0;
  const end = p.has("time-end") ? Number(p.get("time-end")) : Infinity;
  const offset = Number(p.get("offset") ?? 0);
  let limit = p.has("limit") ? Number(p.get("limit")) : 1500;
  if (options.maxPage !== undefined) limit = Math.min(limit, options.maxPage);
  const page = points.filter((x) => x.ts >= start && x.ts <= end).slice(offset, offset + limit);
  return rawJson(`[${page.map((x) => `{"ts":${x.ts},"val":${x.val}}`).join(",")}]`);
}

/** Every item of an async iterable, in order. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
