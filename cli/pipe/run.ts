/**
 * `esmond-ps-pipe` from command line to exit status: read, extract, map, then post, spool or
 * print. Exit statuses: 0 stored (a failed measurement stored as `failures` included), 2 usage
 * error, 255 input rejected (nothing posted), 1 archive refused or unreachable, 75 not stored
 * now but saved in the spool.
 *
 * The log is the original's program log (`ts=… event=<function>.<kind> id=… <message>`, see
 * `cli/program_log/`) with its event names and texts, so cron jobs grepping them keep working.
 *
 * @module
 */
import { type ClientOptions, normalizeScriptAlias } from "../../lib/esmond/mod.ts";
import { forwardLibraryLogs, openProgramLog, type ProgramLog } from "../program_log/mod.ts";
import { extractInput, SUPPORTED_TOOL } from "./extract.ts";
import { Iperf3FormatError, mapIperf3 } from "./iperf3_map.ts";
import { findMeasurementAgent } from "./measurement_agent.ts";
import { parsePipeArgs, type PipeOptions, USAGE, UsageError } from "./options.ts";
import { archiveBodies, postMetadata, postValues, validatePayload } from "./post.ts";
import { replaySpool } from "./replay.ts";
import { writeSpool } from "./spool.ts";
import type { PipePayload } from "./types.ts";

/** Exit statuses of `esmond-ps-pipe` (see the module text). */
export const EXIT: Readonly<{
  ok: 0;
  archiveFailed: 1;
  usage: 2;
  spooled: 75;
  rejected: 255;
}> = Object.freeze({
  ok: 0,
  archiveFailed: 1,
  usage: 2,
  spooled: 75,
  rejected: 255,
});

/** Where the run reads and writes (tests pass their own). */
export interface PipeIo {
  /** Standard input. */
  readonly stdin: ReadableStream<Uint8Array>;
  /** Writes data (dry-run JSON, help) to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes usage errors and, without `--log_dir`, the program log to standard error. */
  readonly stderr: (text: string) => void;
}

const TOOL = "esmond-ps-pipe";

/** One run: its options, streams and program log. */
interface Run {
  readonly options: PipeOptions;
  readonly io: PipeIo;
  readonly log: ProgramLog;
}

/**
 * The library's connection options from the command line.
 *
 * @example
 * ```ts
 * import { clientOptions } from "./run.ts";
 * import { parsePipeArgs } from "./options.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(clientOptions(await parsePipeArgs(["-u", "me", "-k", "secret"])).scriptAlias, "");
 * ```
 */
