/**
 * Validation of a metadata creation body (spec §6.2) and the deduplication checksum.
 * Pure functions.
 *
 * @module
 */
import { allowsSummary, eventTypeInfo, type SummaryType } from "../esmond/event_types.ts";
import { isPyObject, type PyValue, stringifyPyJsonTree } from "../esmond/py_json/mod.ts";
import { pyInt, ValueError } from "./values.ts";
import { limitMessage, type MetadataLimits, resolveLimits } from "./limits.ts";
import { SUBJECT_FIELDS, type SubjectField } from "../esmond/subject.ts";

export { SUBJECT_FIELDS, type SubjectField };

/** One event-type row to register: `base` or a summary with its window. */
export interface EventTypeSpec {
  /** Event-type name. */
  readonly eventType: string;
  /** `base`, `aggregation`, `average` or `statistics`. */
  readonly summaryType: "base" | SummaryType;
  /** Window in seconds (0 for base). */
  readonly summaryWindow: number;
}

/** A validated metadata description. */
export interface MetadataDescription {
  /** `point-to-point` or `network-element`. */
  readonly subjectType: string;
  /** Subject fields present in the body. */
  readonly subject: Partial<Record<SubjectField, string>>;
  /** Free-form parameters in posted order, values as text. */
  readonly parameters: readonly [string, string][];
  /** Every event-type row, base rows included. */
  readonly eventTypes: readonly EventTypeSpec[];
}

// Python's str() of a JSON scalar, which is what esmond stores for parameters.
function pyStr(value: PyValue): string {
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value;
  return stringifyPyJsonTree(value);
}

function checkLimits(
  entries: readonly [string, PyValue][],
  limits: Required<MetadataLimits>,
): void {
  const keys = entries.filter(([key]) => key !== "subject-type" && key !== "event-types");
  if (keys.length > limits.maxKeys) {
    throw new ValueError(limitMessage("maxKeys", limits.maxKeys, `${keys.length} keys`));
  }
  for (const [key, value] of entries) {
    if (key.length > limits.maxKeyLength) {
      throw new ValueError(
        limitMessage("maxKeyLength", limits.maxKeyLength, `a key of ${key.length} characters`),
      );
    }
    if (key === "event-types") {
      if (Array.isArray(value) && value.length > limits.maxEventTypes) {
        throw new ValueError(
          limitMessage("maxEventTypes", limits.maxEventTypes, `${value.length} event types`),
        );
      }
      for (const item of Array.isArray(value) ? value : []) {
        const summaries = isPyObject(item) ? item.get("summaries") : undefined;
        if (Array.isArray(summaries) && summaries.length > limits.maxEventTypes) {
          throw new ValueError(
            limitMessage("maxEventTypes", limits.maxEventTypes, `${summaries.length} summaries`),
          );
        }
      }
      continue;
    }
    const length = value === null || Array.isArray(value) || isPyObject(value)
      ? 0
      : pyStr(value).length;
    if (length > limits.maxValueLength) {
      throw new ValueError(
        limitMessage("maxValueLength", limits.maxValueLength, `${key} has ${length} characters`),
      );
    }
  }
}

/**
 * Checks a POSTed metadata body and returns the description to store; throws
 * {@linkcode ValueError} with esmond's message when it is not acceptable, or naming the
 * limit of `limits` it exceeds.
 *
 * @example
 * ```ts
 * import { parseMetadataPost } from "./metadata_post.ts";
 * import { ValueError } from "./values.ts";
 * import { parsePyJsonTree } from "../esmond/py_json/mod.ts";
 * import assert from "node:assert/strict";
 * assert.throws(
 *   () => parseMetadataPost(parsePyJsonTree('{"subject-type":"point-to-point","event-types":[]}')),
 *   new ValueError("Missing source field in request"),
 * );
 * ```
 */
