/**
 * Reads the shared `data/pipe/*.expected.json` files and applies the issue's documented
 * decisions to them (the files follow the spec literally): UDP drops the retransmit event types
 * and takes per-stream rates from `end.streams[i].udp`; `--omit` intervals leave the subinterval
 * lists; per-stream subinterval lists are stream-major with `val` items; integer-typed values
 * are sent as the integers the archive stores (`int()`).
 *
 * @module
 */

import { eventTypeInfo } from "../../lib/esmond/event_types.ts";
import { testDataUrl } from "../harness/test_data.ts";

/** Folder of the real pipe inputs, `testdata/pipe/`. */
export const PIPE_DATA: URL = testDataUrl("pipe");

/** The stored cases of the shared README (must be stored, exit 0). */
export const VALID_CASES = [
  "tcp-1stream",
  "tcp-4streams",
  "tcp-reverse",
  "tcp-omit",
  "udp",
  "udp-2streams",
  "udp-lossy",
  "ipv6-udp",
  "tcp-bwctl-args",
] as const;

/** The malformed cases (rejected, non-zero exit, nothing posted). */
export const MALFORMED_CASES = [
  "malformed-no-verbose",
  "malformed-json-only",
  "malformed-verbose-no-json",
  "malformed-truncated-json",
  "malformed-empty",
  "malformed-unsupported-tool-nuttcp",
  "malformed-unsupported-tool-nuttcp-json",
  "malformed-binary-garbage",
] as const;

type Json = Record<string, unknown>;

/** What the archive must hold after storing one case. */
export interface DecidedExpectation {
  readonly metadata: Json;
  readonly eventTypes: string[];
  readonly ts: number;
  readonly data: { eventType: string; val: unknown }[];
}

const UDP_DROPPED = new Set([
  "packet-retransmits-subintervals",
  "streams-packet-retransmits",
  "streams-packet-retransmits-subintervals",
]);

/** Reads one shared file as text. */
export async function readPipeText(name: string): Promise<string> {
  return await Deno.readTextFile(new URL(name, PIPE_DATA));
}

/** Reads one shared file as bytes. */
export async function readPipeBytes(name: string): Promise<Uint8Array> {
  return await Deno.readFile(new URL(name, PIPE_DATA));
}

/** Reads `<case>.expected.json`. */
export async function readExpected(name: string): Promise<Json> {
  return JSON.parse(await readPipeText(`${name}.expected.json`));
}

function transpose(intervalMajor: Json[][], key: string): Json[][] {
  const streams: Json[][] = [];
  for (const interval of intervalMajor) {
    interval.forEach((item, index) => {
      (streams[index] ??= []).push({ start: item.start, duration: item.duration, val: item[key] });
    });
  }
  return streams;
}

async function omittedIndexes(name: string, metadata: Json): Promise<Set<number>> {
  if (!metadata["bw_ignore_first_seconds"]) return new Set();
  const raw = JSON.parse(await readPipeText(`${name}.iperf3.json`));
  const indexes = new Set<number>();
  (raw.intervals as Json[]).forEach((interval, index) => {
    if ((interval.sum as Json).omitted === true) indexes.add(index);
  });
  return indexes;
}

/**
 * The expectation of one valid case after the issue's decisions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const expected = await decidedExpectation("udp");
 * assert.deepEqual(expected.eventTypes.includes("packet-retransmits-subintervals"), false);
 * ```
 */
export async function decidedExpectation(name: string): Promise<DecidedExpectation> {
  const file = await readExpected(name);
  const metadata = file.metadata as Json;
  const udp = metadata["ip-transport-protocol"] === "UDP";
  const annotations = (file.annotations ?? {}) as Record<string, Json>;
  const omitted = await omittedIndexes(name, metadata);
  const keep = (list: unknown[]) => list.filter((_, index) => !omitted.has(index));
  const eventTypes = (file.metadata_event_types as string[])
    .filter((eventType) => !(udp && UDP_DROPPED.has(eventType)));
  const data = (file.data as Json[])
    .filter((entry) => !(udp && UDP_DROPPED.has(entry["event-type"] as string)))
    .map((entry) => {
      const eventType = entry["event-type"] as string;
      let val = entry.val;
      if (eventType.endsWith("-subintervals")) val = keep(val as unknown[]);
      if (eventType === "streams-throughput-subintervals") {
        val = transpose(val as Json[][], "throughput");
      } else if (eventType === "streams-packet-retransmits-subintervals") {
        val = transpose(val as Json[][], "retransmits");
      } else if (eventType === "streams-throughput" && udp) {
        val = annotations["streams-throughput"].alt_val;
      } else if (eventTypeInfo(eventType)?.dataType === "integer") {
        // The archive stores int(value) for integer types; the pipe sends that integer.
        val = Math.trunc(val as number);
      }
      return { eventType, val };
    });
  return { metadata, eventTypes, ts: file.ts as number, data };
}
