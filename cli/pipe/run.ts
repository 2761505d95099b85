/**
 * `esmond-ps-pipe` from command line to exit status: read, extract, map, then post, spool or
 * print. Exit statuses: 0 stored (a failed measurement stored as `failures` included), 2 usage
 * error, 255 input rejected (nothing posted), 1 archive refused or unreachable, 75 not stored
 * now but saved in the spool.
 *
 * @module
 */
import { type ClientOptions, normalizeScriptAlias } from "../../lib/esmond/mod.ts";
import { getLogger, setupLogging } from "../../lib/log/mod.ts";
import { extractInput } from "./extract.ts";
import { Iperf3FormatError, mapIperf3 } from "./iperf3_map.ts";
import { findMeasurementAgent } from "./measurement_agent.ts";
import { parsePipeArgs, type PipeOptions, USAGE, UsageError } from "./options.ts";
import { archiveBodies, postPayload, validatePayload } from "./post.ts";
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
  /** Writes a usage error to standard error. */
  readonly stderr: (text: string) => void;
}

const TOOL = "esmond-ps-pipe";
const log = {
  main: getLogger(TOOL, "main"),
  extract: getLogger(TOOL, "id_and_extract"),
  process: getLogger(TOOL, "process_iperf3"),
  write: getLogger(TOOL, "write"),
};

/**
 * The library's connection options from the command line.
 *
 * @example
 * ```ts
 * import { clientOptions } from "./run.ts";
 * import { parsePipeArgs } from "./options.ts";
 * clientOptions(await parsePipeArgs(["-u", "me", "-k", "secret"])).scriptAlias; // ""
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

function logFileWriter(dir: string): (line: string) => void {
  const file = Deno.openSync(`${dir.replace(/\/+$/, "")}/${TOOL}.log`, {
    append: true,
    create: true,
  });
  const encoder = new TextEncoder();
  return (line) => {
    const bytes = encoder.encode(line);
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
  };
}

async function readInput(options: PipeOptions, io: PipeIo): Promise<string> {
  const bytes = options.file !== undefined
    ? await Deno.readFile(options.file)
    : new Uint8Array(await new Response(io.stdin).arrayBuffer());
  return new TextDecoder().decode(bytes);
}

function fatal(message: string): number {
  log.main.fatal`${message}`;
  log.main.fatal("exiting");
  return EXIT.rejected;
}

async function buildPayload(text: string, options: PipeOptions): Promise<PipePayload | number> {
  const extracted = extractInput(text, options);
  if (!extracted.ok) {
    for (const message of extracted.errors) log.extract.error`${message}`;
    log.main.debug`input was: ${text.slice(0, 4096)}`;
    return fatal("could not extract metadata and valid json from input");
  }
  if (extracted.skippedLines.length > 0) {
    log.extract.info("skipped {count} non-JSON line(s) around the JSON: {lines}", {
      count: extracted.skippedLines.length,
      lines: extracted.skippedLines.join(" | "),
    });
  }
  const agent = options.measurementAgent ??
    await findMeasurementAgent(extracted.inputDestination);
  if (agent === undefined) {
    return fatal(
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
    if (error instanceof Iperf3FormatError) {
      log.extract.error`${error.message}`;
      return fatal("could not extract metadata and valid json from input");
    }
    throw error;
  }
}

async function store(payload: PipePayload, options: PipeOptions): Promise<number> {
  try {
    const key = await postPayload(payload, clientOptions(options));
    log.process.info("stored {count} value(s) at ts {ts} under metadata {key}", {
      count: payload.values.length,
      ts: payload.ts,
      key,
    });
    return EXIT.ok;
  } catch (error) {
    log.write.error`posting to ${options.url} failed: ${(error as Error).message}`;
    if (options.spool === undefined) return EXIT.archiveFailed;
    const path = await writeSpool(options.spool, payload);
    log.write.warning`saved the result in ${path}; post it later with --replay ${options.spool}`;
    return EXIT.spooled;
  }
}

async function runParsed(options: PipeOptions, io: PipeIo): Promise<number> {
  if (options.replay !== undefined) {
    return await replaySpool(options.replay, clientOptions(options));
  }
  log.main.info("reading input");
  let text: string;
  try {
    text = await readInput(options, io);
  } catch (error) {
    return fatal(`cannot read ${options.file ?? "stdin"}: ${(error as Error).message}`);
  }
  log.process.info("begin");
  const payload = await buildPayload(text, options);
  if (typeof payload === "number") return payload;
  if (payload.failure !== undefined) {
    log.process
      .warning`iperf3 reported an error, storing it as a failures point: ${payload.failure}`;
  }
  for (const value of payload.values) {
    log.process.debug("process_event_type {eventType}", { eventType: value.eventType });
  }
  try {
    validatePayload(payload);
  } catch (error) {
    log.process.error`refusing to post: ${(error as Error).message}`;
    return EXIT.rejected;
  }
  if (options.dryRun) {
    io.stdout(`${JSON.stringify(archiveBodies(payload), null, 2)}\n`);
    log.process.info("dry run: nothing posted");
    return EXIT.ok;
  }
  const status = await store(payload, options);
  if (status === EXIT.ok) log.process.info("finished");
  return status;
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
  await setupLogging({
    verbose: options.verbose,
    quiet: options.quiet,
    ...(options.logDir !== undefined ? { write: logFileWriter(options.logDir) } : {}),
  });
  try {
    const status = await runParsed(options, io);
    if (status === EXIT.ok) log.main.info("exit success");
    return status;
  } catch (error) {
    log.main.fatal`${(error as Error).message}`;
    return EXIT.archiveFailed;
  }
}
