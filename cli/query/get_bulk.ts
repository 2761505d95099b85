/**
 * The body of `esmond-ps-get-bulk` (clients spec §6, done safely): one file per metadata and
 * event type, streamed page by page into `NAME.part` and renamed to `NAME` only when complete;
 * `--resume` skips names already complete; `--concurrency` event types are downloaded at once
 * while stdout keeps the original's sequential progress lines; event types without a layout
 * are exported as raw JSON rows; a failing series is reported and the run goes on (exit 3).
 *
 * @module
 */
import { escapeControl, getLogger } from "../../lib/log/mod.ts";
import type { Metadata } from "../../lib/esmond/mod.ts";
import { connect } from "./client.ts";
import { EXIT, runQueryTool, type ToolRun } from "./frame.ts";
import { batches } from "./batches.ts";
import { seriesColumns } from "../format/data_rows.ts";
import { bulkFileName } from "../format/file_names.ts";
import { HostNames } from "./host_names.ts";
import { metadataAddresses } from "../format/metadata_rows.ts";
import { chooseSeries } from "../format/series.ts";
import { OrderedPool } from "./ordered.ts";
import { StreamTextOutput } from "./output.ts";
import { Progress } from "./progress.ts";
import { createRenderer } from "../format/renderers.ts";
import { streamSeries, warnWindowless } from "./series_output.ts";

/**
 * The response size get-bulk aims its data pages at. Peak RSS grew with the page size while V8's
 * young generation was unbounded (11M points: 370 kB pages 166 MB, 96 kB 132 MB, 36 kB 105 MB);
 * with the 4 MiB semi-spaces of its `runtimeFlags` 96 kB pages stay at 81–85 MiB for 1.1M and
 * 11M points alike (ratio 1.02), and take 15–25 % less archive CPU than 36 kB ones (fewer
 * requests; `scripts/bench_get_bulk.ts`, 2026-12-03). Every page is parsed, rendered and
 * dropped, so a small page is what a young-generation collection frees cheaply.
 */
const BULK_PAGE_BYTES = 96 * 1024;

interface ExportJob {
  readonly md: Metadata;
  readonly eventType: string;
  readonly path: string;
  /** The name an earlier series of this run took, when this one had to get a distinct one. */
  readonly taken?: string;
}

class BulkExporter {
  readonly #run: ToolRun;
  readonly #hosts: HostNames;
  readonly #progress: Progress;
  // Two metadata can map to the same file name; their writes must not interleave.
  readonly #byPath = new Map<string, Promise<unknown>>();
  // File names handed out in this run: a second series never overwrites the first one's file.
  readonly #names = new Set<string>();
  failures = 0;

  constructor(run: ToolRun, hosts: HostNames, progress: Progress) {
    this.#run = run;
    this.#hosts = hosts;
    this.#progress = progress;
  }

  job(md: Metadata, eventType: string): ExportJob {
    const { options } = this.#run;
    const name = (address: string | undefined) =>
      address === undefined ? null : this.#hosts.name(address);
    const parts = {
      source: name(md.source),
      destination: name(md.destination),
      eventType,
      start: options.start,
      end: options.end,
      format: options.format === "csv" ? "csv" as const : "json" as const,
    };
    const plain = bulkFileName(parts);
    const taken = this.#names.has(plain);
    const fileName = taken ? bulkFileName({ ...parts, suffix: md.metadataKey }) : plain;
    this.#names.add(fileName);
    const path = `${options.outputDirectory}/${fileName}`;
    return {
      md,
      eventType,
      path,
      taken: taken ? `${options.outputDirectory}/${plain}` : undefined,
    };
  }

