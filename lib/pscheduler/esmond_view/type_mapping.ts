/**
 * What the esmond archiver knows about one test type: its event types, the spec fields copied
 * into the metadata, the result fields copied into the data, and the extra work of either.
 *
 * @module
 */
import type { JsonObject } from "../json_value.ts";
import type { ArchiverRecord } from "./archiver_record.ts";

/** One test type's mapping (pScheduler's `EsmondBaseRecord` subclasses). */
export interface TypeMapping {
  /** The event types registered for a spec. */
  readonly eventTypes: (spec: JsonObject) => string[];
  /** Spec field → metadata key, copied where the spec has the field. */
  readonly fieldMap: Readonly<Record<string, string>>;
  /** Result field → event type, copied where a succeeded result has the field. */
  readonly dataFieldMap?: Readonly<Record<string, string>>;
  /** Metadata beyond `fieldMap`. */
  readonly additionalMetadata?: (record: ArchiverRecord, spec: JsonObject) => void;
  /** Values beyond `dataFieldMap`, for a succeeded result. */
  readonly additionalData?: (record: ArchiverRecord, spec: JsonObject, result: JsonObject) => void;
}
