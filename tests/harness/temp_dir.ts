/**
 * Temporary folders that remove themselves.
 *
 * @module
 */

/** A temporary folder; `await using` removes it with its contents. */
export interface TempDir extends AsyncDisposable {
  /** Absolute path of the folder. */
  readonly path: string;
  /** A path inside the folder. */
  join(...parts: string[]): string;
}

/**
 * Creates a temporary folder that is removed when disposed.
 *
 * @example
 * ```ts
 * import { tempDir } from "./temp_dir.ts";
 * await using dir = await tempDir("archive-");
 * await Deno.writeTextFile(dir.join("a.txt"), "hello");
 * ```
 */
export async function tempDir(prefix = "esmond-test-"): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    join: (...parts: string[]) => [path, ...parts].join("/"),
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}
