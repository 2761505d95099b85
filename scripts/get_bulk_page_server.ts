/**
 * A static esmond page server for `bench_get_bulk.ts`: it answers the data pages of the
 * bench's two series (numeric `throughput`, one point a second, and `histogram-owdelay`) in
 * the archive's exact bytes, rendered from the series' definition instead of read from
 * SQLite, and passes every other request (the metadata search) to the real archive. Against
 * it the export runs at the tool's own limit, and series far longer than the archive could be
 * seeded with in a bench run (10M points) cost nothing to set up.
 *
 * @module
 */

/** The bench series, as the bench seeds them into the archive. */
export interface BenchSeries {
  /** Timestamp of point 0 (both series start there, one point a second). */
  readonly base: number;
  /** Points of the numeric series. */
  readonly numeric: number;
  /** Points of the histogram series. */
  readonly histograms: number;
}

/** The `val` of numeric point `i` as the bench posts it. */
export function numericValue(i: number): number {
  return 9_000_000_000 + i;
}

/** The `val` of histogram point `i` as the bench posts it. */
export function histogramValue(i: number): Record<string, number> {
  return { "41.00": 98, "41.10": 98 + (i % 7), "41.20": 3, "50.0": 1 };
}

/** The text of point `i` of one series as the archive stores it (`{"ts":…,"val":…}`). */
function pointText(eventType: string, series: BenchSeries, i: number): string {
  const ts = series.base + i;
  // throughput is a float event type: the archive keeps (and sends) `9000000000.0`.
  if (eventType === "throughput") return `{"ts":${ts},"val":${numericValue(i)}.0}`;
  return `{"ts":${ts},"val":{"41.00":98,"41.10":${98 + (i % 7)},"41.20":3,"50.0":1}}`;
}

/**
 * The data page the archive answers for `query` on series `eventType` (time-start and
 * time-end inclusive, then offset and limit), or undefined for another event type.
 *
 * @example
 * ```ts
 * import { renderPage } from "./get_bulk_page_server.ts";
 * import assert from "node:assert/strict";
 * const series = { base: 100, numeric: 3, histograms: 0 };
 * assert.equal(renderPage("throughput", series, new URLSearchParams("time-start=101&limit=5")), '[{"ts":101,"val":9000000001.0},{"ts":102,"val":9000000002.0}]');
 * ```
 */
export function renderPage(
  eventType: string,
  series: BenchSeries,
  query: URLSearchParams,
): string | undefined {
  const count = eventType === "throughput"
    ? series.numeric
    : eventType === "histogram-owdelay"
    ? series.histograms
    : undefined;
  if (count === undefined) return undefined;
  const start = Number(query.get("time-start") ?? series.base);
  const end = Number(query.get("time-end") ?? Infinity);
  const limit = Number(query.get("limit") ?? 1000);
  const offset = Number(query.get("offset") ?? 0);
  const first = Math.max(0, Math.ceil(start - series.base)) + offset;
  const stop = Math.min(count, Math.floor(end - series.base) + 1, first + limit);
  const parts: string[] = [];
  for (let i = first; i < stop; i++) parts.push(pointText(eventType, series, i));
  return "[" + parts.join(",") + "]";
}

/** A running page server. */
export interface PageServer extends AsyncDisposable {
  /** Base URL to give the tool as `-u`. */
  readonly url: string;
  /** Bytes of data pages served so far. */
  readonly servedBytes: () => number;
}

/**
 * Starts the page server on a free loopback port, in front of the archive at `archiveUrl`
 * (base URL, no mount prefix).
 *
 * @example
 * ```ts ignore
 * import { startPageServer } from "./get_bulk_page_server.ts";
 * await using pages = startPageServer("http://127.0.0.1:8000", { base: 0, numeric: 10, histograms: 0 });
 * ```
 */
export function startPageServer(archiveUrl: string, series: BenchSeries): PageServer {
  const encoder = new TextEncoder();
  let served = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const data = /\/archive\/[^/]+\/([^/]+)\/base\/?$/.exec(url.pathname);
    const page = data === null ? undefined : renderPage(data[1], series, url.searchParams);
    if (page !== undefined) {
      const bytes = encoder.encode(page);
      served += bytes.length;
      return new Response(bytes, { headers: { "content-type": "application/json" } });
    }
    // Everything else (the metadata search) is the archive's own answer, URIs included.
    const upstream = await fetch(archiveUrl + url.pathname + url.search, {
      headers: req.headers,
    });
    return new Response(await upstream.arrayBuffer(), {
      status: upstream.status,
      headers: upstream.headers,
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    servedBytes: () => served,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
