/**
 * The `/logstash` ingest route: pScheduler's http archiver POSTs/PUTs a run result as it
 * would to perfSONAR's Logstash; the archive turns it into the Logstash document
 * (`lib/pscheduler`) and the esmond metadata and points pScheduler's esmond archiver would
 * have written, stores all of it in one SQLite transaction and only then answers 200.
 * Concurrent posts share a transaction (group commit), each in its own savepoint; the server
 * runs those transactions on a writer thread of their own.
 *
 * @module
 */
import { getLogger } from "../log/mod.ts";
import {
  canonicalJson,
  DroppedEvent,
  esmondView,
  EsmondViewError,
  getPath,
  isObject,
  logstashDocument,
  type NameResolver,
  parseJson,
  sha256Hex,
} from "../pscheduler/mod.ts";
import { BodyTooLarge, detail, readBody } from "./http_util.ts";
import { describeMetadata } from "./described_metadata.ts";
import { parsePyJsonTree } from "../esmond/py_json/tree.ts";
import { pyTreeOf } from "../esmond/py_json/tree_of.ts";
import {
  ensurePschedulerTables,
  type LogstashRun,
  type PreparedRun,
  type StoredRun,
  storeRunGroups,
} from "./pscheduler_store.ts";
import type { ArchiveDb } from "./schema.ts";
import { userForToken } from "./tokens.ts";
import { ValueError } from "./values.ts";
import { WriteRejected } from "./points_table.ts";
import { parseBulkPoints } from "./write_handlers.ts";

/** Options of {@linkcode createLogstashIngest}. */
export interface LogstashIngestOptions {
  /** The open database. */
  readonly db: ArchiveDb;
  /** Name service of the pipeline's endpoint normalisation and the esmond addresses. */
  readonly resolver: NameResolver;
  /** Paths served (each also with anything below it), default `["/logstash"]`. */
  readonly paths?: readonly string[];
  /** Accept posts without credentials (default false: a token is required). */
  readonly anonymous?: boolean;
  /** Largest accepted body in bytes. */
  readonly maxBodyBytes?: number;
  /**
   * Longest wait for the next chunk of a body, in ms (the esmond routes' `--body-timeout`;
   * default 30,000).
   */
  readonly bodyIdleMs?: number;
  /** Clock (UNIX seconds). */
  readonly now?: () => number;
  /**
   * Store the runs elsewhere than the SQLite database (e.g. OpenSearch `pscheduler_*`);
   * resolves once they are durable. `db` is then only used for credentials.
   */
  readonly writer?: (runs: LogstashRun[]) => Promise<StoredRun[]>;
  /**
   * Stores the runs with their esmond view in `db`'s file other than in a transaction of
   * this thread (e.g. {@linkcode startIngestStoreThread}); resolves once they are durable.
   */
  readonly store?: (runs: PreparedRun[]) => Promise<StoredRun[]>;
}

/** The ingest route. */
export interface LogstashIngest {
  /** Whether `pathname` belongs to the route. */
  matches(pathname: string): boolean;
  /**
   * Answers one request; `user` is the authenticated user from the esmond token header
   * (undefined when none was sent).
   */
  handle(request: Request, user: string | undefined, clientAddress?: string): Promise<Response>;
}