export function parseMetadataPost(
  body: PyValue,
  limits: MetadataLimits = {},
): MetadataDescription {
  if (!isPyObject(body)) throw new ValueError("Metadata must be a JSON object");
  checkLimits(body.entries, resolveLimits(limits));
  if (body.has("metadata-key")) throw new ValueError("metadata-key is not allowed to be specified");
  const subjectType = body.get("subject-type");
  if (subjectType === undefined) throw new ValueError("Missing subject-type field in request");
  if (subjectType !== "point-to-point" && subjectType !== "network-element") {
    throw new ValueError(`Invalid subject type ${pyStr(subjectType)}`);
  }
  const eventTypesValue = body.get("event-types");
  if (eventTypesValue === undefined) throw new ValueError("Missing event-types field in request");
  if (!Array.isArray(eventTypesValue)) throw new ValueError("event_types must be a list");

  const subject: Partial<Record<SubjectField, string>> = {};
  const parameters: [string, string][] = [];
  for (const [key, value] of body.entries) {
    if (key === "subject-type" || key === "event-types") continue;
    if ((SUBJECT_FIELDS as readonly string[]).includes(key)) {
      if (typeof value !== "string") throw new ValueError(`Field ${key} must be a string`);
      subject[key as SubjectField] = value;
      continue;
    }
    if (value === null || Array.isArray(value) || isPyObject(value)) {
      throw new ValueError(`Parameter ${key} must be a string or a number`);
    }
    parameters.push([key, pyStr(value)]);
  }
  const required: SubjectField[] = subjectType === "point-to-point"
    ? [...SUBJECT_FIELDS]
    : ["source", "measurement-agent", "tool-name", "input-source"];
  for (const field of required) {
    if (subject[field] === undefined) throw new ValueError(`Missing ${field} field in request`);
  }
  if (subjectType === "network-element") {
    delete subject.destination;
    delete subject["input-destination"];
  }

  const rows = new Map<string, EventTypeSpec>();
  const add = (spec: EventTypeSpec) =>
    rows.set(`${spec.eventType}\u0000${spec.summaryType}\u0000${spec.summaryWindow}`, spec);
  for (const item of eventTypesValue) {
    if (!isPyObject(item) || !item.has("event-type")) throw new ValueError("No event-type defined");
    const name = item.get("event-type");
    if (typeof name !== "string" || eventTypeInfo(name) === undefined) {
      throw new ValueError(`Invalid event-type ${pyStr(name ?? null)}`);
    }
    add({ eventType: name, summaryType: "base", summaryWindow: 0 });
    const summaries = item.get("summaries") ?? [];
    if (!Array.isArray(summaries)) throw new ValueError("summaries must be a list");
    for (const summary of summaries) {
      if (!isPyObject(summary) || !summary.has("summary-type")) {
        throw new ValueError("Summary must contain summary-type");
      }
      const type = summary.get("summary-type");
      if (type === "base") continue;
      if (type !== "aggregation" && type !== "average" && type !== "statistics") {
        throw new ValueError(`Invalid summary type '${pyStr(type ?? null)}'`);
      }
      if (!allowsSummary(name, type)) {
        throw new ValueError(`Summary type ${type} not allowed for event-type ${name}`);
      }
      if (!summary.has("summary-window")) {
        throw new ValueError("Summary must contain summary-window");
      }
      const window = pyInt(summary.get("summary-window"));
      if (window === undefined || window < 0) {
        throw new ValueError("Summary window must be an integer");
      }
      add({ eventType: name, summaryType: type, summaryWindow: window });
    }
  }
  return { subjectType, subject, parameters, eventTypes: [...rows.values()] };
}

/**
 * The deduplication checksum: SHA-256 over the lower-cased subject, sorted parameters and
 * sorted event-type rows, so identical descriptions map to one metadata.
 *
 * @example
 * ```ts
 * import { metadataChecksum } from "./metadata_post.ts";
 * await metadataChecksum({ subjectType: "network-element", subject: {}, parameters: [], eventTypes: [] });
 * ```
 */
export async function metadataChecksum(desc: MetadataDescription): Promise<string> {
  const parts: string[] = [desc.subjectType];
  for (const field of SUBJECT_FIELDS) parts.push(`${field}=${desc.subject[field] ?? ""}`);
  const params = [...desc.parameters].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [k, v] of params) parts.push(`${k}=${v}`);
  const rows = desc.eventTypes.map((e) => `${e.eventType}:${e.summaryType}:${e.summaryWindow}`)
    .sort();
  parts.push(...rows);
  const data = new TextEncoder().encode(JSON.stringify(parts).toLowerCase());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
