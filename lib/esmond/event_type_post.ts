/**
 * Writing the points of one event type, one POST per point.
 *
 * @module
 */
import { ArchiveHttpError } from "./errors.ts";
import type { ClientOptions } from "./options.ts";
import { stringifyPyJson } from "./py_json/parse.ts";
import { validateTimestamp, validateValue } from "./validate.ts";
import { checkEventType, checkKey, Poster } from "./poster.ts";

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
