/**
 * The esmond REST archive as an {@linkcode ArchiveSource}: metadata search with offset
 * paging, and lossless time-series paging.
 *
 * @module
 */
import { type DataPoint, parseDataPage } from "./data_point.ts";
import { ArchiveHttpError } from "./errors.ts";
import { SUMMARY_PLURALS, type SummaryType } from "./event_types.ts";
import type { ApiFilters } from "./filters.ts";
import { HttpClient, type HttpOptions, type HttpResponse } from "./http.ts";
import type { ArchiveSource, MetadataRecord, ReadSeriesOptions, SeriesRef } from "./source.ts";
import { archiveRootUrl, resolveArchiveUri } from "./url.ts";

/** Points requested per data page unless told otherwise. */
export const DEFAULT_DATA_PAGE_SIZE = 10_000;

/** Options of {@linkcode EsmondSource}. */
export interface EsmondSourceOptions extends HttpOptions {
  /** Archive host URL (`http(s)://host[:port][/prefix]`, a pasted archive suffix is trimmed). */
  readonly url: string;
  /** The mount prefix; default `/esmond`, `null` or `""` for none. */
  readonly scriptAlias?: string | null;
  /** `limit` of metadata search pages (default: the archive's own page size). */
  readonly metadataPageSize?: number;
  /** Points per data page (default {@linkcode DEFAULT_DATA_PAGE_SIZE}). */
  readonly dataPageSize?: number;
  /** The clock, in epoch seconds, for "the last N seconds" windows. */
  readonly now?: () => number;
  /** Use this HTTP client instead of creating one (it is then not closed by the source). */
  readonly http?: HttpClient;
  /**
   * Follow series URIs that name another origin than `url` (default `false`: their path is
   * read from the archive's own origin).
   */
  readonly followOtherOrigins?: boolean;
}

/**
 * Parses a JSON response body, turning bad bodies into a clear {@linkcode ArchiveHttpError}.
 * A `Content-Type` with parameters is accepted; an explicit non-JSON type is refused.
 *
 * @example
 * ```ts
 * import { parseJsonResponse } from "./esmond_source.ts";
 * parseJsonResponse(
 *   { status: 200, url: "http://h/", text: "[]", headers: new Headers({ "content-type": "application/json; charset=utf-8" }) },
 *   (t) => JSON.parse(t),
 * ); // []
 * ```
 */
export function parseJsonResponse<T>(res: HttpResponse, parse: (text: string) => T): T {
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type && type !== "application/json" && !type.endsWith("+json")) {
    throw new ArchiveHttpError({
      status: res.status,
      url: res.url,
      body: res.text,
      reason: `expected JSON, got Content-Type ${type}`,
    });
  }
  try {
    return parse(res.text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ArchiveHttpError({
      status: res.status,
      url: res.url,
      body: res.text,
      reason: `unreadable response (${why})`,
      cause: e,
    });
  }
}

/** Identity of a page made only of points at one second (to spot a server ignoring offset). */
function pageSignature(points: DataPoint[]): string {
  return JSON.stringify(points.map((p) => p.val));
}

function withParams(url: string, params: URLSearchParams): string {
  const q = params.toString();
  return q ? `${url}${url.includes("?") ? "&" : "?"}${q}` : url;
}

/**
 * Reads metadata and series from an esmond archive over HTTP.
 *
 * @example
 * ```ts
 * import { EsmondSource } from "./esmond_source.ts";
 * import { ApiFilters } from "./filters.ts";
 * const source = new EsmondSource({ url: "http://127.0.0.1:8000" });
 * // for await (const md of source.listMetadata(new ApiFilters({ eventType: "throughput" }))) {}
 * source.close();
 * ```
 */
export class EsmondSource implements ArchiveSource {
  readonly #options: EsmondSourceOptions;
  readonly #http: HttpClient;
  readonly #ownsHttp: boolean;
  /** The archive root URL (`…/esmond/perfsonar/archive/`). */
  readonly rootUrl: string;

