/**
 * Request routing, authentication and error mapping of the archive: turns a `Request` into
 * the esmond-compatible `Response`.
 *
 * @module
 */
import { getLogger } from "../log/mod.ts";
import {
  BodyAborted,
  BodyNotUtf8,
  BodyTooLarge,
  created,
  detail,
  jsonText,
  readBody,
} from "./http_util.ts";
import { type MetadataLimits, resolveLimits } from "./limits.ts";
import { requestOrigin } from "./public_url.ts";
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
import type { PyValue } from "../esmond/py_json/mod.ts";
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
  /**
   * The archive's public URL (`http://host:port`), used for every URL in answers. Without it
   * the origin comes from the `Host` header, which must then be a plain `host[:port]`.
   */
  readonly publicUrl?: string;
  /** Size limits on a posted metadata. */
  readonly limits?: MetadataLimits;
  /** Longest wait for the next chunk of a request body, in ms (default 30,000). */
  readonly bodyIdleMs?: number;
  /** Serve the graphs page under `/graphs/` (default true). */
  readonly graphs?: boolean;
  /** The pScheduler http-archiver ingest (`/logstash`); off when absent. */
  readonly logstash?: Omit<LogstashIngestOptions, "db" | "maxBodyBytes" | "bodyIdleMs" | "now">;
}

const log = getLogger("esmond-ps-archive", "http");
const AUTH_HEADERS = { "www-authenticate": "Token" };
const SEGMENT = /^[\w.-]+$/;

/** A write method; GET also answers HEAD. */
type Method = "GET" | "POST" | "PUT";

/** What a route's handler gets. */
interface RouteCall {
  readonly ctx: RequestContext;
  /** The `:name` parts of the path pattern. */
  readonly params: Readonly<Record<string, string>>;
  /** The request body, parsed (with an optional fast path for big plain bodies). */
  readonly body: (fast?: (plain: unknown) => PyValue | undefined) => Promise<PyValue>;
}

/** One entry of the route table: a path pattern and a handler per method. */
interface Route {
  /** The path after `archive/`, parts separated by `/`, `:name` for a parameter. */
  readonly path: string;
  /** DRF router routes (the list and the detail) require the trailing slash. */
  readonly slash: "required" | "optional";
  /** The methods served (named in `Allow`). */
  readonly methods: Readonly<Partial<Record<Method, (call: RouteCall) => Promise<Response>>>>;
  /** Methods answered with an error, not named in `Allow`. */
  readonly refused?: Readonly<Partial<Record<Method, (call: RouteCall) => never>>>;
}

/** The archive API below `archive/`, shallowest first. */
const ROUTES: readonly Route[] = [
  {
    path: "",
    slash: "required",
    methods: {
      GET: ({ ctx }) => listMetadata(ctx),
      POST: async ({ ctx, body }) => createMetadata(ctx, await body()),
    },
  },
  {
    path: ":key",
    slash: "required",
    methods: {
      GET: ({ ctx, params }) => Promise.resolve(getMetadata(ctx, params.key)),
      PUT: async ({ ctx, params, body }) => putBulk(ctx, params.key, await body(fastBulkBody)),
    },
  },
  {
    path: ":key/:eventType",
    slash: "optional",
    methods: {
      GET: ({ ctx, params }) => Promise.resolve(getEventType(ctx, params.key, params.eventType)),
      POST: async ({ body }) => {
        await body();
        return created();
      },
    },
  },
  {
    path: ":key/:eventType/:summary",
    slash: "optional",
    methods: {
      GET: ({ ctx, params: { key, eventType, summary } }) =>
        Promise.resolve(
          summary === "base"
            ? getSeries(ctx, key, eventType, "base", undefined)
            : listSummaries(ctx, key, eventType, summary),
        ),
      POST: async ({ ctx, params: { key, eventType, summary }, body }) =>
        postPoint(ctx, key, eventType, summary, await body()),
    },
  },
  {
    path: ":key/:eventType/:summary/:window",
    slash: "optional",
    methods: {
      GET: ({ ctx, params: { key, eventType, summary, window } }) =>
        Promise.resolve(getSeries(ctx, key, eventType, summary, window)),
    },
    refused: {
      POST: ({ params }) => {
        throw new ValueError(
          `Only base summary-type allowed for writing. Cannot use ${params.summary}`,
        );
      },
    },
  },
];

