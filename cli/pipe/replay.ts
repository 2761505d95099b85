/**
 * `--replay DIR`: posts every spooled result, oldest first, removing each file once the archive
 * accepted it; stops at the first archive failure so the rest stays queued in order. A file the
 * archive refuses for good (400, 409, 413, 422) is renamed `<name>.rejected` and skipped.
 *
 * @module
 */
import { ArchiveHttpError, type ClientOptions } from "../../lib/esmond/mod.ts";
import { getLogger } from "../../lib/log/mod.ts";
import { postPayload } from "./post.ts";
import { listSpool, readSpool, removeSpool, SpoolFileError } from "./spool.ts";

const log = getLogger("esmond-ps-pipe", "replay");

/**
 * Answers that will not change on a retry of the same payload: the file is set aside
 * (`<name>.rejected`) so it cannot block the queue behind it.
 */
const PERMANENT_REFUSALS = new Set([400, 409, 413, 422]);

/**
 * Replays the spool in `dir`; returns the exit status (0 when every file was posted, 1 when a
 * file was unreadable or the archive failed).
 *
 * @example
 * ```ts
 * import { replaySpool } from "./replay.ts";
 * // const status = await replaySpool("/var/spool/esmond-ps-pipe", { url, apiKey });
 * ```
 */
export async function replaySpool(dir: string, client: ClientOptions): Promise<number> {
  const paths = await listSpool(dir);
  let posted = 0;
  let bad = 0;
  for (const [index, path] of paths.entries()) {
    let entry;
    try {
      entry = await readSpool(path);
    } catch (error) {
      if (!(error instanceof SpoolFileError)) throw error;
      log.error`${error.message}; left in place`;
      bad++;
      continue;
    }
    try {
      const key = await postPayload(entry.payload, client);
      await removeSpool(path);
      posted++;
      log.info("posted {path} under metadata {key}", { path, key });
    } catch (error) {
      if (error instanceof ArchiveHttpError && PERMANENT_REFUSALS.has(error.status)) {
        await Deno.rename(path, `${path}.rejected`);
        log.error`the archive refused ${path} (${error.message}); set aside as ${path}.rejected`;
        bad++;
        continue;
      }
      const left = paths.length - index;
      log.error`posting ${path} failed: ${
        (error as Error).message
      }; ${left} file(s) left for the next replay`;
      return 1;
    }
  }
  log.info("replayed {posted} result(s) from {dir}", { posted, dir });
  return bad === 0 ? 0 : 1;
}
