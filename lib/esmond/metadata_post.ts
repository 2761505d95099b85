/**
 * Posting a metadata: describe a measurement (subject, free-form parameters, event types and
 * summaries) and obtain its key from the archive.
 *
 * @module
 */
import { ArchiveHttpError, ArchiveValidationError } from "./errors.ts";
import { allowsSummary, type SummaryType } from "./event_types.ts";
import { parseJsonResponse } from "./esmond_source.ts";
import { ApiFilters } from "./filters.ts";
import { CORE_METADATA_KEYS, Metadata } from "./metadata.ts";
import {
  type MeasurementSubject,
  NETWORK_ELEMENT_FIELDS,
  SUBJECT_FIELDS,
  subjectBody,
} from "./subject.ts";
import type { ClientOptions } from "./options.ts";
import { checkEventType, Poster } from "./poster.ts";

const SUBJECT_KEYS: ReadonlySet<string> = CORE_METADATA_KEYS;

/** Options of {@linkcode MetadataPost}: the connection, the subject as is, parameters. */
export interface MetadataPostOptions extends ClientOptions, MeasurementSubject {
  /** Free-form `time-duration` (dropped when empty). */
  readonly timeDuration?: number | string;
  /** Free-form `ip-transport-protocol` (dropped when empty). */
  readonly ipTransportProtocol?: string;
  /** Further free-form parameters, in order (an object or a list of pairs). */
  readonly freeform?:
    | Readonly<Record<string, string | number>>
    | readonly (readonly [string, string | number])[];
}

/**
 * Describes a measurement and posts it; the archive returns the existing metadata when an
 * identical one exists, so re-posting is how writers obtain the key. Safe to retry, so it is
 * retried like a GET.
 *
 * @example
 * ```ts
 * import { MetadataPost } from "./mod.ts";
 * using post = new MetadataPost({
 *   url: "http://127.0.0.1:8000", apiKey: "secret",
 *   subjectType: "point-to-point", source: "10.0.0.1", destination: "10.0.0.2",
 *   toolName: "bwctl/iperf3", measurementAgent: "10.0.0.1",
 *   inputSource: "a.example.net", inputDestination: "b.example.net", timeDuration: 20,
 * });
 * post.addEventType("throughput");
 * post.addSummaryType("throughput", "average", 86400);
 * // const md = await post.postMetadata(); md.metadataKey;
 * ```
 */
export class MetadataPost extends Poster {
  readonly #fields: Record<string, string | number>;
  readonly #freeform = new Map<string, string | number>();
  readonly #eventTypes = new Map<string, Map<string, number[]>>();

  /** Creates the post; fields are checked when posting. */
  constructor(options: MetadataPostOptions) {
    super(options);
    this.#fields = subjectBody(options);
    if (options.timeDuration !== undefined && options.timeDuration !== "") {
      this.addFreeformKeyValue("time-duration", options.timeDuration);
    }
    if (options.ipTransportProtocol) {
      this.addFreeformKeyValue("ip-transport-protocol", options.ipTransportProtocol);
    }
    const freeform = options.freeform ?? [];
    for (const [k, v] of Array.isArray(freeform) ? freeform : Object.entries(freeform)) {
      this.addFreeformKeyValue(k, v);
    }
  }

  /** Registers an event type (a repeated name is ignored). */
  addEventType(name: string): this {
    checkEventType(name);
    if (!this.#eventTypes.has(name)) this.#eventTypes.set(name, new Map());
    return this;
  }

  /**
   * Registers summaries of `summaryType` with the given window(s) in seconds for `eventType`,
   * replacing earlier windows of that type, and registers the event type if needed.
   */
  addSummaryType(
    eventType: string,
    summaryType: string,
    windows: number | string | readonly (number | string)[],
  ): this {
    checkEventType(eventType);
    if (!allowsSummary(eventType, summaryType as SummaryType)) {
      throw new ArchiveValidationError(
        "summary-type",
        `${JSON.stringify(summaryType)} is not allowed for event type ${eventType}`,
      );
    }
    const list = (Array.isArray(windows) ? windows : [windows]).map((w) => {
      const n = typeof w === "string" && /^\s*\d+\s*$/.test(w) ? Number(w) : w;
      if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
        throw new ArchiveValidationError("summary-window", `must be whole seconds, got ${w}`);
      }
      return n;
    });
    this.addEventType(eventType);
    this.#eventTypes.get(eventType)!.set(summaryType, list);
    return this;
  }

  /** Sets a free-form parameter (the archive stores it as a string). */
  addFreeformKeyValue(key: string, value: string | number): this {
    if (!key || SUBJECT_KEYS.has(key)) {
      throw new ArchiveValidationError(key || "key", "cannot be used as a free-form parameter");
    }
    if (value === null || value === undefined) {
      throw new ArchiveValidationError(key, "free-form value is missing");
    }
    this.#freeform.set(key, value);
    return this;
  }

  /** The JSON body `postMetadata()` sends. Throws if a required field is missing. */
  payload(): Record<string, unknown> {
    const f = this.#fields;
    const subject = f["subject-type"];
    if (subject !== "point-to-point" && subject !== "network-element") {
      throw new ArchiveValidationError(
        "subject-type",
        `must be point-to-point or network-element, got ${JSON.stringify(subject)}`,
      );
    }
    const required = subject === "point-to-point" ? SUBJECT_FIELDS : NETWORK_ELEMENT_FIELDS;
    const body: Record<string, unknown> = { "subject-type": subject };
    for (const k of required) {
      if (f[k] === undefined || f[k] === "") throw new ArchiveValidationError(k, "is required");
      body[k] = f[k];
    }
    for (const [k, v] of this.#freeform) body[k] = v;
    if (this.#eventTypes.size === 0) {
      throw new ArchiveValidationError("event-types", "add at least one event type");
    }
    body["event-types"] = [...this.#eventTypes].map(([name, summaries]) => ({
      "event-type": name,
      "summaries": [...summaries].flatMap(([type, windows]) =>
        windows.map((w) => ({ "summary-type": type, "summary-window": w }))
      ),
    }));
    return body;
  }

  /** Posts the metadata; returns the archive's (new or existing) metadata with its key. */
  async postMetadata(): Promise<Metadata> {
    const body = JSON.stringify(this.payload());
    const res = await this.source.http.request({
      method: "POST",
      url: this.source.rootUrl,
      body,
      expect: [200, 201],
      idempotent: true,
    });
    const raw = parseJsonResponse(res, JSON.parse);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw) || !raw["metadata-key"]) {
      throw new ArchiveHttpError({
        status: res.status,
        url: res.url,
        method: "POST",
        body: res.text,
        reason: "the archive did not return a metadata object with a metadata-key",
      });
    }
    return new Metadata(this.source, new ApiFilters(), raw);
  }
}