  /** Creates the source; no request is made yet. */
  constructor(options: EsmondSourceOptions) {
    this.#options = options;
    this.rootUrl = archiveRootUrl(options.url, options.scriptAlias);
    this.#ownsHttp = options.http === undefined;
    this.#http = options.http ?? new HttpClient(options);
  }

  /** The archive root URL. */
  get description(): string {
    return this.rootUrl;
  }

  /** The HTTP client this source uses. */
  get http(): HttpClient {
    return this.#http;
  }

  /** Releases the HTTP client if this source created it. */
  close(): void {
    if (this.#ownsHttp) this.#http.close();
  }

  /**
   * The conventional URL of a series (`<root><key>/<event-type>/base` or
   * `…/<plural>/<window>`), used when the metadata carries no URI for it.
   */
  seriesUrl(series: SeriesRef): string {
    const type = series.summaryType as SummaryType;
    const tail = series.summaryType === "base" || !(type in SUMMARY_PLURALS)
      ? "base"
      : `${SUMMARY_PLURALS[type]}/${series.summaryWindow}`;
    return `${this.rootUrl}${encodeURIComponent(series.metadataKey)}/${series.eventType}/${tail}`;
  }

  /** GET one URL and parse its JSON body. */
  async getJson<T = unknown>(url: string, parse: (text: string) => T = JSON.parse): Promise<T> {
    const res = await this.#http.request({ url, expect: [200] });
    return parseJsonResponse(res, parse);
  }

  /**
   * Pages through the metadata search with `offset` until `metadata-count-total` objects were
   * seen or a page is empty; keys already yielded are skipped (a concurrent insert can shift
   * offset pages).
   */
  async *listMetadata(
    filters: ApiFilters,
    options: { withTime?: boolean } = {},
  ): AsyncIterable<MetadataRecord> {
    const seen = new Set<string>();
    const limit = this.#options.metadataPageSize;
    let offset = 0;
    let total: number | undefined;
    while (true) {
      const paging: [string, string][] = [];
      if (offset > 0) paging.push(["offset", String(offset)]);
      if (limit !== undefined) paging.push(["limit", String(limit)]);
      const url = withParams(
        this.rootUrl,
        filters.metadataSearchParams({ paging, withTime: options.withTime }),
      );
      const page = await this.getJson<unknown>(url);
      if (!Array.isArray(page)) {
        throw new ArchiveHttpError({
          status: 200,
          url,
          body: JSON.stringify(page),
          reason: "expected a JSON array of metadata",
        });
      }
      if (page.length === 0) return;
      if (total === undefined) {
        const t = (page[0] as Record<string, unknown>)?.["metadata-count-total"];
        total = typeof t === "number" ? t : typeof t === "string" ? Number(t) : undefined;
      }
      let fresh = 0;
      for (const item of page) {
        if (item === null || typeof item !== "object" || Array.isArray(item)) {
          throw new ArchiveHttpError({
            status: 200,
            url,
            body: JSON.stringify(item),
            reason: "metadata item is not an object",
          });
        }
        const key = String((item as Record<string, unknown>)["metadata-key"] ?? "");
        if (key && seen.has(key)) continue;
        if (key) seen.add(key);
        fresh++;
        yield item as MetadataRecord;
      }
      if (offset > 0 && fresh === 0) {
        // A page made only of keys already seen: the archive answers every offset with the same
        // page, and paging on would never end.
        throw new ArchiveHttpError({
          status: 200,
          url,
          reason:
            `the archive ignored offset=${offset} on the metadata list (a page repeated); cannot page`,
        });
      }
      offset += page.length;
      if (total !== undefined && Number.isFinite(total) && offset >= total) return;
    }
  }

  /**
   * Reads a series page by page. Each next page starts at the last page's final timestamp and
   * skips (`offset`) the points already returned at that second, so runs of equal timestamps
   * across a page boundary lose nothing, the inclusive end is kept, and a server that caps
   * pages below `limit` is still read to the end. Stops at the first empty page.
   */
  async *readSeries(
    series: SeriesRef,
    filters: ApiFilters,
    options: ReadSeriesOptions = {},
  ): AsyncIterable<DataPoint[]> {
    const maxPageSize = options.pageSize ?? this.#options.dataPageSize ?? DEFAULT_DATA_PAGE_SIZE;
    const pageBytes = options.pageBytes;
    let pageSize = pageBytes === undefined ? maxPageSize : Math.min(maxPageSize, 1000);
    let sized = pageBytes === undefined;
    let lastTextLength = 0;
    const parse = (text: string) => {
      lastTextLength = text.length;
      return parseDataPage(text);
    };
    const now = this.#options.now?.() ?? Math.floor(Date.now() / 1000);
    const window = filters.timeWindow(now);
    const base = series.uri
      ? resolveArchiveUri(this.#options.url, series.uri, {
        allowOtherOrigin: this.#options.followOtherOrigins,
      })
      : this.seriesUrl(series);
    let cursor = window.begin;
    let skip = 0;
    let lastRunSignature: string | undefined;
    const request = (): { url: string; points: Promise<DataPoint[]> } => {
      options.signal?.throwIfAborted();
      const params = new URLSearchParams();
      if (cursor !== undefined) params.set("time-start", String(cursor));
      if (window.end !== undefined) params.set("time-end", String(window.end));
      params.set("limit", String(pageSize));
      if (skip > 0) params.set("offset", String(skip));
      const url = withParams(base, params);
      return { url, points: this.getJson(url, parse) };
    };
    let next: { url: string; points: Promise<DataPoint[]> } | undefined = request();
    try {
      while (true) {
        const { url } = next;
        const points = await next.points;
        next = undefined;
        if (points.length === 0) return;
        const last = points[points.length - 1].tsEpoch;
        if (cursor !== undefined && (points[0].tsEpoch < cursor || last < cursor)) {
          // Paging restarts at `cursor`; a server that answers with older points would make the
          // loop repeat itself forever.
          throw new ArchiveHttpError({
            status: 200,
            url,
            reason: `the archive ignored time-start=${cursor} (returned ts ${
              Math.min(points[0].tsEpoch, last)
            }); cannot page`,
          });
        }
        if (cursor !== undefined && last === cursor && points[0].tsEpoch === cursor) {
          const signature = pageSignature(points);
          if (signature === lastRunSignature) {
            throw new ArchiveHttpError({
              status: 200,
              url,
              reason: `the archive ignored offset=${skip}; cannot page`,
            });
          }
          lastRunSignature = signature;
        } else {
          lastRunSignature = undefined;
        }
        if (!sized) {
          // Once, from the first page: later pages stay the same size, so a server that
          // ignores offset still repeats itself page for page and is caught above.
          sized = true;
          const perPoint = lastTextLength / points.length;
          pageSize = Math.max(100, Math.min(maxPageSize, Math.floor(pageBytes! / perPoint)));
        }
        let sameAtEnd = 0;
        for (let i = points.length - 1; i >= 0 && points[i].tsEpoch === last; i--) sameAtEnd++;
        if (cursor === last) skip += sameAtEnd;
        else {
          cursor = last;
          skip = sameAtEnd;
        }
        // The next page's cursor is known now: with read-ahead its request runs while the
        // caller renders and writes this page (the archive's work and the caller's overlap).
        if (options.readAhead && !options.signal?.aborted) next = request();
        yield points;
        next ??= request();
      }
    } finally {
      // A caller that stops early (or fails) leaves no request behind: it is awaited and its
      // outcome dropped, so no rejection goes unhandled and no connection stays open.
      if (next !== undefined) await next.points.catch(() => {});
    }
  }
}
