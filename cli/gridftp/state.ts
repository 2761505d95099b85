/**
 * The resume state: which file (device + inode), the byte offset just after the last record the
 * archive acknowledged, and that record's hash. Stored as JSON, replaced atomically (temp file,
 * fsync, rename) so a crash leaves either the old or the new state, never a torn one.
 *
 * @module
 */

/** The saved position of a run. */
export interface LoaderState {
  /** Format version of this file. */
  readonly version: 1;
  /** `netlogger` or `json`: the log format the offset belongs to. */
  readonly format: "netlogger" | "json";
  /** Path of the log when the state was saved (informational). */
  readonly path: string;
  /** Device number of the log file. */
  readonly dev: number;
  /** Inode number of the log file. */
  readonly ino: number;
  /** Byte offset just after the last stored record (where the next run starts). */
  readonly offset: number;
  /** Byte offset where that record starts. */
  readonly recordStart: number;
  /** SHA-256 (hex) of that record's bytes without its newline; null when none (offset 0). */
  readonly recordHash: string | null;
  /** 1-based line number of that record, when known. */
  readonly line: number | null;
  /** When the state was written (ISO 8601). */
  readonly savedAt: string;
}

/** What reading the state file found. */
export type StateRead =
  | { readonly kind: "missing" }
  | { readonly kind: "ok"; readonly state: LoaderState }
  | { readonly kind: "unusable"; readonly reason: string };

function isState(value: unknown): value is LoaderState {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return s.version === 1 && (s.format === "netlogger" || s.format === "json") &&
    typeof s.path === "string" && Number.isSafeInteger(s.dev) && Number.isSafeInteger(s.ino) &&
    Number.isSafeInteger(s.offset) && Number.isSafeInteger(s.recordStart) &&
    (s.recordStart as number) >= 0 && (s.offset as number) >= (s.recordStart as number) &&
    (s.recordHash === null || typeof s.recordHash === "string");
}

/**
 * Reads the state file. A file that is not our JSON (an old pickle, an empty file left by the
 * original under Python 3) is reported as unusable rather than thrown.
 *
 * @example
 * ```ts
 * import { readState } from "./state.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * assert.deepEqual(await readState(`${dir}/load_grid_ftp.pickle`), { kind: "missing" });
 * await Deno.writeTextFile(`${dir}/load_grid_ftp.pickle`, "(dp0\n");
 * assert.equal((await readState(`${dir}/load_grid_ftp.pickle`)).kind, "unusable");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readState(path: string): Promise<StateRead> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    return { kind: "unusable", reason: `cannot read state file ${path}: ${String(error)}` };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isState(value)) return { kind: "ok", state: value };
  } catch {
    // fall through: not JSON
  }
  return {
    kind: "unusable",
    reason: `state file ${path} is not a JSON state of this loader (an old pickle file?)`,
  };
}

/**
 * Writes the state atomically: a temp file beside it, fsync, rename over the old one, fsync of
 * the folder.
 *
 * @example
 * ```ts
 * import { writeState } from "./state.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await writeState(`${dir}/state.json`, {
 *   version: 1, format: "netlogger", path: "/var/log/gridftp.log", dev: 2049, ino: 1234,
 *   offset: 4096, recordStart: 3900, recordHash: "ab…", line: 12, savedAt: new Date().toISOString(),
 * });
 * assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/state.json`)).offset, 4096);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeState(path: string, state: LoaderState): Promise<void> {
  const temp = `${path}.tmp-${Deno.pid}`;
  const bytes = new TextEncoder().encode(JSON.stringify(state, null, 2) + "\n");
  {
    using file = await Deno.open(temp, { write: true, create: true, truncate: true, mode: 0o644 });
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  }
  await Deno.rename(temp, path);
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  try {
    using handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
}

/**
 * Removes the state file; a missing file is not an error.
 *
 * @example
 * ```ts
 * import { deleteState } from "./state.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/state.json`, "{}");
 * assert.equal(await deleteState(`${dir}/state.json`), true);
 * assert.equal(await deleteState(`${dir}/state.json`), false);
 * await Deno.remove(dir);
 * ```
 */
export async function deleteState(path: string): Promise<boolean> {
  try {
    await Deno.remove(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * SHA-256 of a record's bytes, hex.
 *
 * @example
 * ```ts
 * import { recordHash } from "./state.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   await recordHash(new TextEncoder().encode("abc")),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function recordHash(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
