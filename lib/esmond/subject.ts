/**
 * The measurement subject of an esmond metadata: the one list of its field names (used by the
 * client, the archive's search, the query tools' filters and rows) and the one type writers
 * build ({@linkcode MeasurementSubject}, accepted as is by `MetadataPost`).
 *
 * @module
 */

/**
 * The six subject fields of a point-to-point metadata, in the order esmond emits them.
 *
 * @example
 * ```ts
 * import { SUBJECT_FIELDS } from "./subject.ts";
 * import assert from "node:assert/strict";
 * assert.ok(SUBJECT_FIELDS.includes("tool-name"));
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
 * import assert from "node:assert/strict";
 * assert.equal(NETWORK_ELEMENT_FIELDS.length, 4);
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
 * import assert from "node:assert/strict";
 * assert.ok(STRUCTURAL_METADATA_KEYS.includes("event-types"));
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

/** What was measured: the subject of one metadata, as writers build it. */
export interface MeasurementSubject {
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
}

/** The property of {@linkcode MeasurementSubject} that holds a subject field. */
export type SubjectProperty = Exclude<keyof MeasurementSubject, "subjectType">;

/**
 * The {@linkcode MeasurementSubject} property of each subject field.
 *
 * @example
 * ```ts
 * import { SUBJECT_PROPERTY } from "./subject.ts";
 * import assert from "node:assert/strict";
 * assert.equal(SUBJECT_PROPERTY["measurement-agent"], "measurementAgent");
 * ```
 */
export const SUBJECT_PROPERTY: Readonly<Record<SubjectField, SubjectProperty>> = Object.freeze({
  "source": "source",
  "destination": "destination",
  "measurement-agent": "measurementAgent",
  "tool-name": "toolName",
  "input-source": "inputSource",
  "input-destination": "inputDestination",
});

/**
 * The subject fields that hold addresses (searched by address, shown as host names).
 *
 * @example
 * ```ts
 * import { ADDRESS_FIELDS } from "./subject.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(ADDRESS_FIELDS, ["source", "destination", "measurement-agent"]);
 * ```
 */
export const ADDRESS_FIELDS: readonly SubjectField[] = Object.freeze([
  "source",
  "destination",
  "measurement-agent",
]);

/** The order in which the original clients write the subject into a metadata POST body. */
const POST_ORDER: readonly SubjectField[] = [
  "source",
  "destination",
  "tool-name",
  "measurement-agent",
  "input-source",
  "input-destination",
];

/**
 * The subject as the first keys of a metadata POST body, in the original clients' order;
 * a missing destination is sent empty.
 *
 * @example
 * ```ts
 * import { subjectBody } from "./subject.ts";
 * import assert from "node:assert/strict";
 * const body = subjectBody({
 *   subjectType: "point-to-point", source: "10.0.0.1", destination: "10.0.0.2",
 *   toolName: "gridftp", measurementAgent: "10.0.0.1", inputSource: "a", inputDestination: "b",
 * });
 * assert.deepEqual(Object.keys(body), [
 *   "subject-type", "source", "destination", "tool-name", "measurement-agent", "input-source",
 *   "input-destination",
 * ]);
 * ```
 */
export function subjectBody(subject: MeasurementSubject): Record<string, string> {
  const body: Record<string, string> = { "subject-type": subject.subjectType };
  for (const field of POST_ORDER) body[field] = subject[SUBJECT_PROPERTY[field]] ?? "";
  return body;
}