/** A body the route refuses (nothing stored). */
export class IngestRejected extends Error {
  /** @example `new IngestRejected(400, "no test.type")` */
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const log = getLogger("esmond-ps-archive", "logstash");

function ok(stored: number, duplicates: number): Response {
  return new Response("ok", {
    status: 200,
    headers: {
      "content-type": "text/plain",
      "x-runs-stored": String(stored),
      "x-runs-already-stored": String(duplicates),
    },
  });
}

// Fills what the esmond archiver would leave null (an address it could not resolve) from the
// Logstash document, so the metadata is one esmond accepts.
function completeSubject(metadata: Record<string, unknown>, document: Record<string, unknown>) {
  const meta = (isObject(document.meta) ? document.meta : {}) as Record<string, unknown>;
  const ip = (side: string) => getPath(meta, [side, "ip"]);
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  if (typeof metadata.source !== "string") {
    metadata.source = text(ip("source")) ?? text(ip("observer")) ??
      String(metadata["input-source"]);
  }
  if (metadata["subject-type"] === "point-to-point" && typeof metadata.destination !== "string") {
    metadata.destination = text(ip("destination")) ?? String(metadata["input-destination"]);
  }
  if (typeof metadata["measurement-agent"] !== "string") {
    metadata["measurement-agent"] = text(ip("observer")) ?? metadata.source;
  }
  if (typeof metadata["input-source"] !== "string") {
    metadata["input-source"] = String(metadata["input-source"] ?? metadata.source);
  }
  if (
    metadata["subject-type"] === "point-to-point" &&
    typeof metadata["input-destination"] !== "string"
  ) {
    metadata["input-destination"] = String(metadata["input-destination"] ?? metadata.destination);
  }
}

/** The identity of a run: its run href (else its id), else the whole body. */
function runKeyOf(body: Record<string, unknown>): string {
  const href = getPath(body, ["run", "href"]);
  if (typeof href === "string" && href !== "") return sha256Hex(`run-href\u0000${href}`);
  if (typeof body.id === "string" && body.id !== "") return sha256Hex(`id\u0000${body.id}`);
  return sha256Hex(`body\u0000${canonicalJson(body)}`);
}

/** What the runs of a request are prepared from. */
export interface RunContext {
  /** The `x-ps-observer` header. */
  readonly observer?: string;
  /** The address the request came from. */
  readonly clientAddress?: string;
  /** Name service of the endpoint normalisation and the esmond addresses. */
  readonly resolver: NameResolver;
}

function parseBodies(text: string): unknown[] {
  if (text.trim() === "") {
    throw new IngestRejected(400, "empty body: expected a pScheduler run result");
  }
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    throw new IngestRejected(400, `body is not JSON: ${(error as Error).message}`);
  }
  const bodies = Array.isArray(parsed) ? parsed : [parsed];
  if (bodies.length === 0) throw new IngestRejected(400, "an empty JSON array holds no run");
  return bodies;
}

// Each body of a request in turn; a body the pipeline refuses rejects the whole request.
async function eachBody<T>(
  text: string,
  build: (body: Record<string, unknown>) => Promise<T>,
): Promise<T[]> {
  const bodies = parseBodies(text);
  const built: T[] = [];
  for (const [i, body] of bodies.entries()) {
    try {
      if (!isObject(body)) throw new DroppedEvent("the body is not a JSON object");
      built.push(await build(body));
    } catch (error) {
      if (
        error instanceof DroppedEvent || error instanceof EsmondViewError ||
        error instanceof ValueError
      ) {
        throw new IngestRejected(
          400,
          `${bodies.length > 1 ? `element ${i + 1}: ` : ""}${error.message}`,
        );
      }
      throw error;
    }
  }
  return built;
}

async function logstashRun(
  body: Record<string, unknown>,
  context: RunContext,
  receivedAt: Date,
): Promise<{ run: LogstashRun; document: Record<string, unknown> }> {
  const { index, document } = await logstashDocument(body, { ...context, receivedAt });
  return { run: { runKey: runKeyOf(body), index, document: JSON.stringify(document) }, document };
}

/**
 * Turns one request body into the runs Logstash would index (no esmond view: what an
 * OpenSearch writer stores); throws {@linkcode IngestRejected} with the reason when it
 * cannot be taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logstashRuns } from "./logstash_ingest.ts";
 * import { OFFLINE_RESOLVER } from "../pscheduler/mod.ts";
 * await assert.rejects(logstashRuns("[]", { resolver: OFFLINE_RESOLVER }), /holds no run/);
 * ```
 */
export function logstashRuns(text: string, context: RunContext): Promise<LogstashRun[]> {
  const receivedAt = new Date();
  return eachBody(text, async (body) => (await logstashRun(body, context, receivedAt)).run);
}

/**
 * Turns one request body into the runs to store here, each with the esmond metadata and
 * points pScheduler's esmond archiver would have written; throws
 * {@linkcode IngestRejected} with the reason when it cannot be taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareRuns } from "./logstash_ingest.ts";
 * import { OFFLINE_RESOLVER } from "../pscheduler/mod.ts";
 * await assert.rejects(prepareRuns(" ", { resolver: OFFLINE_RESOLVER }), /empty body/);
 * ```
 */
export function prepareRuns(text: string, context: RunContext): Promise<PreparedRun[]> {
  const receivedAt = new Date();
  return eachBody(text, async (body) => {
    const { run, document } = await logstashRun(body, context, receivedAt);
    const view = await esmondView(body, {
      resolver: context.resolver,
      measurementAgent: context.observer || undefined,
      bodyChecked: true, // logstashRun refused what the check would
    });
    completeSubject(view.metadata, document);
    const metadataText = JSON.stringify(view.metadata);
    const { metadata, checksum } = await describeMetadata(metadataText);
    const registered = new Set(metadata.eventTypes.map((e) => e.eventType));
    const data = {
      data: view.data.data.map((p) => ({
        ts: p.ts,
        val: p.val.filter((v) => registered.has(v["event-type"])),
      })),
    };
    // Built as a tree directly: the JSON text in between cost a fifth of a run's preparation.
    const points = parseBulkPoints(pyTreeOf(data) ?? parsePyJsonTree(JSON.stringify(data)));
    return { ...run, metadataText, metadata, checksum, points };
  });
}

