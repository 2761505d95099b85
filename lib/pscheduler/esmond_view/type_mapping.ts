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
  readonly eventTypes: (spec: JsonObject) => string[];
  readonly fieldMap: Readonly<Record<string, string>>;
  readonly dataFieldMap?: Readonly<Record<string, string>>;
  readonly additionalMetadata?: (record: ArchiverRecord, spec: JsonObject) => void;
  readonly additionalData?: (record: ArchiverRecord, spec: JsonObject, result: JsonObject) => void;
}
