/**
 * The read-only query objects: `Metadata`, `EventType`, `Summary`, `DataPayload`.
 *
 * @module
 */
import type { DataPoint } from "./data_point.ts";
import { type DataType, eventTypeInfo } from "./event_types.ts";
import type { ApiFilters } from "./filters.ts";
import { STRUCTURAL_METADATA_KEYS, SUBJECT_FIELDS } from "./subject.ts";
import type { ArchiveSource, MetadataRecord, ReadSeriesOptions, SeriesRef } from "./source.ts";

/** The data type of an event type: the registry's, or `unspecified` for unknown names. */
export type EventDataType = DataType | "unspecified";

/** The keys of a metadata object that are not free-form parameters. */
export const CORE_METADATA_KEYS: ReadonlySet<string> = new Set([
  ...SUBJECT_FIELDS,
  ...STRUCTURAL_METADATA_KEYS,
]);

function dataTypeOf(eventType: string): EventDataType {
  return eventTypeInfo(eventType)?.dataType ??
    (eventType.startsWith("histogram-") ? "histogram" : "unspecified");
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * All points of a series, collected.
 *
 * @example
 * ```ts
 * import { DataPayload } from "./metadata.ts";
 * const p = new DataPayload([], "integer");
 * p.data.length; // 0
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
 * import { flattenPages } from "./metadata.ts";
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
 * import type { Series } from "./metadata.ts";
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
 * import type { Summary } from "./metadata.ts";
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
    this.timeUpdated = typeof raw["time-updated"] === "number" ? raw["time-updated"] : null;
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
 * import type { EventType } from "./metadata.ts";
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
    this.timeUpdated = typeof raw["time-updated"] === "number" ? raw["time-updated"] : null;
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

/**
 * One measurement description. Read-only view over the archive's JSON object (`raw`).
 *
 * @example
 * ```ts
 * import type { Metadata } from "./metadata.ts";
 * function describe(md: Metadata): string {
 *   return `${md.source} -> ${md.destination} ${md.toolName} [${md.eventTypes.join(", ")}]`;
 * }
 * ```
 */
export class Metadata {
  readonly #source: ArchiveSource;
  readonly #filters: ApiFilters;
  readonly #eventTypes: readonly EventType[];
  /** The JSON object as the archive sent it. */
  readonly raw: MetadataRecord;

  /** Built by `ApiConnect` and `MetadataPost`; not meant to be created by callers. */
  constructor(source: ArchiveSource, filters: ApiFilters, raw: MetadataRecord) {
    this.#source = source;
    this.#filters = filters;
    this.raw = raw;
    const list = Array.isArray(raw["event-types"]) ? raw["event-types"] : [];
    this.#eventTypes = list
      .filter((e): e is Record<string, unknown> => e !== null && typeof e === "object")
      .map((e) => new EventType(source, filters, e, String(raw["metadata-key"] ?? "")));
  }

  /** The metadata key. */
  get metadataKey(): string {
    return String(this.raw["metadata-key"] ?? "");
  }
  /** `point-to-point` or `network-element`. */
  get subjectType(): string | undefined {
    return str(this.raw["subject-type"]);
  }
  /** Source address. */
  get source(): string | undefined {
    return str(this.raw["source"]);
  }
  /** Destination address. */
  get destination(): string | undefined {
    return str(this.raw["destination"]);
  }
  /** Measurement agent address. */
  get measurementAgent(): string | undefined {
    return str(this.raw["measurement-agent"]);
  }
  /** Tool name. */
  get toolName(): string | undefined {
    return str(this.raw["tool-name"]);
  }
  /** The name/address the tool was given as source. */
  get inputSource(): string | undefined {
    return str(this.raw["input-source"]);
  }
  /** The name/address the tool was given as destination. */
  get inputDestination(): string | undefined {
    return str(this.raw["input-destination"]);
  }
  /** Free-form `ip-transport-protocol`. */
  get ipTransportProtocol(): string | undefined {
    return str(this.raw["ip-transport-protocol"]);
  }
  /** Free-form `ip-packet-interval`. */
  get ipPacketInterval(): string | undefined {
    return str(this.raw["ip-packet-interval"]);
  }
  /** Free-form `sample-bucket-width`. */
  get sampleBucketWidth(): string | undefined {
    return str(this.raw["sample-bucket-width"]);
  }
  /** Free-form `time-duration`. */
  get timeDuration(): string | undefined {
    return str(this.raw["time-duration"]);
  }
  /** Free-form `time-interval`. */
  get timeInterval(): string | undefined {
    return str(this.raw["time-interval"]);
  }
  /** Free-form `time-interval-randomization`. */
  get timeIntervalRandomization(): string | undefined {
    return str(this.raw["time-interval-randomization"]);
  }
  /** Total matches of the search (only on the first object of a listing page). */
  get metadataCountTotal(): number | undefined {
    const v = this.raw["metadata-count-total"];
    return typeof v === "number" ? v : undefined;
  }
  /** Path of this metadata. */
  get uri(): string | undefined {
    return str(this.raw["uri"]);
  }
  /** Absolute URL of this metadata. */
  get url(): string | undefined {
    return str(this.raw["url"]);
  }
  /** Every free-form parameter (keys outside {@linkcode CORE_METADATA_KEYS}), in order. */
  get freeform(): Readonly<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.raw)) if (!CORE_METADATA_KEYS.has(k)) out[k] = v;
    return out;
  }
  /** One free-form parameter's value, or undefined. */
  getFreeformKeyValue(key: string): unknown {
    return CORE_METADATA_KEYS.has(key) ? undefined : this.raw[key];
  }
  /** The event-type names. */
  get eventTypes(): string[] {
    return this.#eventTypes.map((e) => e.eventType);
  }
  /** All event types. */
  getAllEventTypes(): EventType[] {
    return [...this.#eventTypes];
  }
  /** The event type of that name, or undefined. */
  getEventType(name: string): EventType | undefined {
    return this.#eventTypes.find((e) => e.eventType === name);
  }
  /** The same metadata with other filters for its data reads. */
  withFilters(filters: ApiFilters): Metadata {
    return new Metadata(this.#source, filters, this.raw);
  }
  /** The filters data reads use by default. */
  get filters(): ApiFilters {
    return this.#filters;
  }
  /** The original's `repr`. */
  toString(): string {
    return `<Metadata/${this.metadataKey}: uri:${this.uri}>`;
  }
}
