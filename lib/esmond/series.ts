/**
 * The series objects of the query side: `EventType` (base series), `Summary`, `DataPayload`.
 *
 * @module
 */
import type { DataPoint } from "./data_point.ts";
import { type DataType, eventTypeInfo } from "./event_types.ts";
import type { ApiFilters } from "./filters.ts";
import type { ArchiveSource, ReadSeriesOptions, SeriesRef } from "./source.ts";

/** The data type of an event type: the registry's, or `unspecified` for unknown names. */
export type EventDataType = DataType | "unspecified";

/** `time-updated` as epoch seconds; numeric strings are accepted, anything else is null. */
function epochOrNull(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

function dataTypeOf(eventType: string): EventDataType {
  return eventTypeInfo(eventType)?.dataType ??
    (eventType.startsWith("histogram-") ? "histogram" : "unspecified");
}

/**
 * All points of a series, collected.
 *
 * @example
 * ```ts
 * import { DataPayload } from "./series.ts";
 * import assert from "node:assert/strict";
 * const p = new DataPayload([], "integer");
 * assert.deepEqual(p.data.length, 0);
 * ```
 */
export class DataPayload {
  /** The points, ascending. */
  readonly data: DataPoint[];
  /** The series' data type. */
  readonly dataType: EventDataType;

  /** Wraps collected points. */
  constructor(data: DataPoint[], dataType: EventDataType) {
    this.data = data;
    this.dataType = dataType;
  }

  /** The original's `repr`. */
  toString(): string {
    return `<DataPayload: len:${this.data.length} type:${this.dataType}>`;
  }
}

/**
 * Flattens pages into points. A hand-written iterator: an async generator with `yield*` costs
 * about twice as much per point, which matters at millions of points.
 *
 * @example
 * ```ts
 * import { flattenPages } from "./series.ts";
 * async function* pages() {
 *   yield [1, 2];
 *   yield [3];
 * }
 * for await (const x of flattenPages(pages())) console.log(x);
 * ```
 */
export function flattenPages<T>(pages: AsyncIterable<T[]>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const source = pages[Symbol.asyncIterator]();
      let page: T[] = [];
      let i = 0;
      return {
        async next(): Promise<IteratorResult<T>> {
          while (i >= page.length) {
            const r = await source.next();
            if (r.done) return { done: true, value: undefined };
            page = r.value;
            i = 0;
          }
          return { done: false, value: page[i++] };
        },
        async return(): Promise<IteratorResult<T>> {
          page = [];
          await source.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/**
 * Reading behaviour shared by base series ({@linkcode EventType}) and {@linkcode Summary}.
 *
 * @example
 * ```ts
 * import type { Series } from "./series.ts";
 * async function total(series: Series): Promise<number> {
 *   let n = 0;
 *   for await (const page of series.pages()) n += page.length;
 *   return n;
 * }
 * ```
 */
export abstract class Series {
  readonly #source: ArchiveSource;
  readonly #filters: ApiFilters;
  /** The metadata key of the series. */
  readonly metadataKey: string;
  /** The event-type name. */
  readonly eventType: string;
  /** The data type of the event type. */
  readonly dataType: EventDataType;

  /** Binds the series to its source and default filters. */
  constructor(
    source: ArchiveSource,
    filters: ApiFilters,
    ids: { metadataKey: string; eventType: string },
  ) {
    this.#source = source;
    this.#filters = filters;
    this.metadataKey = ids.metadataKey;
    this.eventType = ids.eventType;
    this.dataType = dataTypeOf(ids.eventType);
  }

  /** Which series to read from the source. */
  abstract seriesRef(): SeriesRef;

  /** Every page of points in the time window of `filters` (default: the connection's). */
  pages(filters?: ApiFilters, options?: ReadSeriesOptions): AsyncIterable<DataPoint[]> {
    return this.#source.readSeries(this.seriesRef(), filters ?? this.#filters, options);
  }

  /** Every point, streamed (nothing is held beyond one page). */
  data(filters?: ApiFilters, options?: ReadSeriesOptions): AsyncIterable<DataPoint> {
    return flattenPages(this.pages(filters, options));
  }

  /** All points collected into a {@linkcode DataPayload}. */
  async getData(filters?: ApiFilters, options?: ReadSeriesOptions): Promise<DataPayload> {
    const all: DataPoint[] = [];
    for await (const page of this.pages(filters, options)) {
      for (let i = 0; i < page.length; i++) all.push(page[i]);
    }
    return new DataPayload(all, this.dataType);
  }
}

/**
 * A summary (rollup) of an event type.
 *
 * @example
 * ```ts
 * import type { Summary } from "./series.ts";
 * function label(s: Summary): string {
 *   return `${s.summaryType}/${s.summaryWindow}`;
 * }
 * ```
 */
export class Summary extends Series {
  /** `aggregation`, `average` or `statistics`. */
  readonly summaryType: string;
  /** The window in seconds, as the archive's string (`"3600"`). */
  readonly summaryWindow: string;
  /** The series URI. */
  readonly uri: string;
  /** Last write time (epoch seconds) or null. */
  readonly timeUpdated: number | null;
  /** The JSON object. */
  readonly raw: Readonly<Record<string, unknown>>;

  /** Built by {@linkcode EventType}; not meant to be created by callers. */
  constructor(
    source: ArchiveSource,
    filters: ApiFilters,
    ids: { metadataKey: string; eventType: string },
    raw: Record<string, unknown>,
  ) {
    super(source, filters, ids);
    this.raw = raw;
    this.summaryType = String(raw["summary-type"] ?? "");
    this.summaryWindow = String(raw["summary-window"] ?? "");
    this.uri = String(raw["uri"] ?? "");
    this.timeUpdated = epochOrNull(raw["time-updated"]);
  }

  /** Which series to read from the source. */
  seriesRef(): SeriesRef {
    return {
      metadataKey: this.metadataKey,
      uri: this.uri,
      eventType: this.eventType,
      summaryType: this.summaryType,
      summaryWindow: this.summaryWindow,
    };
  }

  /** The original's `repr`. */
  override toString(): string {
    return `<Summary/${this.summaryType}: window:${this.summaryWindow}>`;
  }
}

/**
 * One event type of a metadata, with its base series and summaries.
 *
 * @example
 * ```ts
 * import type { EventType } from "./series.ts";
 * async function count(et: EventType): Promise<number> {
 *   let n = 0;
 *   for await (const _ of et.data()) n++;
 *   return n;
 * }
 * ```
 */
export class EventType extends Series {
  /** The base series URI. */
  readonly baseUri: string;
  /** Last write time (epoch seconds) or null. */
  readonly timeUpdated: number | null;
  /** The summaries registered for this event type. */
  readonly summaries: readonly Summary[];
  /** The JSON object. */
  readonly raw: Readonly<Record<string, unknown>>;

  /** Built by {@linkcode Metadata}; not meant to be created by callers. */
  constructor(
    source: ArchiveSource,
    filters: ApiFilters,
    raw: Record<string, unknown>,
    metadataKey = "",
  ) {
    super(source, filters, { metadataKey, eventType: String(raw["event-type"] ?? "") });
    this.raw = raw;
    this.baseUri = String(raw["base-uri"] ?? "");
    this.timeUpdated = epochOrNull(raw["time-updated"]);
    const list = Array.isArray(raw["summaries"]) ? raw["summaries"] : [];
    this.summaries = list
      .filter((s): s is Record<string, unknown> => s !== null && typeof s === "object")
      .map((s) => new Summary(source, filters, { metadataKey, eventType: this.eventType }, s));
  }

  /** Which series to read from the source. */
  seriesRef(): SeriesRef {
    return {
      metadataKey: this.metadataKey,
      uri: this.baseUri,
      eventType: this.eventType,
      summaryType: "base",
      summaryWindow: "0",
    };
  }

  /** All summaries. */
  getAllSummaries(): Summary[] {
    return [...this.summaries];
  }

  /** The summary of that type and window (compared as strings), or undefined. */
  getSummary(summaryType: string, summaryWindow: number | string): Summary | undefined {
    const w = String(summaryWindow);
    return this.summaries.find((s) => s.summaryType === summaryType && s.summaryWindow === w);
  }

  /** The original's `repr`. */
  override toString(): string {
    return `<EventType/${this.eventType}: uri:${this.baseUri}>`;
  }
}