  async run(job: ExportJob): Promise<string> {
    const before = this.#byPath.get(job.path) ?? Promise.resolve();
    const mine = before.then(() => this.#export(job));
    this.#byPath.set(job.path, mine.catch(() => {}));
    try {
      return await mine;
    } finally {
      if (this.#byPath.get(job.path) === mine) this.#byPath.delete(job.path);
    }
  }

  async #export(job: ExportJob): Promise<string> {
    const { options } = this.#run;
    let text = `\n  * processing ${job.eventType}\n`;
    if (options.resume && await isRegularFile(job.path)) {
      return text + `  * already complete, skipping (--resume): ${job.path}\n`;
    }
    const choice = chooseSeries(job.md, job.eventType, {
      ...options,
      humanTrace: false,
      hostName: (address) => this.#hosts.name(address),
    });
    if (options.summaryType !== undefined) {
      warnWindowless(choice, options.summaryType, job.md.metadataKey);
    }
    const renderer = createRenderer(options.format, {
      columns: seriesColumns(choice.context),
      finalNewline: false,
    });
    const part = `${job.path}.part`;
    let file: Deno.FsFile | undefined;
    let writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
    const close = async () => {
      const open = writer;
      writer = undefined;
      await open?.close();
    };
    try {
      file = await createPart(part, job.path);
      writer = file.writable.getWriter();
      const out = new StreamTextOutput(writer);
      await streamSeries({
        choice,
        renderer,
        hosts: this.#hosts,
        write: (chunk) => out.write(chunk),
        // Synchronous: a file's writable stream cost ~6x the CPU of `writeSync` per page here
        // (85 MB: 200 ms against 34 ms), and a page is written whole before the next is drawn.
        writeBytes: (bytes) => Promise.resolve(writeBytesSync(file!, bytes)),
        readAhead: true,
        pageBytes: BULK_PAGE_BYTES,
        onPage: (points) => this.#progress.addPoints(points),
      });
      if (renderer.count === 0) {
        await close();
        await Deno.remove(part);
        return text + "  * no data for that event type, skipping output.\n";
      }
      await out.write(renderer.end());
      // On disk before the rename, so a crash cannot leave a short file under the final name.
      await file.sync();
      await close();
      await refuseNonRegular(job.path);
      await Deno.rename(part, job.path);
      this.#progress.addFile();
      if (job.taken !== undefined) {
        getLogger("esmond-ps-get-bulk").warn(
          "{eventType} of {metadataKey} maps to {taken}, already used by another series: written as {path}",
          {
            eventType: job.eventType,
            metadataKey: job.md.metadataKey,
            taken: job.taken,
            path: job.path,
          },
        );
      }
      text += `   * got ${renderer.count} results\n  * writing ${job.path}\n`;
      return text;
    } catch (error) {
      this.failures++;
      await close().catch(() => {});
      // Only our own part file: a refused symlink stays for the user to look at.
      if (file !== undefined) await Deno.remove(part).catch(() => {});
      const message = error instanceof Error ? error.message : String(error);
      getLogger("esmond-ps-get-bulk").error("{eventType} of {metadataKey} failed: {message}", {
        eventType: job.eventType,
        metadataKey: job.md.metadataKey,
        message,
      });
      return text + `  * failed, no file written: ${message}\n`;
    }
  }
}

/** The file at `path` is a regular file (a symlink is not, whatever it points to). */
async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await Deno.lstat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Throws unless nothing, or a regular file, is at `path`; never follows a symlink. */
async function refuseNonRegular(path: string): Promise<boolean> {
  try {
    const info = await Deno.lstat(path);
    if (!info.isFile) {
      throw new Error(
        `${path} exists and is ${
          info.isSymlink ? "a symbolic link" : "not a regular file"
        }: refused (remove it or choose another --output-directory)`,
      );
    }
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Creates `part` exclusively (`O_CREAT|O_EXCL`, which never follows a symlink): a stale regular
 * `part` from an interrupted run is removed first; a symlink or other non-regular file at
 * `part` or at the final name is refused.
 */
function writeBytesSync(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

async function createPart(part: string, final: string): Promise<Deno.FsFile> {
  await refuseNonRegular(final);
  if (await refuseNonRegular(part)) await Deno.remove(part);
  try {
    return await Deno.open(part, { write: true, createNew: true });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new Error(`${part} was created by someone else meanwhile: refused`);
    }
    throw error;
  }
}

/**
 * Runs the bulk export and returns the exit status (3 when some series failed).
 *
 * @example
 * ```ts
 * import { runBulkExport } from "./get_bulk.ts";
 * // await runQueryTool("esmond-ps-get-bulk", Deno.args, runBulkExport);
 * ```
 */
export async function runBulkExport(run: ToolRun): Promise<number> {
  const { options, stdout } = run;
  const hosts = new HostNames({ keepAddresses: options.ip });
  const progress = new Progress({ quiet: options.quiet });
  const exporter = new BulkExporter(run, hosts, progress);
  // --quiet: no progress display, neither the per-series lines on stdout nor the meter.
  const pool = new OrderedPool(options.concurrency, (text) => {
    if (options.quiet) return;
    stdout.write(escapeControl(text, { keepNewlines: true }));
    stdout.flush();
  });
  // Bulk reads move millions of points: plain HTTP pages skip fetch's per-page costs.
  using conn = connect(options, { keepAliveHttp: true });
  let attempted = 0;
  // Metadata come in batches so a slow resolver costs one lookup timeout per batch.
  for await (const batch of batches(conn.listMetadata(), 50)) {
    await hosts.prefetch(batch.flatMap((md) => metadataAddresses(md.raw)));
    for (const md of batch) {
      pool.note(`\n ${md.toString()}\n`);
      const eventTypes = options.eventType !== undefined ? [options.eventType] : md.eventTypes;
      for (const eventType of eventTypes) {
        attempted++;
        const job = exporter.job(md, eventType);
        await pool.submit(() => exporter.run(job));
      }
    }
  }
  await pool.drain();
  stdout.flush();
  progress.done();
  if (exporter.failures === 0) return EXIT.ok;
  return exporter.failures < attempted ? EXIT.partial : EXIT.archive;
}

/**
 * Runs `esmond-ps-get-bulk` with `args` and exits the process.
 *
 * @example
 * ```ts
 * import { main } from "./get_bulk.ts";
 * import assert from "node:assert/strict";
 * assert.equal(main.length, 1); // `if (import.meta.main) await main(Deno.args);`
 * ```
 */
export function main(args: readonly string[]): Promise<never> {
  return runQueryTool("esmond-ps-get-bulk", args, runBulkExport);
}
