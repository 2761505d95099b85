/**
 * Where a run starts: the saved position in the current log, or — when the log was rotated
 * (its identity changed, it shrank, or the saved record is no longer where it was) — the rest of
 * the rotated file from the saved offset, then the new log from its start.
 *
 * @module
 */
import { type LoaderState, recordHash } from "./state.ts";

/** A file and the byte offset to read it from. */
export interface Segment {
  /** Path of the file. */
  readonly path: string;
  /** Byte offset to start at. */
  readonly offset: number;
  /** 1-based number of the line before `offset`, when known (0 at the start). */
  readonly linesBefore: number | null;
}

/** The plan of a run and the program-log lines explaining it. */
export interface RunPlan {
  /** Files to read, in order. */
  readonly segments: readonly Segment[];
  /** `[event, message]` pairs for the program log. */
  readonly notes: readonly (readonly [string, string])[];
}

/** Options of {@linkcode planRun}. */
export interface PlanOptions {
  /** The log to load. */
  readonly filePath: string;
  /** Where the rotated log is (default `<file>.1`). */
  readonly rotatedPath?: string;
  /** The saved state, if any. */
  readonly state?: LoaderState;
}

async function statOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch {
    return undefined;
  }
}

/**
 * Whether `path` still holds the saved record right before the saved offset. Reads only that
 * record, so the check costs the same whatever the size of the file.
 */
async function holdsRecord(path: string, state: LoaderState): Promise<boolean> {
  if (state.recordHash === null) return state.offset === 0;
  const info = await statOrUndefined(path);
  if (info === undefined || !info.isFile || info.size < state.offset) return false;
  const length = state.offset - state.recordStart;
  if (length < 0 || length > 64 * 1024 * 1024) return false;
  using file = await Deno.open(path, { read: true });
  await file.seek(state.recordStart, Deno.SeekMode.Start);
  const bytes = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = await file.read(bytes.subarray(got));
    if (n === null) return false;
    got += n;
  }
  const record = bytes[length - 1] === 0x0a ? bytes.subarray(0, length - 1) : bytes;
  return await recordHash(record) === state.recordHash;
}

function sameFile(info: Deno.FileInfo | undefined, state: LoaderState): boolean {
  return info !== undefined && info.dev === state.dev && info.ino === state.ino;
}

/**
 * Decides which files to read from where.
 *
 * @example
 * ```ts
 * import { planRun } from "./rotation.ts";
 * import assert from "node:assert/strict";
 * const plan = await planRun({ filePath: "/var/log/gridftp.log" });
 * assert.deepEqual(plan.segments, [{ path: "/var/log/gridftp.log", offset: 0, linesBefore: 0 }]);
 * ```
 */
export async function planRun(options: PlanOptions): Promise<RunPlan> {
  const { filePath, state } = options;
  if (state === undefined) {
    return {
      segments: [{ path: filePath, offset: 0, linesBefore: 0 }],
      notes: [["main.process", `No last record, processing ${filePath}`]],
    };
  }
  const current = await statOrUndefined(filePath);
  if (sameFile(current, state) && await holdsRecord(filePath, state)) {
    return {
      segments: [{ path: filePath, offset: state.offset, linesBefore: state.line }],
      notes: [["main.process", `File ${filePath} passes last record check`]],
    };
  }
  const rotatedPath = options.rotatedPath ?? `${filePath}.1`;
  const rotated = await statOrUndefined(rotatedPath);
  // Identity is not required here: copytruncate rotation leaves a copy with a new inode; the
  // record hash at the saved offset identifies it.
  const rotatedIsOurs = rotated !== undefined && rotated.isFile &&
    await holdsRecord(rotatedPath, state);
  if (rotatedIsOurs) {
    return {
      segments: [
        { path: rotatedPath, offset: state.offset, linesBefore: state.line },
        { path: filePath, offset: 0, linesBefore: 0 },
      ],
      notes: [[
        "main.process",
        `File ${filePath} was rotated: finishing ${rotatedPath} from byte ${state.offset}, ` +
        `then processing ${filePath} from the start`,
      ]],
    };
  }
  return {
    segments: [{ path: filePath, offset: 0, linesBefore: 0 }],
    notes: [[
      "main.warn",
      `File ${filePath} does not contain last log entry. Maybe rotated?- proceeding`,
    ]],
  };
}
