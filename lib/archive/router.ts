/**
 * Request routing, authentication and error mapping of the archive: turns a `Request` into
 * the esmond-compatible `Response`.
 *
 * @module
 */
import { getLogger } from "../log/mod.ts";
import { BodyTooLarge, created, detail, jsonText, readBody } from "./http_util.ts";
import {
  getEventType,
  getMetadata,
  getSeries,
  listMetadata,
  listSummaries,
  type RequestContext,
} from "./read_handlers.ts";
import { graphsResponse } from "./graphs/mod.ts";
import type { ArchiveDb } from "./schema.ts";
import { type ReadStore, sqliteReadStore } from "./read_store.ts";
import { sqliteWriteStore, type WriteStore } from "./write_store.ts";
import { WriteRejected } from "./points_table.ts";
import { userForToken } from "./tokens.ts";
import { ValueError } from "./values.ts";
import type { PyValue } from "./pyjson.ts";
import { createLogstashIngest, type LogstashIngestOptions } from "./logstash_ingest.ts";
import {
  createMetadata,
  fastBulkBody,
  parseWriteBody,
  postPoint,
  putBulk,
} from "./write_handlers.ts";

/** Options of {@linkcode createArchiveHandler}. */
export interface ArchiveHandlerOptions {
  /** The open database: tokens, writes and (unless `store` is given) reads. */
  readonly db?: ArchiveDb;
  /** Serve the read endpoints from this backend instead of `db` (e.g. OpenSearch). */
  readonly store?: ReadStore;
  /** Take the esmond writes into this backend (default: `db`, unless `store` is given). */
  readonly writes?: WriteStore;
  /** Mount prefix, default `/esmond` (empty string for none). Bare `/perfsonar/` always works. */
  readonly scriptAlias?: string;
  /** Largest accepted request body in bytes (default 64 MiB). */
  readonly maxBodyBytes?: number;
  /** Clock (UNIX seconds); tests may pin it. */
  readonly now?: () => number;
  /** Serve the graphs page under `/graphs/` (default true). */
  readonly graphs?: boolean;
  /** The pScheduler http-archiver ingest (`/logstash`); off when absent. */
  readonly logstash?: Omit<LogstashIngestOptions, "db" | "maxBodyBytes" | "now">;
}

const log = getLogger("esmond-ps-archive", "http");
const AUTH_HEADERS = { "www-authenticate": "Token" };
const SEGMENT = /^[\w.-]+$/;
// Methods of each route, by the number of path parts after `archive/`.
const ALLOW = [
  "GET, POST, HEAD, OPTIONS",
  "GET, PUT, HEAD, OPTIONS",
  "GET, POST, HEAD, OPTIONS",
  "GET, POST, HEAD, OPTIONS",
  "GET, HEAD, OPTIONS",
];

type AuthResult = { user: string | undefined } | { error: Response };

async function authenticate(
  db: ArchiveDb | undefined,
  header: string | null,
): Promise<AuthResult> {
  if (header === null) return { user: undefined };
  const parts = header.trim().split(/ +/);
  const scheme = parts[0].toLowerCase();
  if (scheme !== "token" && scheme !== "apikey") return { user: undefined };
  if (parts.length === 1) {
    return { error: detail(401, "Invalid token header. No credentials provided.", AUTH_HEADERS) };
  }
  if (parts.length > 2) {
    return {
      error: detail(
        401,
        "Invalid token header. Token string should not contain spaces.",
        AUTH_HEADERS,
      ),
    };
  }
  // The esmond v1 form is `ApiKey user:key`; the user must own the key.
  let token = parts[1];
  let claimed: string | undefined;
  if (scheme === "apikey") {
    const colon = token.lastIndexOf(":");
    claimed = colon >= 0 ? token.slice(0, colon) : undefined;
    token = colon >= 0 ? token.slice(colon + 1) : token;
  }
  const user = db === undefined ? undefined : await userForToken(db, token);
  if (user === undefined || (claimed !== undefined && claimed !== user)) {
    return { error: detail(401, "Invalid token.", AUTH_HEADERS) };
  }
  return { user };
}

function redirectWithSlash(url: URL): Response {
  const target = new URL(url);
  target.pathname += "/";
  return new Response(null, { status: 301, headers: { location: target.href } });
}

function notAllowed(method: string, allow: string): Response {
  return detail(405, `Method "${method}" not allowed.`, { allow });
}

/**
 * A `Deno.serve` handler serving the esmond perfSONAR archive API from `options.db`.
 *
 * @example
 * ```ts
 * import { createArchiveHandler, openArchiveDb } from "./mod.ts";
 * const handler = createArchiveHandler({ db: openArchiveDb(":memory:") });
 * const response = await handler(new Request("http://127.0.0.1/esmond/perfsonar/archive/"));
 * ```
 */
