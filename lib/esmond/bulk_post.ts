/**
 * Writing the points of several event types in bulk (`PUT …/<key>/`), in chunks if asked.
 *
 * @module
 */
import { ArchiveValidationError } from "./errors.ts";
import type { ClientOptions } from "./options.ts";
import { stringifyPyJson } from "./py_json/parse.ts";
import { validateTimestamp, validateValue } from "./validate.ts";
import { checkEventType, checkKey, Poster } from "./poster.ts";

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
