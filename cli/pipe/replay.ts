/**
 * `--replay DIR`: posts every spooled result, oldest first, removing each file once the archive
 * accepted it; stops at the first archive failure so the rest stays queued in order. A file the
 * archive refuses for good (400, 409, 413, 422) is renamed `<name>.rejected` and skipped.
 *
 * @module
 */
import { ArchiveHttpError, type ClientOptions } from "../../lib/esmond/mod.ts";
import type { ProgramLog } from "../program_log/mod.ts";
import { postPayload } from "./post.ts";
import { listSpool, readSpool, removeSpool, SpoolFileError } from "./spool.ts";

/** What {@linkcode replaySpool} works on. */
export interface ReplayOptions {
  /** The spool directory. */
  readonly dir: string;
  /** Connection to the archive. */
  readonly client: ClientOptions;
  /** Program log for `replay.*` lines. */
  readonly log: ProgramLog;
}

/**
 * Answers that will not change on a retry of the same payload: the file is set aside
 * (`<name>.rejected`) so it cannot block the queue behind it.
 */
const PERMANENT_REFUSALS = new Set([400, 409, 413, 422]);

/**
 * Replays the spool in `options.dir`; returns the exit status (0 when every file was posted, 1 when a
 * file was unreadable or the archive failed).
 *
 * @example
 * ```ts
 * import { replaySpool } from "./replay.ts";
 * import { openProgramLog } from "../program_log/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * using log = openProgramLog({ tool: "esmond-ps-pipe", write: () => {} });
 * const client = { url: "http://127.0.0.1:8000", apiKey: "secret" };
 * assert.equal(await replaySpool({ dir, client, log }), 0); // an empty spool: nothing to post
 * await Deno.remove(dir);
 * ```
 */
export async function replaySpool(options: ReplayOptions): Promise<number> {
  const { dir, client, log } = options;
  log.log("replay.start", `replaying the results saved in ${dir}`);
  const paths = await listSpool(dir);
  let posted = 0;
  let bad = 0;
  for (const [index, path] of paths.entries()) {
    let entry;
    try {
      entry = await readSpool(path);
    } catch (error) {
      if (!(error instanceof SpoolFileError)) throw error;
      log.log("replay.error", `${error.message}; left in place`);
      bad++;
      continue;
    }
    try {
      const key = await postPayload(entry.payload, client);
      await removeSpool(path);
      posted++;
      log.log("replay.info", `posted ${path} under metadata ${key}`);
    } catch (error) {
      if (error instanceof ArchiveHttpError && PERMANENT_REFUSALS.has(error.status)) {
        await Deno.rename(path, `${path}.rejected`);
        log.log(
          "replay.error",
          `the archive refused ${path} (${error.message}); set aside as ${path}.rejected`,
        );
        bad++;
        continue;
      }
      const left = paths.length - index;
      log.log(
        "replay.error",
        `posting ${path} failed: ${
          (error as Error).message
        }; ${left} file(s) left for the next replay`,
      );
      return 1;
    }
  }
  log.log("replay.end", `replayed ${posted} result(s) from ${dir}, ${bad} set aside or unreadable`);
  return bad === 0 ? 0 : 1;
}
