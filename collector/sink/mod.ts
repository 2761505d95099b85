/**
 * Builds the document sink from the collector's options: `-s` servers given → the search
 * engine sink (issue 9, `sink/search/`); none → NDJSON on stdout or `--output FILE`.
 *
 * @module
 */
import { NdjsonSink } from "./ndjson.ts";
import type { DocumentSink, OlderEventsLookup } from "./types.ts";

export type * from "./types.ts";
export { NdjsonSink } from "./ndjson.ts";

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
}

/** A sink and, when it can answer one, the older-events lookup that goes with it. */
export interface BuiltSink {
  readonly sink: DocumentSink;
  readonly lookup?: OlderEventsLookup;
}

/**
 * Creates the sink the options ask for.
 *
 * @example
 * ```ts
 * import { createSink } from "./mod.ts";
 * const { sink } = await createSink({ servers: [], evtType: "xrd_fstream", insecure: false });
 * await sink.close();
 * ```
 */
export async function createSink(options: SinkOptions): Promise<BuiltSink> {
  if (options.servers.length > 0) {
    // The Elasticsearch/OpenSearch sink (sink/search/) plugs in here.
    throw new Error("-s/--servers: the search engine sink is not available in this build");
  }
  return { sink: await NdjsonSink.open({ path: options.output, onError: options.onError }) };
}
