/**
 * `esmond-ps-get-bulk` file names: `<source>_<dest>_<event type>_<start>_<end>.<csv|json>`,
 * with the query window's UTC days (not the data's). When a second series of one run maps to a
 * name already taken (two tools between the same hosts both have `failures`, say), its file gets
 * its metadata key before the extension: `…_<start>_<end>_<metadata key>.<csv|json>`.
 *
 * @module
 */
import { formatDay } from "./timestamp.ts";
import { fileNamePart } from "../../lib/log/mod.ts";

/** The parts of a bulk file name. */
export interface BulkFileNameParts {
  /** Source (host name unless `--ip`); null prints `None` as the original would. */
  readonly source: string | null;
  /** Destination, likewise. */
  readonly destination: string | null;
  /** Event type. */
  readonly eventType: string;
  /** Query window start. */
  readonly start: Date;
  /** Query window end. */
  readonly end: Date;
  /** `csv` or `json`. */
  readonly format: "csv" | "json";
  /** Told apart from an earlier series of the same name by this (its metadata key). */
  readonly suffix?: string;
}

/**
 * The file name (no directory). A `/` in a host name or event type would leave the output
 * directory and a control character would reach terminals and shells, so each becomes `_`.
 *
 * @example
 * ```ts
 * import { bulkFileName } from "./file_names.ts";
 * import assert from "node:assert/strict";
 * const name = bulkFileName({
 *   source: "a.es.net", destination: "b.es.net", eventType: "failures",
 *   start: new Date("2015-03-15T00:00:00Z"), end: new Date("2015-04-02T10:00:00Z"), format: "csv",
 * });
 * assert.equal(name, "a.es.net_b.es.net_failures_2015-03-15_2015-04-02.csv");
 * const second = bulkFileName({
 *   source: "a.es.net", destination: "b.es.net", eventType: "failures",
 *   start: new Date("2015-03-15T00:00:00Z"), end: new Date("2015-04-02T10:00:00Z"), format: "csv",
 *   suffix: "0CB19291FB6D40EAA1955376772BF5D2",
 * });
 * assert.equal(
 *   second,
 *   "a.es.net_b.es.net_failures_2015-03-15_2015-04-02_0CB19291FB6D40EAA1955376772BF5D2.csv",
 * );
 * ```
 */
export function bulkFileName(parts: BulkFileNameParts): string {
  const safe = (text: string | null) => fileNamePart(text ?? "None");
  return `${safe(parts.source)}_${safe(parts.destination)}_${safe(parts.eventType)}_` +
    `${formatDay(parts.start)}_${formatDay(parts.end)}` +
    `${parts.suffix === undefined ? "" : `_${safe(parts.suffix)}`}.${parts.format}`;
}
