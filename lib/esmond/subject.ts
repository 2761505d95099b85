/**
 * The subject fields of an esmond metadata: the one list the client (and, if it wants, the
 * archive) uses.
 *
 * @module
 */

/**
 * The six subject fields of a point-to-point metadata, in the order esmond emits them.
 *
 * @example
 * ```ts
 * import { SUBJECT_FIELDS } from "./subject.ts";
 * SUBJECT_FIELDS.includes("tool-name"); // true
 * ```
 */
export const SUBJECT_FIELDS = [
  "source",
  "destination",
  "measurement-agent",
  "tool-name",
  "input-source",
  "input-destination",
] as const;

/** One subject field name. */
export type SubjectField = typeof SUBJECT_FIELDS[number];

/**
 * The subject fields a `network-element` metadata carries (no destination).
 *
 * @example
 * ```ts
 * import { NETWORK_ELEMENT_FIELDS } from "./subject.ts";
 * NETWORK_ELEMENT_FIELDS.length; // 4
 * ```
 */
export const NETWORK_ELEMENT_FIELDS: readonly SubjectField[] = SUBJECT_FIELDS.filter(
  (f) => f !== "destination" && f !== "input-destination",
);

/**
 * Keys of a metadata object that are neither subject fields nor free-form parameters.
 *
 * @example
 * ```ts
 * import { STRUCTURAL_METADATA_KEYS } from "./subject.ts";
 * STRUCTURAL_METADATA_KEYS.includes("event-types"); // true
 * ```
 */
export const STRUCTURAL_METADATA_KEYS = [
  "url",
  "metadata-key",
  "subject-type",
  "event-types",
  "uri",
  "metadata-count-total",
  "metadata-previous-page",
  "metadata-next-page",
] as const;
