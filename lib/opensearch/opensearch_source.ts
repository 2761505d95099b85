/**
 * A perfSONAR 5 archive's `pscheduler_*` indices as an {@linkcode ArchiveSource}: the query
 * tools read an OpenSearch cluster directly, with the metadata, keys and point values the
 * archive server (`esmond-ps-archive serve`) would answer.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { type DataPoint, parseDataPage } from "../esmond/data_point.ts";
import { summaryTypeFromPlural } from "../esmond/event_types.ts";
import type { ApiFilters } from "../esmond/filters.ts";
import type {
  ArchiveSource,
  MetadataRecord as EsmondMetadata,
  ReadSeriesOptions,
  SeriesRef,
} from "../esmond/source.ts";
import type { MetadataRecord } from "../archive/metadata_store.ts";
import { buildQuery } from "../archive/read_handlers.ts";
import { type Mount, type PageInfo, renderMetadata } from "../archive/render.ts";
import { DEFAULT_PAGE, pageLink } from "../archive/query_params.ts";
import { openSearchClient, type OpenSearchConnectionOptions, shownUrl } from "./connection.ts";
import { PschedulerStore, type PschedulerStoreOptions } from "./pscheduler_store.ts";

/** Options of {@linkcode OpenSearchSource}. */
export interface OpenSearchSourceOptions
  extends OpenSearchConnectionOptions, Omit<PschedulerStoreOptions, "client"> {
  /** Use this client (not closed by the source) instead of one made from the options. */
  readonly client?: Client;
  /** Points per page yielded by `readSeries` (default 10000). */
  readonly dataPageSize?: number;
  /** The clock in epoch seconds. */
  readonly now?: () => number;
}

/** The archive path the metadata URIs name, as the archive server mounts it by default. */
const MOUNT_PATH = "/esmond/perfsonar/archive/";

/**
 * Reads metadata and series from `pscheduler_*` indices.
 *
 * @example
 * ```ts
 * import { OpenSearchSource } from "./opensearch_source.ts";
 * const source = new OpenSearchSource({ url: "http://127.0.0.1:9200" });
 * // for await (const md of source.listMetadata(new ApiFilters({}))) console.log(md["metadata-key"]);
 * source.close();
 * ```
 */
export class OpenSearchSource implements ArchiveSource {
  readonly #client: Client;
  readonly #ownsClient: boolean;
  readonly #store: PschedulerStore;
  readonly #options: OpenSearchSourceOptions;
  readonly #records = new Map<string, MetadataRecord>();
  readonly #mount: Mount;
  /** The cluster URL without credentials. */
  readonly description: string;

  /** Creates the source; no request is made yet. */
  constructor(options: OpenSearchSourceOptions) {
    this.#options = options;
    this.#ownsClient = options.client === undefined;
    this.#client = options.client ?? openSearchClient(options);
    this.#store = new PschedulerStore({ ...options, client: this.#client });
    this.description = shownUrl(options.url);
    this.#mount = { origin: new URL(this.description).origin, archivePath: MOUNT_PATH };
  }

  /** The store (metadata and series over the indices). */
  get store(): PschedulerStore {
    return this.#store;
  }

  #now(): number {
    return this.#options.now?.() ?? Math.floor(Date.now() / 1000);
  }

  /** Every matching metadata, ordered by key, as the archive server renders it. */
  async *listMetadata(
    filters: ApiFilters,
    options: { withTime?: boolean } = {},
  ): AsyncIterable<EsmondMetadata> {
    const params = filters.metadataSearchParams({ withTime: options.withTime });
    const query = await buildQuery(params, this.#now());
    const records = await this.#store.list(query);
    const total = records.length;
    for (let i = 0; i < total; i++) {
      const record = records[i];
      this.#records.set(record.key, record);
      // The first object of each page carries the paging keys, as the archive server's pages
      // of DEFAULT_PAGE objects (read without a limit) do.
      let page: PageInfo | undefined;
      if (i % DEFAULT_PAGE === 0) {
        const url = new URL(`${this.#mount.origin}${this.#mount.archivePath}`);
        const paged = filters.metadataSearchParams({
          paging: i > 0 ? [["offset", String(i)]] : [],
          withTime: options.withTime,
        });
        url.search = paged.toString();
        page = {
          total,
          previous: i > 0 ? pageLink(url, DEFAULT_PAGE, Math.max(0, i - DEFAULT_PAGE)) : null,
          next: i + DEFAULT_PAGE < total ? pageLink(url, DEFAULT_PAGE, i + DEFAULT_PAGE) : null,
        };
      }
      yield JSON.parse(renderMetadata(this.#mount, record, page));
    }
  }

  /** The points of a series in the filters' window, ascending, in pages. */
  async *readSeries(
    series: SeriesRef,
    filters: ApiFilters,
    options: ReadSeriesOptions = {},
  ): AsyncIterable<DataPoint[]> {
    const record = this.#records.get(series.metadataKey) ??
      await this.#store.findByKey(series.metadataKey);
    if (!record) return;
    this.#records.set(record.key, record);
    const summaryType = series.summaryType === "base"
      ? "base"
      : (summaryTypeFromPlural(series.summaryType) ?? series.summaryType);
    const window = summaryType === "base" ? 0 : Number(series.summaryWindow);
    const row = record.eventTypes.find((r) =>
      r.eventType === series.eventType && r.summaryType === summaryType &&
      r.summaryWindow === window
    );
    if (!row) return;
    const now = this.#now();
    const w = filters.timeWindow(now);
    const range = {
      begin: w.begin ?? 0,
      end: w.end ?? now + 3600,
      limit: Number.MAX_SAFE_INTEGER,
      offset: 0,
    };
    const size = options.pageSize ?? this.#options.dataPageSize ?? 10_000;
    let batch: string[] = [];
    for await (const point of this.#store.points(record, row, range)) {
      options.signal?.throwIfAborted();
      batch.push(`{"ts":${point.ts},"val":${point.val}}`);
      if (batch.length >= size) {
        yield parseDataPage(`[${batch.join(",")}]`);
        batch = [];
      }
    }
    if (batch.length) yield parseDataPage(`[${batch.join(",")}]`);
  }

  /** Closes the client if this source made it. */
  close(): void {
    if (this.#ownsClient) void this.#client.close();
  }
}
