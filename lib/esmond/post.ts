/**
 * The post side: create (or find) a metadata, write points one by one or in bulk. Values are
 * validated before anything is sent; data writes are never blindly retried.
 *
 * @module
 */
import { ArchiveHttpError, ArchiveValidationError } from "./errors.ts";
import { allowsSummary, eventTypeInfo, type SummaryType } from "./event_types.ts";
import { EsmondSource, parseJsonResponse } from "./esmond_source.ts";
import { ApiFilters } from "./filters.ts";
import { CORE_METADATA_KEYS, Metadata } from "./metadata.ts";
import { NETWORK_ELEMENT_FIELDS, SUBJECT_FIELDS } from "./subject.ts";
import type { ClientOptions } from "./options.ts";
import { stringifyPyJson } from "./py_json.ts";
import { validateTimestamp, validateValue } from "./validate.ts";

const SUBJECT_KEYS: ReadonlySet<string> = CORE_METADATA_KEYS;

/**
 * Base of the three post classes: owns the HTTP connection.
 *
 * @example
 * ```ts
 * import type { Poster } from "./post.ts";
 * function release(p: Poster): void {
 *   p.close();
 * }
 * ```
 */
export class Poster implements Disposable {
  /** The connection the post uses (also behind the returned `Metadata`). */
  protected readonly source: EsmondSource;

  /** Opens the connection settings (no request is made). */
  constructor(options: ClientOptions) {
    this.source = new EsmondSource(options);
  }

  /** Releases the connection. */
  close(): void {
    this.source.close();
  }

  /** Same as `close()`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function checkKey(key: string): string {
  if (typeof key !== "string" || !/^[\w-]+$/.test(key)) {
    throw new ArchiveValidationError(
      "metadataKey",
      `not a valid metadata key: ${JSON.stringify(key)}`,
    );
  }
  return key;
}

function checkEventType(name: string): string {
  if (!eventTypeInfo(name)) {
    throw new ArchiveValidationError("event-type", `unknown event type ${JSON.stringify(name)}`);
  }
  return name;
}

/** Options of {@linkcode MetadataPost}. */
export interface MetadataPostOptions extends ClientOptions {
  /** `point-to-point` or `network-element`. */
  readonly subjectType: string;
  /** Source address. */
  readonly source: string;
  /** Destination address (required for point-to-point). */
  readonly destination?: string;
  /** Tool name, e.g. `bwctl/iperf3`, `gridftp`. */
  readonly toolName: string;
  /** Measurement agent address. */
  readonly measurementAgent: string;
  /** What the tool was given as source. */
  readonly inputSource: string;
  /** What the tool was given as destination (required for point-to-point). */
  readonly inputDestination?: string;
  /** Free-form `time-duration` (dropped when empty). */
  readonly timeDuration?: number | string;
  /** Free-form `ip-transport-protocol` (dropped when empty). */
  readonly ipTransportProtocol?: string;
  /** Further free-form parameters, in order. */
  readonly freeform?: Record<string, string | number>;
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
    this.#fields = {
      "subject-type": options.subjectType,
      "source": options.source,
      "destination": options.destination ?? "",
      "tool-name": options.toolName,
      "measurement-agent": options.measurementAgent,
      "input-source": options.inputSource,
      "input-destination": options.inputDestination ?? "",
    };
    if (options.timeDuration !== undefined && options.timeDuration !== "") {
      this.addFreeformKeyValue("time-duration", options.timeDuration);
    }
    if (options.ipTransportProtocol) {
      this.addFreeformKeyValue("ip-transport-protocol", options.ipTransportProtocol);
    }
    for (const [k, v] of Object.entries(options.freeform ?? {})) this.addFreeformKeyValue(k, v);
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

/** What to do with a 409 "value already exists" answer. */
export type DuplicatePolicy = "error" | "skip";

/** Options of {@linkcode EventTypePost}. */
export interface EventTypePostOptions extends ClientOptions {
  /** The metadata to write to. */
  readonly metadataKey: string;
  /** The event type to write. */
  readonly eventType: string;
  /** On 409 (numeric point already stored): throw (default) or count it and go on. */
  readonly onDuplicate?: DuplicatePolicy;
}

/**
 * Writes points of one event type, one POST per point (the archive has no other single-type
 * write). Points are validated when added. A failure stops `postData()`; points already
 * written are removed from the queue, so calling it again resumes.
 *
 * @example
 * ```ts
 * import { EventTypePost } from "./mod.ts";
 * using post = new EventTypePost({
 *   url: "http://127.0.0.1:8000", apiKey: "secret", metadataKey: "abc", eventType: "throughput",
 * });
 * post.addDataPoint(1398965989, 5978580000);
 * // await post.postData();
 * ```
 */
export class EventTypePost extends Poster {
  readonly #key: string;
  readonly #eventType: string;
  readonly #onDuplicate: DuplicatePolicy;
  #points: { ts: number; val: unknown }[] = [];
  /** Points written by `postData()` so far. */
  postedCount = 0;
  /** Points the archive already had (409) when `onDuplicate` is `skip`. */
  duplicateCount = 0;

