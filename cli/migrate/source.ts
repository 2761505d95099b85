/**
 * The `--from` side: an esmond archive URL (any esmond, or `esmond-ps-archive serve`) read
 * through lib/esmond's {@linkcode EsmondSource}, or local files — `esmond-ps-get-bulk -o json`
 * exports and esmond fixtures (loaded into an in-memory `esmond-ps-archive`), or an
 * `esmond-ps-archive` SQLite database — served on a loopback port for the same reader.
 *
 * @module
 */
import { EsmondSource } from "../../lib/esmond/mod.ts";
import type { ArchiveSource } from "../../lib/esmond/mod.ts";
import { importJsonText, openArchiveDb, serveArchive } from "../../lib/archive/mod.ts";
import type { RunningArchive } from "../../lib/archive/mod.ts";

/** An opened source and what to release after. */
export interface OpenedSource extends AsyncDisposable {
  /** The reader. */
  readonly source: ArchiveSource;
  /** A stable name of the source for the state file. */
  readonly name: string;
}

/** Options of {@linkcode openSource}. */
export interface OpenSourceOptions {
  /** `--insecure`. */
  readonly insecure?: boolean;
  /** `--timeout` in ms. */
  readonly timeoutMs?: number;
  /** `-v`. */
  readonly verbose?: boolean;
}

const isUrl = (text: string) => /^https?:\/\//i.test(text);

async function absolute(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    throw new Error(`cannot read --from ${path}: no such file`);
  }
}

/**
 * Opens the `--from` arguments: one URL, or any number of files.
 *
 * @example
 * ```ts
 * import { openSource } from "./source.ts";
 * await using opened = await openSource(["http://127.0.0.1:8080"]);
 * opened.source.description; // "http://127.0.0.1:8080/esmond/perfsonar/archive/"
 * ```
 */
export async function openSource(
  from: readonly string[],
  options: OpenSourceOptions = {},
): Promise<OpenedSource> {
  const http = {
    insecure: options.insecure,
    timeoutMs: options.timeoutMs,
    verbose: options.verbose,
  };
  if (from.some(isUrl)) {
    if (from.length > 1) throw new Error("--from takes one archive URL, or files");
    const source = new EsmondSource({ url: from[0], ...http });
    return {
      source,
      name: source.rootUrl,
      [Symbol.asyncDispose]: () => Promise.resolve(source.close()),
    };
  }
  const paths = await Promise.all(from.map(absolute));
  let archive: RunningArchive;
  let tempDir: string | undefined;
  if (paths.length === 1 && /\.(sqlite3?|db)$/i.test(paths[0])) {
    archive = serveArchive({ dbPath: paths[0], port: 0, handleSignals: false });
  } else {
    tempDir = await Deno.makeTempDir({ prefix: "esmond-ps-migrate-" });
    const dbPath = `${tempDir}/from.sqlite`;
    const db = openArchiveDb(dbPath);
    const now = Math.floor(Date.now() / 1000);
    try {
      for (const path of paths) {
        try {
          await importJsonText(db, await Deno.readTextFile(path), now);
        } catch (error) {
          throw new Error(`cannot load --from ${path}: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      db.close();
      await Deno.remove(tempDir, { recursive: true }).catch(() => {});
      throw error;
    }
    db.close();
    archive = serveArchive({ dbPath, port: 0, handleSignals: false });
  }
  const source = new EsmondSource({ url: archive.url, ...http });
  return {
    source,
    name: paths.join(","),
    async [Symbol.asyncDispose]() {
      source.close();
      await archive.shutdown();
      if (tempDir !== undefined) await Deno.remove(tempDir, { recursive: true }).catch(() => {});
    },
  };
}
