/**
 * Builds the document sink from the collector's options: `-s` servers given → the search
 * engine sink (issue 9, `sink/search/`); none → NDJSON on stdout or `--output FILE`.
 *
 * @module
 */
import { NdjsonSink } from "./ndjson.ts";
import { createSearchSink, type SearchArgValues, searchSinkOptions } from "./search/mod.ts";
import type { DocumentSink, OlderEventsLookup } from "./types.ts";

/** What the sink is built from (a subset of the collector options). */
export interface SinkOptions {
  /** `-s` search engine URLs. */
  readonly servers: readonly string[];
  /** `--output` file for NDJSON; stdout when undefined. */
  readonly output?: string;
  /** `-e` document type. */
  readonly evtType: string;
  /** `-i`: don't verify TLS certificates. */
  readonly insecure: boolean;
  /** Called when the sink cannot write (it keeps the documents and retries). */
  readonly onError?: (error: unknown) => void;
  /** `-t` seconds between flushes (search sink; default 10). */
  readonly time?: number;
  /** The search sink's own options (`--spool-dir`, `--index`, …), see `search/options.ts`. */
  readonly search?: SearchArgValues;
}

/** A sink and, when it can answer one, the older-events lookup that goes with it. */
export interface BuiltSink {
  readonly sink: DocumentSink;
  readonly lookup?: OlderEventsLookup;
  /** The sink's own counters in Prometheus text, appended to the collector's `/metrics`. */
  readonly renderMetrics?: () => string;
}

/**
 * Creates the sink the options ask for.
 *
 * @example
 * ```ts
 * import { createSink } from "./create.ts";
 * const { sink } = await createSink({ servers: [], evtType: "xrd_fstream", insecure: false });
 * await sink.close();
 * ```
 */
export async function createSink(options: SinkOptions): Promise<BuiltSink> {
  if (options.servers.length > 0) {
    return await createSearchSink(
      await searchSinkOptions({
        servers: options.servers,
        insecure: options.insecure,
        time: options.time ?? 10,
        values: options.search ?? {},
      }),
    );
  }
  return { sink: await NdjsonSink.open({ path: options.output, onError: options.onError }) };
}
