/**
 * What one log line becomes: a transfer to post (metadata + data values) or a skip with its
 * reason. Shared by the netlogger and JSON mappings and the archive writer.
 *
 * @module
 */
import { type MeasurementSubject, subjectBody } from "../../lib/esmond/subject.ts";

/**
 * The metadata of one transfer: the measurement subject (`point-to-point`, tool `gridftp`, the
 * server as measurement agent), its event types and free-form keys.
 */
export interface TransferMetadata extends MeasurementSubject {
  /** Receiving end (an address). */
  readonly destination: string;
  /** Receiving end as the log named it. */
  readonly inputDestination: string;
  /** Event types declared, in posting order (no summaries). */
  readonly eventTypes: readonly string[];
  /** Free-form keys in posting order. */
  readonly freeform: readonly (readonly [string, string | number])[];
}

/** One data value of a transfer, all at the transfer's `ts`. */
export interface TransferValue {
  /** Event type the value belongs to (declared in the metadata). */
  readonly eventType: string;
  /** The value as posted. */
  readonly val: unknown;
}

/** A transfer ready for the archive. */
export interface TransferPost {
  /** `post`. */
  readonly action: "post";
  /** The metadata to create or find. */
  readonly metadata: TransferMetadata;
  /** Transfer start, whole epoch seconds. */
  readonly ts: number;
  /** Values to store at `ts`, in order. */
  readonly values: readonly TransferValue[];
}

/** A line that yields nothing to post. */
export interface TransferSkip {
  /** `skip`. */
  readonly action: "skip";
  /** Short class of the reason, used for the end-of-run counts. */
  readonly kind: string;
  /** The reason, for the log line. */
  readonly why: string;
}

/** Outcome of mapping one line. */
export type TransferOutcome = TransferPost | TransferSkip;

/**
 * A skip outcome.
 *
 * @example
 * ```ts
 * import { skip } from "./transfer.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(skip("listing", "TYPE MLSD is not RETR/STOR"), {
 *   action: "skip",
 *   kind: "listing",
 *   why: "TYPE MLSD is not RETR/STOR",
 * });
 * ```
 */
export function skip(kind: string, why: string): TransferSkip {
  return { action: "skip", kind, why };
}

/**
 * The metadata POST body, keys in the order the original sends them.
 *
 * @example
 * ```ts
 * import { metadataBody } from "./transfer.ts";
 * import assert from "node:assert/strict";
 * const body = metadataBody({
 *   subjectType: "point-to-point", source: "10.0.0.1", destination: "10.0.0.2",
 *   toolName: "gridftp", measurementAgent: "10.0.0.1", inputSource: "a", inputDestination: "b",
 *   eventTypes: ["throughput"], freeform: [["bw-stripes", 1]],
 * });
 * assert.deepEqual(body["bw-stripes"], 1);
 * ```
 */
export function metadataBody(metadata: TransferMetadata): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...subjectBody(metadata),
    "event-types": metadata.eventTypes.map((name) => ({ "event-type": name, "summaries": [] })),
  };
  for (const [key, value] of metadata.freeform) body[key] = value;
  return body;
}

/** Which sensitive fields go into the metadata (`-F`, `-N`, `-V`). */
export interface SensitiveFields {
  /** `-F`: `gridftp-file`. */
  readonly file?: boolean;
  /** `-N`: `gridftp-user`. */
  readonly user?: boolean;
  /** `-V`: `gridftp-volume`. */
  readonly volume?: boolean;
}

/** The endpoints of a transfer before the RETR/STOR rule is applied. */
export interface Endpoints {
  /** `RETR` (server sends) or `STOR` (server receives). */
  readonly type: "RETR" | "STOR";
  /** The server as the log names it. */
  readonly host: string;
  /** The server's address. */
  readonly hostAddress: string;
  /** The remote end. */
  readonly dest: string;
}

/**
 * The subject fields of the metadata from the direction rule: RETR sends from the server to
 * DEST, STOR receives from DEST; the server is always the measurement agent.
 *
 * @example
 * ```ts
 * import { subjectFields } from "./transfer.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   subjectFields({ type: "STOR", host: "localhost", hostAddress: "127.0.0.1", dest: "10.0.0.9" }).source,
 *   "10.0.0.9",
 * );
 * ```
 */
export function subjectFields(
  endpoints: Endpoints,
): Omit<TransferMetadata, "eventTypes" | "freeform"> {
  const { type, host, hostAddress, dest } = endpoints;
  const retr = type === "RETR";
  return {
    subjectType: "point-to-point",
    source: retr ? hostAddress : dest,
    destination: retr ? dest : hostAddress,
    toolName: "gridftp",
    measurementAgent: hostAddress,
    inputSource: retr ? host : dest,
    inputDestination: retr ? dest : host,
  };
}
