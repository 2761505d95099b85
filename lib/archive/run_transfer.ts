/**
 * Prepared runs and store outcomes in a form that crosses to a worker thread: a structured
 * clone keeps no class, so histogram buckets travel as their entries (validated counts are
 * plain integers), the metadata as the text it was described from, and errors as their kind,
 * status and message.
 *
 * @module
 */
import { PyObject, type PyValue } from "../esmond/py_json/tree.ts";
import { describeMetadata } from "./described_metadata.ts";
import { WriteRejected } from "./points_table.ts";
import type { LogstashRun, PreparedRun, StoredRun } from "./pscheduler_store.ts";
import type { StoredValue } from "./values.ts";
import { ValueError } from "./values.ts";

/** A point value as it crosses: histograms as their entries. */
export type TransferValue =
  | Exclude<StoredValue, { kind: "histogram" }>
  | { readonly kind: "histogram-entries"; readonly entries: [string, PyValue][] };

/** A prepared run as it crosses: its Logstash run, the metadata text and the points. */
export interface TransferRun extends LogstashRun, Pick<PreparedRun, "metadataText"> {
  /** The esmond points. */
  readonly points: readonly {
    readonly eventType: string;
    readonly ts: number;
    readonly value: TransferValue;
  }[];
}

/** A store outcome that failed, as it crosses. */
export interface TransferError {
  /** `rejected` ({@linkcode WriteRejected}), `value` ({@linkcode ValueError}) or `other`. */
  readonly kind: "rejected" | "value" | "other";
  /** The HTTP status of a rejected write. */
  readonly status?: number;
  /** The error's message. */
  readonly message: string;
}

/**
 * The crossing form of a prepared run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromTransfer, toTransfer } from "./run_transfer.ts";
 * import { PyObject, type PyValue } from "../esmond/py_json/tree.ts";
 * const metadataText = JSON.stringify({
 *   "subject-type": "point-to-point", source: "192.0.2.1", destination: "192.0.2.2",
 *   "tool-name": "pscheduler/powstream", "measurement-agent": "192.0.2.1",
 *   "input-source": "a", "input-destination": "b",
 *   "event-types": [{ "event-type": "histogram-ttl" }],
 * });
 * const buckets = new PyObject([["64", 600]]);
 * const moved = structuredClone(toTransfer({
 *   runKey: "k", index: "pscheduler_latency", document: "{}", metadataText,
 *   metadata: {} as never, checksum: "",
 *   points: [{ eventType: "histogram-ttl", ts: 1, value: { kind: "histogram", buckets } }],
 * }));
 * const back = await fromTransfer(moved);
 * const value = back.points[0].value;
 * assert.ok(value.kind === "histogram" && value.buckets.get("64") === 600);
 * assert.ok(back.checksum.length > 0);
 * ```
 */
export function toTransfer(run: PreparedRun): TransferRun {
  return {
    runKey: run.runKey,
    index: run.index,
    document: run.document,
    metadataText: run.metadataText,
    points: run.points.map((p) =>
      p.value.kind === "histogram"
        ? {
          eventType: p.eventType,
          ts: p.ts,
          value: { kind: "histogram-entries", entries: p.value.buckets.entries },
        }
        : p as TransferRun["points"][number]
    ),
  };
}

/** The prepared run again, on the other side (its metadata described there). */
export async function fromTransfer(run: TransferRun): Promise<PreparedRun> {
  const { metadata, checksum } = await describeMetadata(run.metadataText);
  return {
    runKey: run.runKey,
    index: run.index,
    document: run.document,
    metadataText: run.metadataText,
    metadata,
    checksum,
    points: run.points.map((p) => {
      if (p.value.kind !== "histogram-entries") return p as PreparedRun["points"][number];
      const buckets = new PyObject(p.value.entries);
      return { eventType: p.eventType, ts: p.ts, value: { kind: "histogram", buckets } };
    }),
  };
}

/**
 * The crossing form of a store outcome.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorFromTransfer, outcomeToTransfer } from "./run_transfer.ts";
 * import { WriteRejected } from "./points_table.ts";
 * const moved = outcomeToTransfer(new WriteRejected(409, "exists"));
 * const back = errorFromTransfer(moved as { kind: "rejected"; message: string; status: number });
 * assert.ok(back instanceof WriteRejected && back.status === 409);
 * ```
 */
export function outcomeToTransfer(
  outcome: StoredRun[] | unknown,
): StoredRun[] | TransferError {
  if (Array.isArray(outcome)) return outcome;
  if (outcome instanceof WriteRejected) {
    return { kind: "rejected", status: outcome.status, message: outcome.message };
  }
  if (outcome instanceof ValueError) return { kind: "value", message: outcome.message };
  return { kind: "other", message: outcome instanceof Error ? outcome.message : String(outcome) };
}

/** The error again, on the other side. */
export function errorFromTransfer(error: TransferError): Error {
  if (error.kind === "rejected") return new WriteRejected(error.status ?? 400, error.message);
  if (error.kind === "value") return new ValueError(error.message);
  return new Error(error.message);
}