/** A route's `Allow` header: its methods, then HEAD and OPTIONS. */
function allowOf(route: Route): string {
  return [...Object.keys(route.methods), "HEAD", "OPTIONS"].join(", ");
}

const PATTERNS = ROUTES.map((route) => route.path === "" ? [] : route.path.split("/"));

/** The route whose pattern matches `parts`, with its parameters. */
function match(parts: readonly string[]): { route: Route; params: Record<string, string> } | null {
  for (let r = 0; r < ROUTES.length; r++) {
    const pattern = PATTERNS[r];
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      if (pattern[i].startsWith(":")) params[pattern[i].slice(1)] = parts[i];
      else ok = pattern[i] === parts[i];
    }
    if (ok) return { route: ROUTES[r], params };
  }
  return null;
}

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
    if (colon <= 0) {
      return {
        error: detail(401, "Invalid token header. ApiKey needs user:token.", AUTH_HEADERS),
      };
    }
    claimed = token.slice(0, colon);
    token = token.slice(colon + 1);
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

// The path of a request URL for a log line; never throws.
function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "(unparsable URL)";
  }
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
  const limits = resolveLimits(options.limits);
  if (!options.db && !options.store) throw new TypeError("createArchiveHandler needs db or store");
  const store = options.store ?? sqliteReadStore(options.db!);
  const writes = options.writes ??
    (options.store || !options.db ? undefined : sqliteWriteStore(options.db));
  const logstash = options.logstash && options.db &&
    createLogstashIngest({
      ...options.logstash,
      db: options.db,
      maxBodyBytes: maxBody,
      bodyIdleMs: options.bodyIdleMs,
      now,
    });

  async function route(request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
    const origin = requestOrigin(request, options.publicUrl);
    if (origin === undefined) return detail(400, "Bad Host header.");
    let url: URL;
    try {
      const received = new URL(request.url);
      url = new URL(`${received.pathname}${received.search}`, origin);
    } catch {
      return detail(400, "Bad Host header.");
    }
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
      limits,
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
      parseWriteBody(
        request.headers.get("content-type"),
        await readBody(request, maxBody, {
          idleMs: options.bodyIdleMs,
        }),
        fast,
      );

    const found = match(parts);
    // Too deep a path answers 404 with the deepest route's methods, as DRF's last view does.
    const allow = allowOf(found?.route ?? ROUTES[ROUTES.length - 1]);
    const dispatch = async (): Promise<Response> => {
      if (found === null) return detail(404, "Not found.");
      const { route, params } = found;
      if (route.slash === "required" && !trailing) {
        return method === "GET" ? redirectWithSlash(url) : detail(404, "Not found.");
      }
      const call: RouteCall = { ctx, params, body };
      const handler = route.methods[method as Method];
      if (handler !== undefined) return await handler(call);
      const refuse = route.refused?.[method as Method];
      if (refuse !== undefined) refuse(call);
      return notAllowed(method, allow);
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
      else if (error instanceof BodyNotUtf8) response = detail(400, error.message);
      else if (error instanceof BodyAborted) {
        log.warn("{method} {path}: {why}", {
          method: request.method,
          path: safePath(request.url),
          why: error.message,
        });
        response = detail(400, error.message);
      } else {
        log.error("request failed: {method} {url}: {error}", {
          method: request.method,
          url: safePath(request.url),
          error: String((error as Error)?.stack ?? error),
        });
        response = detail(500, "Internal server error.");
      }
    }
    log.debug("{method} {url} {status} {ms}ms", {
      method: request.method,
      url: safePath(request.url),
      status: response.status,
      ms: Math.round(performance.now() - started),
    });
    if (request.method === "HEAD") {
      return new Response(null, { status: response.status, headers: response.headers });
    }
    return response;
  };
}
