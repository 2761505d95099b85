/**
 * Running the archive as an HTTP server with graceful shutdown: on SIGINT/SIGTERM it stops
 * accepting, lets in-flight requests finish, checkpoints the WAL and closes the database.
 *
 * @module
 */
import { getLogger } from "../log/mod.ts";
import { createArchiveHandler } from "./router.ts";
import { type ArchiveDb, openArchiveDb } from "./schema.ts";
import type { MetadataLimits } from "./limits.ts";
import { publicOrigin } from "./public_url.ts";
import { type ConnectionGuard, guardConnections } from "./connection_guard.ts";

/** Options of {@linkcode serveArchive}. */
export interface ServeOptions {
  /** Database file or `:memory:`. */
  readonly dbPath: string;
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
  /** Install SIGINT/SIGTERM handlers (default true). */
  readonly handleSignals?: boolean;
}

/** A running archive server. */
export interface RunningArchive extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The port bound. */
  readonly port: number;
  /** The open database (e.g. to create a token for a `:memory:` archive). */
  readonly db: ArchiveDb;
  /** Resolves once the server stopped and the database is closed. */
  readonly finished: Promise<void>;
  /** Stops accepting, drains requests, closes the database. */
  shutdown(): Promise<void>;
}

const log = getLogger("esmond-ps-archive");

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
  const handler = createArchiveHandler({
    db,
    scriptAlias: options.scriptAlias,
    maxBodyBytes: options.maxBodyBytes,
    publicUrl: options.publicUrl,
    limits: options.limits,
    bodyIdleMs: options.bodyIdleMs,
  });
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
  }, handler);
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
  const finished = server.finished.then(() => {
    db.close();
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
    db,
    finished,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}
