/**
 * The graphs page's only way to its data: the esmond REST API (`archive/` listing and the
 * series URIs the metadata names), so any esmond-compatible archive can back the page.
 *
 * @module
 */
import type { ApiPoint } from "./series_values.ts";
import type { SeriesChoice } from "./choose_summary.ts";

/** One event type of a metadata record, with its series. */
export interface EventTypeEntry {
  /** The event-type name. */
  readonly eventType: string;
  /** Path of the base series. */
  readonly baseUri: string;
  /** The summaries, as the listing gives them. */
  readonly summaries: readonly SeriesChoice[];
}

/** The fields of a metadata record the page uses. */
export interface Measurement {
  /** Metadata key. */
  readonly key: string;
  /** Source address. */
  readonly source: string;
  /** Destination address ("" for network-element tests). */
  readonly destination: string;
  /** Source host name as the test named it (or the address). */
  readonly sourceName: string;
  /** Destination host name as the test named it (or the address). */
  readonly destinationName: string;
  /** The tool, e.g. `bwctl/iperf3`. */
  readonly tool: string;
  /** Event types stored. */
  readonly eventTypes: readonly EventTypeEntry[];
}

/** Options of {@linkcode EsmondApi}. */
export interface ApiOptions {
  /** Absolute URL of the archive listing, e.g. `http://host/esmond/perfsonar/archive/`. */
  readonly archiveUrl: string;
  /** The fetch to use (tests may count requests). */
  readonly fetch?: typeof fetch;
}

const PAGE = 1000;

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function toMeasurement(raw: Record<string, unknown>): Measurement {
  const types = Array.isArray(raw["event-types"]) ? raw["event-types"] : [];
  return {
    key: str(raw["metadata-key"]),
    source: str(raw.source),
    destination: str(raw.destination),
    sourceName: str(raw["input-source"]) || str(raw.source),
    destinationName: str(raw["input-destination"]) || str(raw.destination),
    tool: str(raw["tool-name"]),
    eventTypes: types.map((t: Record<string, unknown>) => ({
      eventType: str(t["event-type"]),
      baseUri: str(t["base-uri"]),
      summaries: (Array.isArray(t.summaries) ? t.summaries : []).map((
        s: Record<string, unknown>,
      ) => ({
        summaryType: str(s["summary-type"]),
        window: Number(s["summary-window"]) || 0,
        uri: str(s.uri),
      })),
    })),
  };
}

/** A small esmond REST client for the browser. */
export class EsmondApi {
  readonly #archiveUrl: string;
  readonly #fetch: typeof fetch;

  /**
   * @example
   * ```ts
   * import { EsmondApi } from "./api.ts";
   * const api = new EsmondApi({ archiveUrl: "http://127.0.0.1:8080/esmond/perfsonar/archive/" });
   * ```
   */
  constructor(options: ApiOptions) {
    this.#archiveUrl = options.archiveUrl;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async #json(url: URL, signal?: AbortSignal): Promise<unknown> {
    // No extra headers: the page's <link rel="preload"> of the listing must match this request.
    const response = await this.#fetch(url, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`${response.status} ${response.statusText} from ${url.pathname}`);
    }
    return await response.json();
  }

  /**
   * Every metadata record of the archive (paged with `limit`/`offset`).
   *
   * @example
   * ```ts ignore
   * const all = await api.measurements();
   * ```
   */
  async measurements(signal?: AbortSignal): Promise<Measurement[]> {
    const out: Measurement[] = [];
    for (let offset = 0;; offset += PAGE) {
      const url = new URL(this.#archiveUrl);
      url.searchParams.set("limit", String(PAGE));
      url.searchParams.set("offset", String(offset));
      const page = await this.#json(url, signal);
      if (!Array.isArray(page)) break;
      out.push(...page.map(toMeasurement));
      if (page.length < PAGE) break;
    }
    return out;
  }

  /**
   * The points of one series (a `base-uri` or summary `uri`) between `start` and `end`
   * (UNIX seconds), at most `limit` of them after skipping `offset`.
   *
   * @example
   * ```ts ignore
   * const points = await api.points("/esmond/perfsonar/archive/K/throughput/base", 0, 99, 100);
   * ```
   */
  async points(
    uri: string,
    start: number,
    end: number,
    limit: number,
    signal?: AbortSignal,
    offset = 0,
  ): Promise<ApiPoint[]> {
    const url = new URL(uri, this.#archiveUrl);
    url.searchParams.set("time-start", String(Math.floor(start)));
    url.searchParams.set("time-end", String(Math.ceil(end)));
    url.searchParams.set("limit", String(limit));
    if (offset > 0) url.searchParams.set("offset", String(offset));
    const data = await this.#json(url, signal);
    return Array.isArray(data)
      ? data.filter((p) => p && typeof p.ts === "number").map((p) => ({ ts: p.ts, val: p.val }))
      : [];
  }
}
