/**
 * The read-only `Metadata` object of the query side.
 *
 * @module
 */
import type { ApiFilters } from "./filters.ts";
import { EventType } from "./series.ts";
import { STRUCTURAL_METADATA_KEYS, SUBJECT_FIELDS } from "./subject.ts";
import type { ArchiveSource, MetadataRecord } from "./source.ts";

/** The keys of a metadata object that are not free-form parameters. */
export const CORE_METADATA_KEYS: ReadonlySet<string> = new Set([
  ...SUBJECT_FIELDS,
  ...STRUCTURAL_METADATA_KEYS,
]);

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
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
