/**
 * One run of the loader: plan where to start, stream the log(s), map each line, store the
 * transfers batch by batch and move the saved state only after the archive acknowledged a
 * batch. A fatal archive error stops the run with the state at the last stored record.
 *
 * @module
 */
import { ArchiveUnavailableError, type TransferWriter } from "./archive_writer.ts";
import { readLines } from "./line_reader.ts";
import { hostQuery, mapParsedLine, parseLine } from "./map_line.ts";
import type { ProgramLog } from "../program_log/mod.ts";
import type { HostResolver } from "./resolver.ts";
import { planRun, type Segment } from "./rotation.ts";
import { deleteState, type LoaderState, readState, recordHash, writeState } from "./state.ts";
import type { SensitiveFields, TransferPost } from "./transfer.ts";

/** Options of {@linkcode runLoader}. */
export interface RunLoaderOptions {
  /** The log to load. */
  readonly file: string;
  /** The rotated log (default `<file>.1`). */
  readonly rotated?: string;
  /** State file path. */
  readonly statePath: string;
  /** Save the state as the run progresses. */
  readonly writeState: boolean;
  /** Stop after the first stored transfer. */
  readonly single: boolean;
  /** Delete the state file at the end of a successful run. */
  readonly deleteState: boolean;
  /** JSON log format. */
  readonly json: boolean;
  /** Sensitive fields to include. */
  readonly sensitive: SensitiveFields;
  /** Progress line every 100 records. */
  readonly progress: boolean;
  /** More detail in the program log. */
  readonly verbose: number;
  /** Transfers per batch. */
  readonly batchSize: number;
  /** Where transfers go. */
  readonly writer: TransferWriter;
  /** Host name lookups. */
  readonly resolver: HostResolver;
  /** The program log. */
  readonly log: ProgramLog;
  /** Aborting it ends the run after the current batch (SIGINT). */
  readonly signal?: AbortSignal;
}

/** What a run did. */
export interface RunSummary {
  /** 0 on success, 1 when the archive failed. */
  readonly exitCode: number;
  /** Transfer lines seen after the resume point (the original's "records"). */
  readonly records: number;
  /** Transfers stored. */
  readonly stored: number;
  /** Transfers read but not stored (refused by the archive, or not sent because the run failed). */
  readonly notStored: number;
  /** Values already in the archive. */
  readonly duplicates: number;
  /** Skipped lines by reason class. */
  readonly skipped: Readonly<Record<string, number>>;
}

/** How long a live log must be unmodified before an unterminated last line is trusted. */
const QUIET_MS = 60_000;

interface Pending {
  readonly post: TransferPost;
  readonly start: number;
  readonly end: number;
  readonly bytes: Uint8Array;
  readonly line: number | null;
}

/**
 * Runs the loader once.
 *
 * @example
 * ```ts
 * import { runLoader } from "./loader.ts";
 * import assert from "node:assert/strict";
 * // `main` builds the options from the command line, the program log and the archive client:
 * type Options = Parameters<typeof runLoader>[0];
 * const run = (options: Options) => runLoader(options).then((summary) => summary.exitCode);
 * assert.equal(typeof run, "function");
 * ```
 */
