/**
 * The small interface between the query objects (`ApiConnect`, `Metadata`, `EventType`,
 * `Summary`) and where the data come from. The esmond REST archive is one source; a later one
 * (perfSONAR 5's OpenSearch archive) only has to produce esmond-shaped metadata objects and
 * series pages.
 *
 * @module
 */
import type { DataPoint } from "./data_point.ts";
import type { ApiFilters } from "./filters.ts";

/** A metadata object in the esmond JSON shape (dashed keys, §3.1 of the API spec). */
export type MetadataRecord = Readonly<Record<string, unknown>>;

/** Which series to read. */
export interface SeriesRef {
  /** The metadata key the series belongs to. */
  readonly metadataKey: string;
  /** The series URI from the metadata (`base-uri` or a summary `uri`); may be empty. */
  readonly uri: string;
  /** The event-type name. */
  readonly eventType: string;
  /** `base` or the singular summary type. */
  readonly summaryType: string;
  /** The summary window (`"0"` for base). */
  readonly summaryWindow: string;
}

/** Options of {@linkcode ArchiveSource.readSeries}. */
export interface ReadSeriesOptions {
  /** Points per request; the source may use its own default. */
  readonly pageSize?: number;
  /** Cancels the read. */
  readonly signal?: AbortSignal;
  /**
   * Request the next page while the caller still works on the current one (default false).
   * Pages, their order and errors stay the same; only the request of page N+1 starts before
   * page N is handed over. Off by default because a verbose log of request URLs then shows
   * the next URL before the rows of the current page.
   */
  readonly readAhead?: boolean;
  /**
   * Aim for response bodies of about this many bytes: the first page asks for at most 1,000
   * points, the later ones for as many as fit in `pageBytes` at the first page's bytes per
   * point (never more than `pageSize`). Unset: every page asks for `pageSize`.
   */
  readonly pageBytes?: number;
}

/**
 * A place metadata and series can be read from.
 *
 * @example
 * ```ts
 * import type { ArchiveSource } from "./source.ts";
 * const empty: ArchiveSource = {
 *   description: "nothing",
 *   async *listMetadata() {},
 *   async *readSeries() {},
 *   close() {},
 * };
 * ```
 */
export interface ArchiveSource {
  /** A human-readable name of the source (its URL), for messages. */
  readonly description: string;
  /**
   * Every metadata matching `filters`, each exactly once, across all pages.
   * `withTime: false` ignores the filters' time fields.
   */
  listMetadata(
    filters: ApiFilters,
    options?: { withTime?: boolean },
  ): AsyncIterable<MetadataRecord>;
  /**
   * The points of a series inside the filters' time window, ascending, page by page; every
   * point exactly once.
   */
  readSeries(
    series: SeriesRef,
    filters: ApiFilters,
    options?: ReadSeriesOptions,
  ): AsyncIterable<DataPoint[]>;
  /** Releases connections. */
  close(): void;
}
