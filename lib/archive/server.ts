/**
 * Running the archive as an HTTP server with graceful shutdown: on SIGINT/SIGTERM it stops
 * accepting, lets in-flight requests finish, checkpoints the WAL and closes the database.
 *
 * @module
 */
import { getLogger } from "../log/mod.ts";
import { type ArchiveHandlerOptions, createArchiveHandler } from "./router.ts";
import { startIngestStoreThread } from "./ingest_store_thread.ts";
import { type ArchiveDb, openArchiveDb } from "./schema.ts";
import type { MetadataLimits } from "./limits.ts";
import { publicOrigin } from "./public_url.ts";
import { type ConnectionGuard, guardConnections } from "./connection_guard.ts";
import { openSearchClient, type OpenSearchConnectionOptions } from "../opensearch/connection.ts";
import { PschedulerStore } from "../opensearch/pscheduler_store.ts";
import { openSearchReadStore } from "./opensearch_read_store.ts";
import { openSearchRunWriter } from "./opensearch_ingest.ts";
import { openSearchWriteStore } from "./opensearch_writes.ts";
import { installPschedulerTemplate } from "../opensearch/template.ts";

/** Options of {@linkcode serveArchive}. */
export interface ServeOptions {
  /** Database file or `:memory:`; with `opensearch` it holds only the tokens. */
  readonly dbPath: string;
  /**
   * Serve the esmond API over a perfSONAR 5 OpenSearch cluster (`pscheduler_*`) instead of
   * the database.
   */
  readonly opensearch?: OpenSearchConnectionOptions;
  /** With `opensearch`: install perfSONAR's index template and ISM policy when missing (default true). */
  readonly installTemplate?: boolean;
  /** Bind address (default 127.0.0.1). */
  readonly hostname?: string;
  /** Port (default 8080; 0 picks a free one). */
  readonly port?: number;
  /** Mount prefix (default `/esmond`). */
  readonly scriptAlias?: string;
  /** Largest request body in bytes. */
  readonly maxBodyBytes?: number;
  /** The public URL put in answers (`--public-url`); default: the checked `Host` header. */
  readonly publicUrl?: string;
  /** Size limits on a posted metadata. */
  readonly limits?: MetadataLimits;
  /** Longest wait for the next chunk of a request body, in ms (default 30,000). */
  readonly bodyIdleMs?: number;
  /** Longest time to receive a request's headers, in ms (default 10,000). */
  readonly headerTimeoutMs?: number;
  /** Longest time without traffic on a connection, in ms (default 120,000). */
  readonly idleMs?: number;
  /** Serve the graphs page under `/graphs/` (default: when bound to a loopback address). */
  readonly graphs?: boolean;
  /** The pScheduler http-archiver ingest (`/logstash`); off when absent. */
  readonly logstash?: ArchiveHandlerOptions["logstash"];
  /** Install SIGINT/SIGTERM handlers (default true). */
  readonly handleSignals?: boolean;
}

/** A running archive server. */
export interface RunningArchive extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The port bound. */
  readonly port: number;
  /** Whether the graphs page is served (at `${url}/graphs/`). */
  readonly graphs: boolean;
  /** The open database (e.g. to create a token for a `:memory:` archive). */
  readonly db: ArchiveDb;
  /** Resolves once the server stopped and the database is closed. */
  readonly finished: Promise<void>;
  /** Stops accepting, drains requests, closes the database. */
  shutdown(): Promise<void>;
}

const log = getLogger("esmond-ps-archive");

/**
 * Whether a bind address only listens on the machine itself.
 *
 * @example
 * ```ts
 * import { isLoopback } from "./server.ts";
 * if (!isLoopback("127.0.0.1") || isLoopback("0.0.0.0")) throw new Error();
 * ```
 */
export function isLoopback(hostname: string): boolean {
  return /^127\./.test(hostname) || hostname === "::1" || hostname === "localhost";
}

/**
 * Opens the database and serves the archive API until shut down.
 *
 * @example
 * ```ts
 * import { serveArchive } from "./server.ts";
 * await using archive = serveArchive({ dbPath: ":memory:", port: 0 });
 * console.log(archive.url);
 * ```
 */
