/**
 * What the post classes share: the connection they own and the checks of a metadata key and
 * an event-type name.
 *
 * @module
 */
import { ArchiveValidationError } from "./errors.ts";
import { eventTypeInfo } from "./event_types.ts";
import { EsmondSource } from "./esmond_source.ts";
import type { ClientOptions } from "./options.ts";

/**
 * Base of the three post classes: owns the HTTP connection.
 *
 * @example
 * ```ts
 * import type { Poster } from "./poster.ts";
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

/**
 * Returns `key` if it can be a metadata key (word characters and `-`), else throws.
 *
 * @example
 * ```ts
 * import { checkKey } from "./poster.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkKey("abc-123"), "abc-123");
 * ```
 */
export function checkKey(key: string): string {
  if (typeof key !== "string" || !/^[\w-]+$/.test(key)) {
    throw new ArchiveValidationError(
      "metadataKey",
      `not a valid metadata key: ${JSON.stringify(key)}`,
    );
  }
  return key;
}

/**
 * Returns `name` if it is a known event type, else throws.
 *
 * @example
 * ```ts
 * import { checkEventType } from "./poster.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkEventType("throughput"), "throughput");
 * ```
 */
export function checkEventType(name: string): string {
  if (!eventTypeInfo(name)) {
    throw new ArchiveValidationError("event-type", `unknown event type ${JSON.stringify(name)}`);
  }
  return name;
}
