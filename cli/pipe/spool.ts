/**
 * The spool: results that could not be posted, one JSON file each, written atomically so a
 * crash never leaves half a file, and removed only after the archive accepted them.
 *
 * @module
 */
import type { PipePayload } from "./types.ts";

/** Marks spool files so `--replay` never posts an unrelated JSON file. */
export const SPOOL_FORMAT = "esmond-ps-pipe-spool/1";

/** One spooled result. */
export interface SpoolEntry {
  /** Full path of the file. */
  readonly path: string;
  /** The result to post. */
  readonly payload: PipePayload;
}

/** A spool file that cannot be replayed. */
export class SpoolFileError extends Error {
  /** Creates the error naming the file. */
  constructor(readonly path: string, reason: string) {
    super(`spool file ${path}: ${reason}`);
    this.name = "SpoolFileError";
  }
}

function isPayload(value: unknown): value is PipePayload {
  const p = value as PipePayload;
  return p !== null && typeof p === "object" && typeof p.metadata === "object" &&
    p.metadata !== null && typeof p.metadata.source === "string" &&
    Array.isArray(p.eventTypes) && Number.isSafeInteger(p.ts) && Array.isArray(p.values);
}

/**
 * Saves `payload` in `dir` (created if missing) and returns the file path. The name starts with
 * the measurement time so replays go in measurement order.
 *
 * @example
 * ```ts
 * import { readSpool, writeSpool } from "./spool.ts";
 * import assert from "node:assert/strict";
 * const payload = {
 *   metadata: {
 *     subjectType: "point-to-point" as const,
 *     source: "10.0.0.1",
 *     destination: "10.0.0.2",
 *     toolName: "bwctl/iperf3",
 *     measurementAgent: "10.0.0.1",
 *     inputSource: "10.0.0.1",
 *     inputDestination: "10.0.0.2",
 *     freeform: {},
 *   },
 *   eventTypes: ["throughput"],
 *   ts: 1700000000,
 *   values: [{ eventType: "throughput", val: 9.4e8 }],
 * };
 * const dir = await Deno.makeTempDir();
 * const path = await writeSpool(dir, payload);
 * assert.ok(path.startsWith(`${dir}/001700000000-`));
 * assert.deepEqual((await readSpool(path)).payload, payload);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeSpool(dir: string, payload: PipePayload): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const name = `${String(payload.ts).padStart(12, "0")}-${crypto.randomUUID()}.json`;
  const path = `${dir.replace(/\/+$/, "")}/${name}`;
  const temporary = `${dir.replace(/\/+$/, "")}/.${name}.tmp`;
  const body = JSON.stringify({ format: SPOOL_FORMAT, savedAt: new Date().toISOString(), payload });
  const file = await Deno.open(temporary, { write: true, createNew: true, mode: 0o600 });
  try {
    await file.write(new TextEncoder().encode(`${body}\n`));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(temporary, path);
  return path;
}

/**
 * Paths of the spool files in `dir`, oldest measurement first.
 *
 * @example
 * ```ts
 * import { listSpool, writeSpool } from "./spool.ts";
 * import assert from "node:assert/strict";
 * const payload = {
 *   metadata: {
 *     subjectType: "point-to-point" as const,
 *     source: "10.0.0.1",
 *     destination: "10.0.0.2",
 *     toolName: "bwctl/iperf3",
 *     measurementAgent: "10.0.0.1",
 *     inputSource: "10.0.0.1",
 *     inputDestination: "10.0.0.2",
 *     freeform: {},
 *   },
 *   eventTypes: ["throughput"],
 *   ts: 1700000000,
 *   values: [{ eventType: "throughput", val: 9.4e8 }],
 * };
 * const dir = await Deno.makeTempDir();
 * const later = await writeSpool(dir, { ...payload, ts: payload.ts + 60 });
 * const earlier = await writeSpool(dir, payload);
 * assert.deepEqual(await listSpool(dir), [earlier, later]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function listSpool(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json") && !entry.name.startsWith(".")) {
      names.push(entry.name);
    }
  }
  return names.sort().map((name) => `${dir.replace(/\/+$/, "")}/${name}`);
}

/**
 * Reads one spool file; throws {@linkcode SpoolFileError} when it is not one.
 *
 * @example
 * ```ts
 * import { readSpool, SpoolFileError } from "./spool.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/x.json`, "{}");
 * await assert.rejects(() => readSpool(`${dir}/x.json`), SpoolFileError);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readSpool(path: string): Promise<SpoolEntry> {
  let parsed: { format?: unknown; payload?: unknown };
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new SpoolFileError(path, `unreadable: ${(error as Error).message}`);
  }
  if (parsed?.format !== SPOOL_FORMAT) {
    throw new SpoolFileError(path, `not an ${SPOOL_FORMAT} file`);
  }
  if (!isPayload(parsed.payload)) throw new SpoolFileError(path, "payload is incomplete");
  return { path, payload: parsed.payload };
}

/**
 * Removes a replayed spool file.
 *
 * @example
 * ```ts
 * import { listSpool, removeSpool, writeSpool } from "./spool.ts";
 * import assert from "node:assert/strict";
 * const payload = {
 *   metadata: {
 *     subjectType: "point-to-point" as const,
 *     source: "10.0.0.1",
 *     destination: "10.0.0.2",
 *     toolName: "bwctl/iperf3",
 *     measurementAgent: "10.0.0.1",
 *     inputSource: "10.0.0.1",
 *     inputDestination: "10.0.0.2",
 *     freeform: {},
 *   },
 *   eventTypes: ["throughput"],
 *   ts: 1700000000,
 *   values: [{ eventType: "throughput", val: 9.4e8 }],
 * };
 * const dir = await Deno.makeTempDir();
 * await removeSpool(await writeSpool(dir, payload));
 * assert.deepEqual(await listSpool(dir), []);
 * await Deno.remove(dir);
 * ```
 */
export async function removeSpool(path: string): Promise<void> {
  await Deno.remove(path);
}