export async function runLoader(options: RunLoaderOptions): Promise<RunSummary> {
  const { log } = options;
  const scan = options.json ? "scan_and_load_json" : "scan_and_load_netlogger";
  const format = options.json ? "json" : "netlogger";
  const read = await readState(options.statePath);
  let state: LoaderState | undefined;
  if (read.kind === "ok") {
    state = read.state;
    log.log("main.start", `found last record: ${JSON.stringify(state)}`);
  } else if (read.kind === "unusable") {
    log.log("main.warn", `${read.reason} - ignoring it`);
    log.log("main.start", "no last record found");
  } else {
    log.log("main.start", "no last record found");
  }
  if (state !== undefined && state.format !== format) {
    log.log("main.warn", `state file holds a ${state.format} position - ignoring it`);
    state = undefined;
  }
  const plan = await planRun({ filePath: options.file, rotatedPath: options.rotated, state });
  for (const [event, message] of plan.notes) log.log(event, message);

  const skipped: Record<string, number> = {};
  let records = 0;
  let stored = 0;
  let refused = 0;
  let queued = 0;
  let duplicates = 0;
  let pending: Pending[] = [];
  let identity: { path: string; dev: number; ino: number } | undefined;

  const save = async (next: LoaderState) => {
    if (options.writeState) await writeState(options.statePath, next);
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const result = await options.writer.writeBatch(batch.map((p) => p.post));
    stored += result.stored;
    refused += result.rejected;
    duplicates += result.duplicates;
    const last = batch[batch.length - 1];
    await save({
      version: 1,
      format,
      path: identity!.path,
      dev: identity!.dev,
      ino: identity!.ino,
      offset: last.end,
      recordStart: last.start,
      recordHash: await recordHash(last.bytes),
      line: last.line,
      savedAt: new Date().toISOString(),
    });
  };

  let stop = false;
  let failed = false;
  try {
    for (const [index, segment] of plan.segments.entries()) {
      await loadSegment(segment, index === plan.segments.length - 1);
      if (stop) break;
      await flush();
      // Finished the rotated file: the next run starts at the top of the new one.
      if (index < plan.segments.length - 1) {
        const info = await Deno.stat(plan.segments[index + 1].path);
        await save({
          version: 1,
          format,
          path: plan.segments[index + 1].path,
          dev: info.dev,
          ino: info.ino ?? 0,
          offset: 0,
          recordStart: 0,
          recordHash: null,
          line: 0,
          savedAt: new Date().toISOString(),
        });
      }
    }
    await flush();
  } catch (error) {
    if (!(error instanceof ArchiveUnavailableError)) throw error;
    failed = true;
    log.log(
      `${scan}.error`,
      `${error.message} - abort processing, state kept at the last stored record`,
    );
  }

  log.log(`${scan}.end`, `Loaded ${records} records`);
  const counts = Object.entries(skipped).map(([kind, n]) => `${kind}=${n}`).join(" ");
  // What was not stored: refused by the archive (400) or never sent (the run stopped first).
  const unsent = queued - stored - refused;
  log.log(
    `${scan}.summary`,
    `stored=${stored} not-stored=${refused + unsent} (refused=${refused} unsent=${unsent}) ` +
      `duplicates=${duplicates} metadata=${options.writer.metadataCount}` +
      (counts ? ` skipped: ${counts}` : " skipped: none"),
  );
  if (options.deleteState) {
    if (failed) {
      log.log("main.warn", `run failed: not deleting state file ${options.statePath}`);
    } else {
      await deleteState(options.statePath);
    }
  }
  return {
    exitCode: failed ? 1 : 0,
    records,
    stored,
    notStored: refused + unsent,
    duplicates,
    skipped,
  };

  async function loadSegment(segment: Segment, live: boolean): Promise<void> {
    using file = await Deno.open(segment.path, { read: true });
    const info = await file.stat();
    // A writer that buffers its output can leave half a line at the end of a live log; such a
    // tail is stored only once the file has been quiet for a while (or was rotated away).
    const quiet = info.mtime === null || Date.now() - info.mtime.getTime() > QUIET_MS;
    identity = { path: segment.path, dev: info.dev ?? 0, ino: info.ino ?? 0 };
    let lineNumber = segment.linesBefore;
    for await (const line of readLines(file, { offset: segment.offset })) {
      if (options.signal?.aborted) {
        await flush();
        log.log("scan_and_load_netlogger.info", "Got SIGINT - exiting.");
        stop = true;
        return;
      }
      if (!line.terminated && live && !quiet) {
        log.log(
          `${scan}.info`,
          `the last line (byte ${line.start}) has no newline yet - left for the next run`,
        );
        return;
      }
      if (lineNumber !== null) lineNumber++;
      const where = lineNumber !== null ? `line ${lineNumber}` : `byte ${line.start}`;
      const parsed = parseLine(line.text, { json: options.json });
      const query = hostQuery(parsed);
      if (query !== undefined) await options.resolver.resolve(query.host, query.family);
      const outcome = mapParsedLine(parsed, {
        lookup: (host, family) => options.resolver.cached(host, family),
        sensitive: options.sensitive,
      });
      if (parsed.kind === "netlogger") {
        for (const warning of parsed.warnings) log.log(`${scan}.warning`, `${where}: ${warning}`);
      }
      if (outcome.action === "skip") {
        skipped[outcome.kind] = (skipped[outcome.kind] ?? 0) + 1;
        if (outcome.kind === "empty") continue;
        if (countsAsRecord(parsed)) records++;
        const event = outcome.kind === "not-transfer" ? `${scan}.skip` : `${scan}.error`;
        log.log(event, `${where}: skipping - ${outcome.why}: ${line.text}`);
        continue;
      }
      records++;
      if (options.progress && records % 100 === 0) {
        log.log(`${scan}.info`, `${records} records processed`);
      }
      queued++;
      pending.push({
        post: outcome,
        start: line.start,
        end: line.end,
        bytes: line.bytes,
        line: lineNumber,
      });
      if (options.single) {
        await flush();
        stop = true;
        return;
      }
      if (pending.length >= options.batchSize) await flush();
    }
  }
}

/**
 * What the original's `Loaded <n> records` counts: every parsed JSON object, every RETR/STOR
 * netlogger line (also those it then failed on).
 */
function countsAsRecord(parsed: ReturnType<typeof parseLine>): boolean {
  if (parsed.kind === "json") return true;
  return parsed.kind === "netlogger" &&
    (parsed.fields.type === "RETR" || parsed.fields.type === "STOR");
}
