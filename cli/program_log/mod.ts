/**
 * The program log shared by `esmond-ps-load-gridftp` and `esmond-ps-pipe`: the originals'
 * `ts=… event=… id=… message` lines on stderr or in `<log_dir>/<tool>.log`, with the client
 * library's own records forwarded in the same shape.
 *
 * @example
 * ```ts
 * import { forwardLibraryLogs, openProgramLog } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const logDir = await Deno.makeTempDir();
 * {
 *   using log = openProgramLog({ tool: "esmond-ps-pipe", logDir });
 *   await using _library = await forwardLibraryLogs(log);
 *   log.log("main.start", "reading input");
 * }
 * const text = await Deno.readTextFile(`${logDir}/esmond-ps-pipe.log`);
 * assert.match(text, /event=main\.start id=\d+ reading input\n$/);
 * await Deno.remove(logDir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./program_log.ts";
export * from "./library_logs.ts";
