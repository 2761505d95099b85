/**
 * `esmond-ps-load-gridftp` from command line to exit status: options, program log, archive
 * client, then the resumable loader.
 *
 * @module
 */
import { TransferWriter } from "./archive_writer.ts";
import { libArchiveClient } from "./lib_client.ts";
import { runLoader } from "./loader.ts";
import { parseOptions, PROG, USAGE } from "./options.ts";
import { forwardLibraryLogs, openProgramLog } from "../program_log/mod.ts";
import { createHostResolver } from "./resolver.ts";

/**
 * Runs the tool with command-line arguments; resolves to the exit status (2 for option errors,
 * 1 when the archive failed, 0 otherwise).
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await main(["--help"]), 0); // the help text on stdout
 * assert.equal(await main(["--bogus"]), 2); // "no such option: --bogus" on stderr
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args);
  if (parsed.kind === "help") {
    await Deno.stdout.write(new TextEncoder().encode(parsed.text));
    return 0;
  }
  if (parsed.kind === "error") {
    await Deno.stderr.write(
      new TextEncoder().encode(`${USAGE}\n\n${PROG}: error: ${parsed.message}\n`),
    );
    return 2;
  }
  const options = parsed.options;
  using log = openProgramLog({ tool: PROG, logDir: options.logDir });
  // Retries and -vv request lines of the client library land in the same log.
  await using _library = await forwardLibraryLogs(log);
  // As in the original, the user name only decides whether the key is sent at all.
  const credentials = options.user !== "" && options.key !== "";
  if (!credentials) log.log("main.warn", "username and api_key not set");
  using client = libArchiveClient({
    url: options.url,
    scriptAlias: options.scriptAlias,
    username: credentials ? options.user : undefined,
    apiKey: credentials ? options.key : undefined,
    insecure: options.insecure,
    caFile: options.caFile,
    verbose: options.verbose > 1,
  });
  const scan = options.json ? "scan_and_load_json" : "scan_and_load_netlogger";
  const writer = new TransferWriter({
    client,
    events: {
      rejected: (post, reason) =>
        log.log(
          `${scan}.error`,
          `archive refused transfer at ${post.ts} (${post.metadata.source} -> ` +
            `${post.metadata.destination}): ${reason}`,
        ),
      duplicate: (_post, eventType, ts) =>
        log.log(`${scan}.info`, `${eventType} at ${ts} already in the archive`),
    },
  });
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  Deno.addSignalListener("SIGINT", onSigint);
  try {
    const summary = await runLoader({
      ...options,
      writer,
      resolver: createHostResolver(),
      log,
      signal: interrupt.signal,
    });
    return summary.exitCode;
  } catch (error) {
    // Anything else (unreadable log, state folder missing, disk full) ends the run with one
    // line naming it; the state keeps the last position that was saved.
    const message = error instanceof Error ? error.message : String(error);
    log.log("main.error", message);
    if (options.logDir !== undefined) {
      await Deno.stderr.write(new TextEncoder().encode(`${PROG}: error: ${message}\n`));
    }
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
  }
}
