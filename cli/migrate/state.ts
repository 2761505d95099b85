/**
 * The `--state` file of `esmond-ps-migrate`: which series (esmond metadata keys) are completely
 * written to the target. It is rewritten atomically (temp file, fsync, rename, directory fsync)
 * after each finished series, so a crash leaves either the old or the new list; a series cut
 * short is simply migrated again, and the deterministic document ids make its second writes
 * no-ops (`create` answers 409). The file also names the source and target: a state file
 * written for another pair is refused, not silently reused.
 *
 * @module
 */

/** The header line of the file. */
interface StateHeader {
  readonly version: 1;
  readonly from: string;
  readonly to: string;
}

const encoder = new TextEncoder();

async function writeAll(file: Deno.FsFile, text: string): Promise<void> {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

async function syncDirectory(path: string): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = slash > 0 ? path.slice(0, slash) : slash === 0 ? "/" : ".";
  try {
    const handle = await Deno.open(dir, { read: true });
    try {
      await handle.sync();
    } finally {
      handle.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}

/** A state file for one source → target pair. */
export class MigrationState {
  readonly #done: Set<string>;
  #file: Deno.FsFile | undefined;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: Deno.FsFile | undefined, done: Iterable<string>) {
    this.#file = file;
    this.#done = new Set(done);
  }

  /**
   * Opens `path` (a missing file is an empty state), or keeps the state in memory when `path`
   * is undefined. The file is JSON Lines: a header naming source and target, then one
   * `{"done": KEY}` line per finished series, appended and fsynced; a line torn by a crash is
   * ignored. Opening compacts the file (written to a temp file and renamed over it). Throws
   * when the file is unreadable or belongs to another source/target.
   *
   * @example
   * ```ts
   * import { MigrationState } from "./state.ts";
   * const dir = await Deno.makeTempDir();
   * const state = await MigrationState.open(`${dir}/s.json`, { from: "a", to: "b" });
   * await state.markDone("K1");
   * state.close();
   * const again = await MigrationState.open(`${dir}/s.json`, { from: "a", to: "b" });
   * if (!again.isDone("K1")) throw new Error();
   * again.close();
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  static async open(
    path: string | undefined,
    pair: { from: string; to: string },
  ): Promise<MigrationState> {
    if (path === undefined) return new MigrationState(undefined, []);
    let text = "";
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw new Error(`cannot read state file ${path}: ${(error as Error).message}`);
      }
    }
    const done: string[] = [];
    if (text !== "") {
      const lines = text.split("\n");
      let header: Partial<StateHeader>;
      try {
        header = JSON.parse(lines[0]);
      } catch {
        throw new Error(`state file ${path} is not an esmond-ps-migrate state file`);
      }
      if (header.version !== 1) {
        throw new Error(`state file ${path} is not an esmond-ps-migrate state file`);
      }
      if (header.from !== pair.from || header.to !== pair.to) {
        throw new Error(
          `state file ${path} is for --from ${header.from} --to ${header.to}, not this migration`,
        );
      }
      for (const line of lines.slice(1)) {
        try {
          const entry = JSON.parse(line);
          if (typeof entry?.done === "string") done.push(entry.done);
        } catch {
          // a line torn by a crash: that series is migrated again
        }
      }
    }
    const header: StateHeader = { version: 1, from: pair.from, to: pair.to };
    const temp = `${path}.tmp-${Deno.pid}`;
    const compact = await Deno.open(temp, { write: true, create: true, truncate: true });
    try {
      await writeAll(
        compact,
        [JSON.stringify(header), ...done.map((key) => JSON.stringify({ done: key }))].join("\n") +
          "\n",
      );
      await compact.sync();
    } finally {
      compact.close();
    }
    await Deno.rename(temp, path);
    await syncDirectory(path);
    const file = await Deno.open(path, { append: true });
    return new MigrationState(file, done);
  }

  /** Whether the series was completely migrated. */
  isDone(key: string): boolean {
    return this.#done.has(key);
  }

  /** How many series are done. */
  get doneCount(): number {
    return this.#done.size;
  }

  /** Records a finished series durably (resolves once the line is on disk). */
  markDone(key: string): Promise<void> {
    this.#done.add(key);
    const file = this.#file;
    if (file === undefined) return Promise.resolve();
    const next = this.#writing.then(async () => {
      await writeAll(file, JSON.stringify({ done: key }) + "\n");
      await file.sync();
    });
    this.#writing = next.catch(() => {});
    return next;
  }

  /** Closes the file. */
  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}