export function clientOptions(options: PipeOptions): ClientOptions {
  return {
    url: options.url,
    scriptAlias: normalizeScriptAlias(options.scriptAlias),
    username: options.user,
    apiKey: options.key,
    verbose: options.verbose,
    insecure: options.insecure,
    ...(options.caFile !== undefined ? { caFile: options.caFile } : {}),
    ...(options.timeoutSeconds !== undefined ? { timeoutMs: options.timeoutSeconds * 1000 } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  };
}

async function readInput(run: Run): Promise<string> {
  const bytes = run.options.file !== undefined
    ? await Deno.readFile(run.options.file)
    : new Uint8Array(await new Response(run.io.stdin).arrayBuffer());
  return new TextDecoder().decode(bytes);
}

function fatal(log: ProgramLog, message: string): number {
  log.log("main.fatal", message);
  log.log("main.fatal", "exiting");
  return EXIT.rejected;
}

/** The original's ending for input it cannot use, with the whole input under `-v`. */
function rejectInput(run: Run, text: string): number {
  run.log.log("main.fatal", "could not extract metadata and valid json from input");
  if (run.options.verbose) run.log.log("main.debug", text.replace(/\n$/, ""));
  run.log.log("main.fatal", "exiting");
  return EXIT.rejected;
}

async function buildPayload(run: Run, text: string): Promise<PipePayload | number> {
  const { options, log } = run;
  const extracted = extractInput(text, options);
  if (!extracted.ok) {
    for (const message of extracted.errors) log.log("id_and_extract.error", message);
    return rejectInput(run, text);
  }
  if (extracted.tool !== SUPPORTED_TOOL) {
    return fatal(log, `there is no handler for input type: ${extracted.tool}`);
  }
  if (extracted.skippedLines.length > 0) {
    log.log(
      "id_and_extract.info",
      `skipped ${extracted.skippedLines.length} non-JSON line(s) around the JSON: ${
        extracted.skippedLines.join(" | ")
      }`,
    );
  }
  log.log("process_iperf3.start", "begin");
  const agent = options.measurementAgent ??
    await findMeasurementAgent(extracted.inputDestination);
  if (agent === undefined) {
    return fatal(
      log,
      `could not determine measurement-agent (the local address toward ${extracted.inputDestination}); give --measurement-agent`,
    );
  }
  try {
    return mapIperf3(extracted.json, {
      toolName: extracted.toolName,
      inputSource: extracted.inputSource,
      inputDestination: extracted.inputDestination,
      measurementAgent: agent,
      fallbackTs: extracted.startToolTime ?? Math.floor(Date.now() / 1000),
    });
  } catch (error) {
    if (!(error instanceof Iperf3FormatError)) throw error;
    log.log("process_iperf3.error", error.message);
    return rejectInput(run, text);
  }
}

/** After a failed post: save the result with `--spool`, else report the archive failure. */
async function spoolOrFail(run: Run, payload: PipePayload): Promise<number> {
  const spool = run.options.spool;
  if (spool === undefined) return EXIT.archiveFailed;
  const path = await writeSpool(spool, payload);
  run.log.log("spool.warning", `saved the result in ${path}; post it later with --replay ${spool}`);
  return EXIT.spooled;
}

async function store(run: Run, payload: PipePayload): Promise<number> {
  const client = clientOptions(run.options);
  let key: string;
  try {
    key = await postMetadata(payload, client);
  } catch (error) {
    run.log.log(
      "process_iperf3.error",
      `MetadataPost failed, abort processing, not updating record state - ERROR: ${
        (error as Error).message
      }`,
    );
    return await spoolOrFail(run, payload);
  }
  try {
    await postValues(payload, client, key);
  } catch (error) {
    run.log.log("write.warning", (error as Error).message);
    return await spoolOrFail(run, payload);
  }
  run.log.log(
    "process_iperf3.info",
    `stored ${payload.values.length} value(s) at ts ${payload.ts} under metadata ${key}`,
  );
  return EXIT.ok;
}

async function runParsed(run: Run): Promise<number> {
  const { options, log } = run;
  if (options.replay !== undefined) {
    return await replaySpool({ dir: options.replay, client: clientOptions(options), log });
  }
  log.log("main.start", "reading input");
  let text: string;
  try {
    text = await readInput(run);
  } catch (error) {
    return fatal(log, `cannot read ${options.file ?? "stdin"}: ${(error as Error).message}`);
  }
  const payload = await buildPayload(run, text);
  if (typeof payload === "number") return payload;
  if (payload.failure !== undefined) {
    log.log(
      "process_iperf3.warning",
      `iperf3 reported an error, storing it as a failures point: ${payload.failure}`,
    );
  }
  if (options.verbose) {
    for (const value of payload.values) log.log("process_event_type.start", value.eventType);
  }
  try {
    validatePayload(payload);
  } catch (error) {
    log.log("process_iperf3.error", `refusing to post: ${(error as Error).message}`);
    log.log("main.fatal", "exiting");
    return EXIT.rejected;
  }
  if (options.dryRun) {
    run.io.stdout(`${JSON.stringify(archiveBodies(payload), null, 2)}\n`);
    log.log("process_iperf3.info", "dry run: nothing posted");
  } else {
    const status = await store(run, payload);
    if (status !== EXIT.ok) return status;
  }
  log.log("process_iperf3.end", "finished");
  return EXIT.ok;
}

/**
 * Runs `esmond-ps-pipe` with `args` and returns the exit status.
 *
 * @example
 * ```ts
 * import { runPipe } from "./run.ts";
 * const code = await runPipe(["--dry-run", "--file", "result.bwctl.txt"], {
 *   stdin: Deno.stdin.readable,
 *   stdout: (t) => Deno.stdout.writeSync(new TextEncoder().encode(t)),
 *   stderr: (t) => Deno.stderr.writeSync(new TextEncoder().encode(t)),
 * });
 * ```
 */
export async function runPipe(args: readonly string[], io: PipeIo): Promise<number> {
  let options: PipeOptions;
  try {
    options = await parsePipeArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${TOOL}: error: ${error.message}\n`);
    return EXIT.usage;
  }
  if (options.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  using log = openProgramLog({
    tool: TOOL,
    logDir: options.logDir,
    write: io.stderr,
    problemsOnly: options.quiet,
  });
  await using _library = await forwardLibraryLogs(log);
  try {
    const status = await runParsed({ options, io, log });
    if (status === EXIT.ok) log.log("main.exit", "success");
    return status;
  } catch (error) {
    fatal(log, (error as Error).message);
    return EXIT.archiveFailed;
  }
}