  /** Creates the post. */
  constructor(options: EventTypePostOptions) {
    super(options);
    this.#key = checkKey(options.metadataKey);
    this.#eventType = checkEventType(options.eventType);
    this.#onDuplicate = options.onDuplicate ?? "error";
  }

  /** Queues one point after validating it. */
  addDataPoint(ts: number | string | Date, val: unknown): this {
    const t = validateTimestamp(ts);
    validateValue(this.#eventType, val);
    this.#points.push({ ts: t, val });
    return this;
  }

  /** Points not yet written. */
  get pending(): number {
    return this.#points.length;
  }

  /** Writes the queued points in order. */
  async postData(): Promise<void> {
    const url = `${this.source.rootUrl}${this.#key}/${this.#eventType}/base`;
    while (this.#points.length > 0) {
      const point = this.#points[0];
      try {
        await this.source.http.request({
          method: "POST",
          url,
          body: stringifyPyJson(point),
          expect: [200, 201],
        });
        this.postedCount++;
      } catch (e) {
        if (!(e instanceof ArchiveHttpError && e.status === 409 && this.#onDuplicate === "skip")) {
          throw e;
        }
        this.duplicateCount++;
      }
      this.#points.shift();
    }
  }
}

/** Options of {@linkcode EventTypeBulkPost}. */
export interface EventTypeBulkPostOptions extends ClientOptions {
  /** The metadata to write to. */
  readonly metadataKey: string;
  /**
   * Split `postData()` into several PUTs of about this many values (whole timestamps are never
   * split), for archives with a request-size limit. Default: everything in one PUT.
   */
  readonly maxValuesPerRequest?: number;
}

/**
 * Writes points of several event types in one `PUT …/<key>/`, grouped by timestamp.
 *
 * @example
 * ```ts
 * import { EventTypeBulkPost } from "./mod.ts";
 * using bulk = new EventTypeBulkPost({ url: "http://127.0.0.1:8000", apiKey: "secret", metadataKey: "abc" });
 * bulk.addDataPoint("throughput", 1397807404, 8446270000);
 * bulk.addDataPoint("packet-retransmits", 1397807404, 112);
 * // await bulk.postData();
 * ```
 */
export class EventTypeBulkPost extends Poster {
  readonly #key: string;
  readonly #maxValues: number;
  #byTs = new Map<number, { "event-type": string; val: unknown }[]>();
  #count = 0;
  /** PUT requests sent by `postData()` so far. */
  requestCount = 0;

  /** Creates the post. */
  constructor(options: EventTypeBulkPostOptions) {
    super(options);
    this.#key = checkKey(options.metadataKey);
    const max = options.maxValuesPerRequest ?? Infinity;
    if (!(max >= 1)) {
      throw new ArchiveValidationError("maxValuesPerRequest", `must be at least 1, got ${max}`);
    }
    this.#maxValues = max;
  }

  /** Queues one value after validating it. */
  addDataPoint(eventType: string, ts: number | string | Date, val: unknown): this {
    checkEventType(eventType);
    const t = validateTimestamp(ts);
    validateValue(eventType, val);
    let list = this.#byTs.get(t);
    if (!list) this.#byTs.set(t, list = []);
    list.push({ "event-type": eventType, val });
    this.#count++;
    return this;
  }

  /** Values not yet written. */
  get pending(): number {
    return this.#count;
  }

  /** The JSON body `postData()` sends. */
  payload(): { data: { ts: number; val: { "event-type": string; val: unknown }[] }[] } {
    return { data: [...this.#byTs].map(([ts, val]) => ({ ts, val })) };
  }

  /**
   * Sends the queued values (one PUT, or chunks of `maxValuesPerRequest`). Values are removed
   * from the queue as their request succeeds, so after a failure `postData()` resumes with the
   * rest. The archive's bulk write is not atomic: a failing request may have stored part of its
   * values (a numeric duplicate, 409, stops the rest of that request).
   */
  async postData(): Promise<void> {
    while (this.#count > 0) {
      const data: { ts: number; val: { "event-type": string; val: unknown }[] }[] = [];
      let values = 0;
      for (const [ts, val] of this.#byTs) {
        if (values > 0 && values + val.length > this.#maxValues) break;
        data.push({ ts, val });
        values += val.length;
      }
      await this.source.http.request({
        method: "PUT",
        url: `${this.source.rootUrl}${this.#key}/`,
        body: stringifyPyJson({ data }),
        expect: [200, 201],
      });
      this.requestCount++;
      for (const { ts } of data) this.#byTs.delete(ts);
      this.#count -= values;
    }
  }
}