async function basicUser(db: ArchiveDb, header: string): Promise<string | undefined | null> {
  const m = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  if (!m) return null; // not Basic
  let decoded: string;
  try {
    decoded = atob(m[1]);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const owner = await userForToken(db, decoded.slice(colon + 1));
  return owner !== undefined && owner === user ? user : undefined;
}

/**
 * The route. Credentials: the esmond write API's `Authorization: Token …` (or `ApiKey`),
 * checked by the caller, or HTTP Basic with an archive user as name and one of its tokens as
 * password (perfSONAR's own archive set-up sends Basic).
 *
 * @example
 * ```ts
 * import { createLogstashIngest } from "./logstash_ingest.ts";
 * import { openArchiveDb } from "./schema.ts";
 * import { OFFLINE_RESOLVER } from "../pscheduler/mod.ts";
 * const ingest = createLogstashIngest({ db: openArchiveDb(":memory:"), resolver: OFFLINE_RESOLVER });
 * ingest.matches("/logstash"); // true
 * ```
 */
export function createLogstashIngest(options: LogstashIngestOptions): LogstashIngest {
  const paths = (options.paths ?? ["/logstash"]).map((p) => p.replace(/\/+$/, "") || "/");
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  if (!options.writer) ensurePschedulerTables(options.db);
  let pending: { runs: PreparedRun[]; done: (r: StoredRun[] | Error) => void }[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = pending;
    pending = [];
    let results: (StoredRun[] | Error)[] | Error;
    try {
      results = storeRunGroups(options.db, batch.map((b) => b.runs), now());
    } catch (error) {
      results = error instanceof Error ? error : new Error(String(error));
    }
    batch.forEach((b, i) => b.done(results instanceof Error ? results : results[i]));
  }

  // Requests arriving while one transaction is prepared share the next one (group commit).
  function store(runs: PreparedRun[]): Promise<StoredRun[]> {
    return new Promise((resolve, reject) => {
      pending.push({ runs, done: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, 0);
      }
    });
  }

  return {
    matches: (pathname) =>
      paths.some((p) => pathname === p || pathname.startsWith(p === "/" ? "/" : `${p}/`)),
    async handle(request, user, clientAddress) {
      if (request.method !== "POST" && request.method !== "PUT") {
        return detail(405, `Method "${request.method}" not allowed.`, { allow: "POST, PUT" });
      }
      let who = user;
      const authorization = request.headers.get("authorization");
      if (who === undefined && authorization !== null) {
        const basic = await basicUser(options.db, authorization);
        if (basic === undefined) {
          return detail(401, "Invalid username/token.", {
            "www-authenticate": 'Basic realm="archive"',
          });
        }
        if (basic !== null) who = basic;
      }
      if (who === undefined && !options.anonymous) {
        return detail(401, "Authentication credentials were not provided.", {
          "www-authenticate": "Token",
        });
      }
      try {
        // As on the esmond write routes: invalid UTF-8 (BodyNotUtf8) and a stalled client
        // (BodyAborted) end in a 400 from the router, before anything is stored.
        const text = await readBody(request, maxBody, { idleMs: options.bodyIdleMs });
        const context = {
          observer: request.headers.get("x-ps-observer") ?? undefined,
          clientAddress,
          resolver: options.resolver,
        };
        let results: StoredRun[];
        try {
          results = options.writer
            ? await options.writer(await logstashRuns(text, context))
            : await (options.store ?? store)(await prepareRuns(text, context));
        } catch (error) {
          if (error instanceof WriteRejected) return detail(error.status, error.message);
          if (error instanceof ValueError) return detail(400, error.message);
          throw error;
        }
        const created = results.filter((r) => r.created).length;
        log.debug("stored {created} run(s), {known} already stored", {
          created,
          known: results.length - created,
        });
        return ok(created, results.length - created);
      } catch (error) {
        if (error instanceof IngestRejected) return detail(error.status, error.message);
        if (error instanceof BodyTooLarge) return detail(413, error.message);
        throw error;
      }
    },
  };
}
