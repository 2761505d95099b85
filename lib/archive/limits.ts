/**
 * Size limits on what one request may store: keys per metadata, key and value length,
 * event types per metadata. Defaults are generous for real perfSONAR metadata (about 20 keys,
 * a handful of event types) and stop a single POST from growing every listing by megabytes.
 *
 * @module
 */

/** Limits on one metadata (every field optional; defaults in {@linkcode DEFAULT_LIMITS}). */
export interface MetadataLimits {
  /** Most keys (subject fields and parameters) in one metadata. */
  readonly maxKeys?: number;
  /** Longest key, in characters. */
  readonly maxKeyLength?: number;
  /** Longest value, in characters. */
  readonly maxValueLength?: number;
  /** Most entries in `event-types` (and most summaries per event type). */
  readonly maxEventTypes?: number;
}

/** The defaults, also named in `docs/security.md` and `esmond-ps-archive --help`. */
export const DEFAULT_LIMITS: Required<MetadataLimits> = {
  maxKeys: 256,
  maxKeyLength: 256,
  maxValueLength: 8192,
  maxEventTypes: 256,
};

/** The option name of each limit on `esmond-ps-archive serve`. */
export const LIMIT_OPTIONS: Readonly<Record<keyof MetadataLimits, string>> = {
  maxKeys: "--max-keys",
  maxKeyLength: "--max-key-length",
  maxValueLength: "--max-value-length",
  maxEventTypes: "--max-event-types",
};

/**
 * `limits` with the defaults filled in.
 *
 * @example
 * ```ts
 * import { resolveLimits } from "./limits.ts";
 * import assert from "node:assert/strict";
 * assert.equal(resolveLimits({ maxKeys: 5 }).maxKeys, 5);
 * assert.equal(resolveLimits().maxKeyLength, 256);
 * ```
 */
export function resolveLimits(limits: MetadataLimits = {}): Required<MetadataLimits> {
  return {
    maxKeys: limits.maxKeys ?? DEFAULT_LIMITS.maxKeys,
    maxKeyLength: limits.maxKeyLength ?? DEFAULT_LIMITS.maxKeyLength,
    maxValueLength: limits.maxValueLength ?? DEFAULT_LIMITS.maxValueLength,
    maxEventTypes: limits.maxEventTypes ?? DEFAULT_LIMITS.maxEventTypes,
  };
}

/**
 * The message of a refusal: which limit, its value, and the option that raises it.
 *
 * @example
 * ```ts
 * import { limitMessage } from "./limits.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   limitMessage("maxKeys", 256, "300 keys"),
 *   "Metadata exceeds the limit maxKeys=256 (300 keys; raise it with --max-keys)",
 * );
 * ```
 */
export function limitMessage(name: keyof MetadataLimits, limit: number, what: string): string {
  return `Metadata exceeds the limit ${name}=${limit} (${what}; raise it with ${
    LIMIT_OPTIONS[name]
  })`;
}