export function createArchiveHandler(
  options: ArchiveHandlerOptions,
): (request: Request, info?: Deno.ServeHandlerInfo) => Promise<Response> {
  const alias = (options.scriptAlias ?? "/esmond").replace(/\/+$/, "");
  const prefixes = [...new Set([`${alias}/perfsonar/`, "/perfsonar/"])];
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  if (!options.db && !options.store) throw new TypeError("createArchiveHandler needs db or store");
  const store = options.store ?? sqliteReadStore(options.db!);
  const writes = options.writes ??
    (options.store || !options.db ? undefined : sqliteWriteStore(options.db));
  const logstash = options.logstash && options.db &&
    createLogstashIngest({ ...options.logstash, db: options.db, maxBodyBytes: maxBody, now });

  async function route(request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
    const url = new URL(request.url);
    const page = options.graphs === false
      ? undefined
      : graphsResponse(url, request.method, { archivePath: `${prefixes[0]}archive/` });
    if (page) return page;
    if (logstash?.matches(url.pathname)) {
      const auth = await authenticate(options.db, request.headers.get("authorization"));
      if ("error" in auth) return auth.error;
      const remote = info?.remoteAddr as Deno.NetAddr | undefined;
      return await logstash.handle(request, auth.user, remote?.hostname);
    }
    if (prefixes.includes(`${url.pathname}/`)) return redirectWithSlash(url);
    const prefix = prefixes.find((p) => url.pathname.startsWith(p));
    if (!prefix) return detail(404, "Not found.");
    const method = request.method === "HEAD" ? "GET" : request.method;
    const auth = await authenticate(options.db, request.headers.get("authorization"));
    if ("error" in auth) return auth.error;
    const ctx: RequestContext = {
      // With another read backend the database only holds tokens.
      db: options.store ? undefined : options.db,
      store,
      writes,
      mount: { origin: url.origin, archivePath: `${prefix}archive/` },
      url,
      now: now(),
    };
    const rest = url.pathname.slice(prefix.length);
    if (rest === "") {
      if (method !== "GET") return notAllowed(method, "GET, HEAD, OPTIONS");
      return jsonText(JSON.stringify({ archive: `${url.origin}${prefix}archive/` }));
    }
    const segments = rest.split("/");
    if (segments[0] !== "archive") return detail(404, "Not found.");
    const trailing = segments[segments.length - 1] === "";
    const parts = trailing ? segments.slice(1, -1) : segments.slice(1);
    if (parts.some((p) => !SEGMENT.test(p))) return detail(404, "Not found.");
    const needsWrite = method === "POST" || method === "PUT";
    if (needsWrite && auth.user === undefined) {
      return detail(401, "Authentication credentials were not provided.", AUTH_HEADERS);
    }
    if (needsWrite && !ctx.writes) return detail(405, "This archive is read-only.");
    const body = async (fast?: (plain: unknown) => PyValue | undefined) =>
      parseWriteBody(request.headers.get("content-type"), await readBody(request, maxBody), fast);

    const allow = ALLOW[Math.min(parts.length, 4)];
    const dispatch = async (): Promise<Response> => {
      if (parts.length <= 1) {
        // DRF router routes: the trailing slash is required.
        if (!trailing) {
          return method === "GET" ? redirectWithSlash(url) : detail(404, "Not found.");
        }
        if (parts.length === 0) {
          if (method === "GET") return await listMetadata(ctx);
          if (method === "POST") return await createMetadata(ctx, await body());
          return notAllowed(method, allow);
        }
        if (method === "GET") return getMetadata(ctx, parts[0]);
        if (method === "PUT") return putBulk(ctx, parts[0], await body(fastBulkBody));
        return notAllowed(method, allow);
      }
      const [key, eventType, summary, window] = parts;
      if (parts.length === 2) {
        if (method === "GET") return getEventType(ctx, key, eventType);
        if (method === "POST") {
          await body();
          return created();
        }
        return notAllowed(method, allow);
      }
      if (parts.length === 3) {
        if (method === "POST") return postPoint(ctx, key, eventType, summary, await body());
        if (method !== "GET") return notAllowed(method, allow);
        if (summary === "base") return getSeries(ctx, key, eventType, "base", undefined);
        return listSummaries(ctx, key, eventType, summary);
      }
      if (parts.length === 4) {
        if (method === "POST") {
          throw new ValueError(`Only base summary-type allowed for writing. Cannot use ${summary}`);
        }
        if (method !== "GET") return notAllowed(method, allow);
        return getSeries(ctx, key, eventType, summary, window);
      }
      return detail(404, "Not found.");
    };
    const response = await dispatch();
    // DRF names the methods of the view on every answer.
    if (response.status !== 301 && !response.headers.has("allow")) {
      response.headers.set("allow", allow);
    }
    return response;
  }

  return async (request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> => {
    const started = performance.now();
    let response: Response;
    try {
      if (request.method === "OPTIONS") {
        response = new Response(null, {
          status: 200,
          headers: { allow: "GET, POST, PUT, HEAD, OPTIONS" },
        });
      } else {
        response = await route(request, info);
      }
    } catch (error) {
      if (error instanceof ValueError) response = detail(400, error.message);
      else if (error instanceof WriteRejected) response = detail(error.status, error.message);
      else if (error instanceof BodyTooLarge) response = detail(413, error.message);
      else {
        log.error("request failed: {method} {url}: {error}", {
          method: request.method,
          url: request.url,
          error: String((error as Error)?.stack ?? error),
        });
        response = detail(500, "Internal server error.");
      }
    }
    log.debug("{method} {url} {status} {ms}ms", {
      method: request.method,
      url: request.url,
      status: response.status,
      ms: Math.round(performance.now() - started),
    });
    if (request.method === "HEAD") {
      return new Response(null, { status: response.status, headers: response.headers });
    }
    return response;
  };
}
