/**
 * `ApiConnect`: the entry point of the query side.
 *
 * @module
 */
import { EsmondSource } from "./esmond_source.ts";
import { ApiFilters } from "./filters.ts";
import { Metadata } from "./metadata.ts";
import type { EventType } from "./series.ts";
import type { ClientOptions } from "./options.ts";
import type { ArchiveSource, SeriesRef } from "./source.ts";

/**
 * How time filters select metadata.
 * - `updated` (the original tools' behaviour and the default): the archive matches the window
 *   against each event type's `time-updated`, i.e. the time of the last *write*.
 * - `data`: metadata are searched without the time filters, and one is kept when a matching
 *   series has at least one point inside the window (one small extra request per candidate
 *   series).
 */
export type MetadataTimeMatch = "updated" | "data";

/** Options of {@linkcode ApiConnect}. */
export interface ApiConnectOptions extends ClientOptions {
  /** The search and data-window filters (default: none). */
  readonly filters?: ApiFilters;
  /** How time filters select metadata (default `updated`). */
  readonly metadataTimeMatch?: MetadataTimeMatch;
  /** `limit` of metadata search pages (default: the archive's page size). */
  readonly metadataPageSize?: number;
  /** Points per data page (default 10000). */
  readonly dataPageSize?: number;
  /** Read from this source instead of the esmond REST archive at `url`. */
  readonly source?: ArchiveSource;
  /** Close `source` with the connection (default: only a source the connection made). */
  readonly closeSource?: boolean;
}

/**
 * Searches an archive and reads its data.
 *
 * @example
 * ```ts
 * import { ApiConnect, ApiFilters } from "./mod.ts";
 * const conn = new ApiConnect({
 *   url: "http://127.0.0.1:8000",
 *   filters: new ApiFilters({ eventType: "throughput", timeStart: 1391558400, timeEnd: 1391616000 }),
 * });
 * // for await (const md of conn.listMetadata()) {
 * //   for await (const p of md.getEventType("throughput")!.data()) console.log(p.tsEpoch, p.val);
 * // }
 * conn.close();
 * ```
 */
export class ApiConnect implements Disposable {
  /** The filters of this connection (its own object; mutate or replace freely). */
  filters: ApiFilters;
  /** Where data come from. */
  readonly source: ArchiveSource;
  readonly #ownsSource: boolean;
  readonly #timeMatch: MetadataTimeMatch;

  /** Creates the connection; no request is made yet. */
  constructor(options: ApiConnectOptions) {
    this.filters = options.filters ?? new ApiFilters();
    this.#timeMatch = options.metadataTimeMatch ?? "updated";
    this.#ownsSource = options.source === undefined || options.closeSource === true;
    this.source = options.source ??
      new EsmondSource({ ...options, verbose: options.verbose ?? this.filters.verbose });
  }

  /** Every matching metadata, across all pages of the search. */
  async *listMetadata(): AsyncIterable<Metadata> {
    const filters = this.filters;
    const window = filters.timeWindow(Math.floor(Date.now() / 1000));
    const byData = this.#timeMatch === "data" &&
      (window.begin !== undefined || window.end !== undefined);
    for await (const raw of this.source.listMetadata(filters, { withTime: !byData })) {
      const md = new Metadata(this.source, filters, raw);
      if (!byData || await this.#hasDataInWindow(md)) yield md;
    }
  }

  /** Same as {@linkcode ApiConnect.listMetadata} (the Python library's name). */
  getMetadata(): AsyncIterable<Metadata> {
    return this.listMetadata();
  }

  async #hasDataInWindow(md: Metadata): Promise<boolean> {
    for (const ref of candidateSeries(md.getAllEventTypes(), this.filters)) {
      for await (const page of this.source.readSeries(ref, this.filters, { pageSize: 1 })) {
        if (page.length > 0) return true;
        break;
      }
    }
    return false;
  }

  /** Releases the source's connections. */
  close(): void {
    if (this.#ownsSource) this.source.close();
  }

  /** Same as {@linkcode ApiConnect.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function candidateSeries(eventTypes: EventType[], filters: ApiFilters): SeriesRef[] {
  const refs: SeriesRef[] = [];
  const wantWindow = filters.summaryWindow === undefined
    ? undefined
    : String(filters.summaryWindow);
  for (const et of eventTypes) {
    if (filters.eventType && et.eventType !== filters.eventType) continue;
    if (!filters.summaryType || filters.summaryType === "base") {
      refs.push(et.seriesRef());
      continue;
    }
    for (const s of et.summaries) {
      if (s.summaryType !== filters.summaryType) continue;
      if (wantWindow !== undefined && s.summaryWindow !== wantWindow) continue;
      refs.push(s.seriesRef());
    }
  }
  return refs;
}
