/**
 * Test helper: starts the real `esmond-ps-archive serve` as a subprocess on a free loopback
 * port with a fresh (or given) database and a write token.
 *
 * @example
 * ```ts
 * import { startArchive } from "./archive_server.ts";
 * await using archive = await startArchive();
 * const response = await fetch(`${archive.url}/esmond/perfsonar/archive/`);
 * await response.body?.cancel();
 * ```
 *
 * @module
 */
import { denoRunArgs, findTool } from "../scripts/tools.ts";
import { freePort, runTool, startChildServer, tempDir } from "./harness/mod.ts";

/** Options of {@linkcode startArchive}. */
export interface StartArchiveOptions {
  /** Database file; default a new file in a temp folder removed on stop. */
  readonly dbPath?: string;
  /** User the write token belongs to (default `test`). */
  readonly tokenUser?: string;
  /** Mount prefix (default `/esmond`). */
  readonly scriptAlias?: string;
  /** Extra arguments for `serve` (e.g. `["--max-body", "1000"]`). */
  readonly extraArgs?: readonly string[];
}

/** A running archive subprocess. */
export interface TestArchive extends AsyncDisposable {
  /** Base URL without the mount prefix, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** URL of the archive root, e.g. `http://127.0.0.1:40123/esmond/perfsonar/archive/`. */
  readonly archiveUrl: string;
  /** A valid write token (`Authorization: Token <token>`). */
  readonly token: string;
  /** The database file. */
  readonly dbPath: string;
  /** The port. */
  readonly port: number;
  /** What the server logged so far. */
  stderr(): string;
  /**
   * Stops the server (SIGTERM by default; `"SIGKILL"` to simulate a crash). The temp folder of a
   * default database is kept until `[Symbol.asyncDispose]`, so a test can restart on it.
   */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/**
 * Starts `esmond-ps-archive serve`, waits until it answers, and creates a token.
 *
 * @example
 * ```ts
 * import { startArchive } from "./archive_server.ts";
 * await using archive = await startArchive({ tokenUser: "writer" });
 * console.log(archive.url, archive.token);
 * ```
 */
export async function startArchive(options: StartArchiveOptions = {}): Promise<TestArchive> {
  const dir = options.dbPath === undefined ? await tempDir("esmond-archive-") : undefined;
  const dbPath = options.dbPath ?? `${dir!.path}/archive.sqlite`;
  const alias = (options.scriptAlias ?? "/esmond").replace(/\/+$/, "");
  const added = await runTool("esmond-ps-archive", [
    "token",
    "add",
    options.tokenUser ?? "test",
    "--db",
    dbPath,
  ]);
  if (added.code !== 0) {
    await dir?.[Symbol.asyncDispose]();
    throw new Error(`esmond-ps-archive token add failed: ${added.stderr}`);
  }
  const token = added.stdout.trim();
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const archiveUrl = `${url}${alias}/perfsonar/archive/`;
  const server = await startChildServer({
    name: "esmond-ps-archive",
    command: Deno.execPath(),
    args: denoRunArgs(findTool("esmond-ps-archive")!, [
      "serve",
      "--db",
      dbPath,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--script-alias",
      alias,
      ...(options.extraArgs ?? []),
    ]),
    env: { NO_COLOR: "1" },
    ready: async () => {
      const response = await fetch(archiveUrl + "?limit=1");
      await response.body?.cancel();
      return response.ok;
    },
  });
  return {
    url,
    archiveUrl,
    token,
    dbPath,
    port,
    stderr: server.stderr,
    stop: (signal?: Deno.Signal) => server.stop(signal),
    async [Symbol.asyncDispose]() {
      await server.stop();
      await dir?.[Symbol.asyncDispose]();
    },
  };
}
