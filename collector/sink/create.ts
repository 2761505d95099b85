/**
 * Builds the document sink from the collector's options: `-s` servers given → the search
 * engine sink (issue 9, `sink/search/`); each `--bus URL` → one message-bus sink of WLCG
 * records (`sink/bus/`); several of them are fed together from one decode (`fanout.ts`). With
 * neither, or with `--output FILE`, NDJSON on stdout or the file.
 *
 * @module
 */
import { type BusArgValues, BusSink, busSinkOptions, renderBusMetrics } from "./bus/mod.ts";
import { FanoutSink } from "./fanout.ts";
import { NdjsonSink } from "./ndjson.ts";
import { createSearchSink, type SearchArgValues, searchSinkOptions } from "./search/mod.ts";
import type { DocumentSink, OlderEventsLookup } from "../correlate/sink_contracts.ts";

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
  /** The bus options (`--bus`, `--bus-spool-dir`, `--wlcg-*`), see `bus/options.ts`. */
  readonly bus?: BusArgValues;
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
  const sinks: DocumentSink[] = [];
  const renderers: (() => string)[] = [];
  let lookup: OlderEventsLookup | undefined;
  if (options.servers.length > 0) {
    const search = await createSearchSink(
      await searchSinkOptions({
        servers: options.servers,
        insecure: options.insecure,
        time: options.time ?? 10,
        values: options.search ?? {},
      }),
    );
    sinks.push(search.sink);
    lookup = search.lookup;
    if (search.renderMetrics) renderers.push(search.renderMetrics);
  }
  const busOptions = busSinkOptions({
    values: options.bus ?? {},
    time: options.time ?? 10,
    host: Deno.hostname(),
  });
  const bus: BusSink[] = [];
  for (const o of busOptions) bus.push(await BusSink.open(o));
  sinks.push(...bus);
  if (bus.length > 0) renderers.push(() => renderBusMetrics(bus));
  if (sinks.length === 0 || options.output !== undefined) {
    sinks.push(await NdjsonSink.open({ path: options.output, onError: options.onError }));
  }
  return {
    sink: sinks.length === 1 ? sinks[0] : new FanoutSink(sinks),
    lookup,
    renderMetrics: renderers.length === 0 ? undefined : () => renderers.map((r) => r()).join(""),
  };
}