export function serveArchive(options: ServeOptions): RunningArchive {
  if (options.publicUrl !== undefined) publicOrigin(options.publicUrl); // refuse before opening
  const db = openArchiveDb(options.dbPath);
  const client = options.opensearch ? openSearchClient(options.opensearch) : undefined;
  // Runs posted to /logstash are committed on a writer thread of their own (a `:memory:`
  // database cannot be opened twice: its runs are stored on this thread).
  const storeThread = options.logstash && !client && options.dbPath !== ":memory:"
    ? startIngestStoreThread({ path: options.dbPath })
    : undefined;
  storeThread?.catch((error) => log.error("{error}", { error: String(error) }));
  const handler = createArchiveHandler({
    db,
    store: client ? openSearchReadStore(new PschedulerStore({ client })) : undefined,
    writes: client ? openSearchWriteStore(client) : undefined,
    scriptAlias: options.scriptAlias,
    maxBodyBytes: options.maxBodyBytes,
    publicUrl: options.publicUrl,
    limits: options.limits,
    bodyIdleMs: options.bodyIdleMs,
    graphs: options.graphs ?? isLoopback(options.hostname ?? "127.0.0.1"),
    logstash: options.logstash && client
      ? { ...options.logstash, writer: openSearchRunWriter(client) }
      : options.logstash && storeThread
      ? { ...options.logstash, store: (runs) => storeThread.then((t) => t.store(runs)) }
      : options.logstash,
  });
  if (client && options.installTemplate !== false) {
    // Best effort: a reader account may not manage templates; ingest then needs it installed.
    installPschedulerTemplate(client).then(
      (done) => done.length && log.info("installed {what}", { what: done.join(" and ") }),
      (error) =>
        log.warn("could not install the pscheduler template: {error}", { error: String(error) }),
    );
  }
  const hostname = options.hostname ?? "127.0.0.1";
  let resolveListening: (port: number) => void;
  const listening = new Promise<number>((resolve) => (resolveListening = resolve));
  let guard: ConnectionGuard;
  try {
    // The public port is the guard's; the HTTP server itself listens on loopback only.
    guard = guardConnections({
      hostname,
      port: options.port ?? 8080,
      upstreamPort: 0,
      headerTimeoutMs: options.headerTimeoutMs,
      idleMs: options.idleMs,
      onTimeout: (why) => log.debug("connection closed: {why}", { why }),
    });
  } catch (error) {
    db.close();
    // Name the address: "Address already in use" alone does not say which one.
    const where = hostname.includes(":") ? `[${hostname}]` : hostname;
    const why = error instanceof Deno.errors.AddrInUse
      ? "address already in use"
      : (error as Error).message;
    throw new Error(`cannot listen on ${where}:${options.port ?? 8080}: ${why}`, { cause: error });
  }
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => resolveListening(port),
  }, (request, info) => {
    // Handlers see the real client, not the relay.
    const remoteAddr = guard.peerOf(info.remoteAddr.port) ?? info.remoteAddr;
    return handler(request, { ...info, remoteAddr });
  });
  guard.upstreamPort = (server.addr as Deno.NetAddr).port;
  const port = guard.port;
  void listening;
  let stopping: Promise<void> | undefined;
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  const onSignal = () => {
    log.info("signal received, shutting down");
    void shutdown();
  };
  if (options.handleSignals ?? true) {
    for (const signal of signals) Deno.addSignalListener(signal, onSignal);
  }
  const finished = server.finished.then(async () => {
    await (await storeThread?.catch(() => undefined))?.close();
    db.close();
    await client?.close();
    if (options.handleSignals ?? true) {
      for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
    }
    log.info("stopped; database closed");
  });
  function shutdown(): Promise<void> {
    guard.stopAccepting();
    stopping ??= server.shutdown().then(() => guard.close()).then(() => finished);
    return stopping;
  }
  const shownHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    graphs: options.graphs ?? isLoopback(hostname),
    db,
    finished,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}
