/**
 * Maps one `iperf3 -J` result to the metadata and event values the archive stores
 * (spec `esmond-clients.md` §8.2, with the decisions for UDP, reverse mode, omitted
 * intervals and per-stream subinterval lists).
 *
 * @module
 */
import { eventTypeInfo } from "../../lib/esmond/event_types.ts";
import type { EventValue, PipeMetadata, PipePayload } from "./types.ts";

/** What the caller knows besides the JSON. */
export interface Iperf3Context {
  /** Stored `tool-name`. */
  readonly toolName: string;
  /** Stored `input-source`. */
  readonly inputSource: string;
  /** Stored `input-destination`. */
  readonly inputDestination: string;
  /** Stored `measurement-agent`. */
  readonly measurementAgent: string;
  /** UNIX seconds to store a failure at when the JSON carries no timestamp. */
  readonly fallbackTs: number;
}

/** Thrown when the JSON is not an iperf3 result that can be stored. */
export class Iperf3FormatError extends Error {
  /** Creates the error; `message` names the missing or wrong field. */
  constructor(message: string) {
    super(message);
    this.name = "Iperf3FormatError";
  }
}

/** A parsed JSON object (an iperf3 result or part of one). */
export type JsonObject = Record<string, unknown>;
type Json = JsonObject;

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Json
    : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** `null` where the field is missing, as §8.2's literal reading gives. */
function orNull(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** The order of §8.2's metadata event-type list. */
const DECLARE_ORDER = [
  "throughput",
  "throughput-subintervals",
  "packet-retransmits-subintervals",
  "streams-packet-retransmits",
  "streams-packet-retransmits-subintervals",
  "streams-throughput",
  "streams-throughput-subintervals",
  "packet-retransmits",
  "packet-count-lost",
  "packet-count-sent",
  "packet-loss-rate",
] as const;

/** The order of §8.2's bulk PUT. */
const PUT_ORDER = [
  "throughput",
  "throughput-subintervals",
  "packet-count-lost",
  "packet-count-sent",
  "packet-loss-rate",
  "packet-retransmits",
  "packet-retransmits-subintervals",
  "streams-packet-retransmits",
  "streams-packet-retransmits-subintervals",
  "streams-throughput",
  "streams-throughput-subintervals",
] as const;

/** The intervals that count: iperf3 marks the `--omit` warm-up ones `omitted: true`. */
function measuredIntervals(result: Json): Json[] {
  return arr(result.intervals).map(obj).filter((i): i is Json => {
    const sum = obj(i?.sum);
    return i !== undefined && sum !== undefined && sum.omitted !== true;
  });
}

/** Per-stream lists, stream-major with `val` items, the shape readers expect. */
function perStream(intervals: Json[], field: string): unknown[][] {
  const streams: unknown[][] = [];
  for (const interval of intervals) {
    arr(interval.streams).forEach((entry, index) => {
      const stream = obj(entry) ?? {};
      (streams[index] ??= []).push({
        start: orNull(stream.start),
        duration: orNull(stream.seconds),
        val: orNull(stream[field]),
      });
    });
  }
  return streams;
}

function buildValues(result: Json, udp: boolean): Map<string, unknown> {
  const start = obj(result.start) ?? {};
  const end = obj(result.end) ?? {};
  const testStart = obj(start.test_start) ?? {};
  const intervals = measuredIntervals(result);
  const sums = intervals.map((i) => obj(i.sum) ?? {});
  const values = new Map<string, unknown>();
  const set = (name: string, val: unknown) => {
    if (val === undefined) return;
    // Integer-typed series store int(value) (spec §4.1); sending the integer keeps the request
    // valid for strict validators and stores exactly the same number.
    const integer = eventTypeInfo(name)?.dataType === "integer" && typeof val === "number";
    values.set(name, integer ? Math.trunc(val) : val);
  };

  const throughput = udp
    ? num(obj(end.sum)?.bits_per_second)
    : num(obj(end.sum_received)?.bits_per_second);
  set("throughput", throughput);
  const subinterval = (field: string) =>
    sums.length === 0 ? undefined : sums.map((s) => ({
      start: orNull(s.start),
      duration: orNull(s.seconds),
      val: orNull(s[field]),
    }));
  set("throughput-subintervals", subinterval("bits_per_second"));

  if (udp) {
    const lost = num(obj(end.sum)?.lost_packets);
    const sent = num(obj(end.sum)?.packets);
    set("packet-count-lost", lost);
    set("packet-count-sent", sent);
    // The archive refuses a whole PUT holding a zero denominator.
    if (lost !== undefined && sent !== undefined && sent > 0) {
      set("packet-loss-rate", { numerator: lost, denominator: sent });
    }
  } else {
    set("packet-retransmits", num(obj(end.sum_sent)?.retransmits));
    set("packet-retransmits-subintervals", subinterval("retransmits"));
  }

  const streamCount = num(testStart.num_streams) ?? 1;
  if (streamCount > 1) {
    const endStreams = arr(end.streams).map((s) => obj(s) ?? {});
    if (!udp) {
      set("streams-packet-retransmits", endStreams.map((s) => orNull(obj(s.sender)?.retransmits)));
      if (intervals.length > 0) {
        set("streams-packet-retransmits-subintervals", perStream(intervals, "retransmits"));
      }
    }
    set(
      "streams-throughput",
      endStreams.map((s) => orNull(obj(udp ? s.udp : s.receiver)?.bits_per_second)),
    );
    if (intervals.length > 0) {
      set("streams-throughput-subintervals", perStream(intervals, "bits_per_second"));
    }
  }
  return values;
}

/**
 * Builds the payload for a failed measurement: iperf3's `error` text as one `failures` point,
 * under metadata built from what the headers say.
 */
function failurePayload(result: Json, error: string, context: Iperf3Context): PipePayload {
  const start = obj(result.start) ?? {};
  const connected = obj(arr(start.connected)[0]);
  const ts = num(obj(start.timestamp)?.timesecs) ?? context.fallbackTs;
  return {
    metadata: {
      subjectType: "point-to-point",
      source: typeof connected?.local_host === "string"
        ? connected.local_host
        : context.inputSource,
      destination: typeof connected?.remote_host === "string"
        ? connected.remote_host
        : context.inputDestination,
      toolName: context.toolName,
      measurementAgent: context.measurementAgent,
      inputSource: context.inputSource,
      inputDestination: context.inputDestination,
      freeform: {},
    },
    eventTypes: ["failures"],
    ts: Math.floor(ts),
    values: [{ eventType: "failures", val: { error } }],
    failure: error,
  };
}

/**
 * Maps an iperf3 JSON result to what gets stored. A result with an `error` field becomes a
 * `failures` payload; a result missing the fields every measurement has raises
 * {@linkcode Iperf3FormatError}.
 *
 * @example
 * ```ts
 * import { mapIperf3 } from "./iperf3_map.ts";
 * import assert from "node:assert/strict";
 * const payload = mapIperf3({ error: "unable to connect to server", start: { connected: [] } }, {
 *   toolName: "bwctl/iperf3", inputSource: "10.0.0.1", inputDestination: "10.0.0.2",
 *   measurementAgent: "10.0.0.1", fallbackTs: 1700000000,
 * });
 * assert.deepEqual(payload.eventTypes, ["failures"]);
 * ```
 */
export function mapIperf3(result: JsonObject, context: Iperf3Context): PipePayload {
  if (typeof result.error === "string" && result.error !== "") {
    return failurePayload(result, result.error, context);
  }
  const start = obj(result.start);
  if (start === undefined) throw new Iperf3FormatError("iperf3 JSON has no 'start' object");
  const connected = obj(arr(start.connected)[0]);
  const local = connected?.local_host;
  const remote = connected?.remote_host;
  if (typeof local !== "string" || typeof remote !== "string") {
    throw new Iperf3FormatError(
      "iperf3 JSON has no start.connected[0].local_host/remote_host (source/destination)",
    );
  }
  const ts = num(obj(start.timestamp)?.timesecs);
  if (ts === undefined) {
    throw new Iperf3FormatError("iperf3 JSON has no start.timestamp.timesecs");
  }
  const testStart = obj(start.test_start) ?? {};
  const protocol = typeof testStart.protocol === "string"
    ? testStart.protocol.toUpperCase()
    : undefined;
  if (protocol !== undefined && protocol !== "TCP" && protocol !== "UDP") {
    throw new Iperf3FormatError(`unsupported iperf3 protocol ${protocol} (only TCP and UDP)`);
  }
  const udp = protocol === "UDP";
  // With -R the client (which wrote this JSON) received: the remote end sent the data.
  const reverse = Boolean(testStart.reverse);
  const freeform: Record<string, number> = {};
  if (num(testStart.num_streams) !== undefined) {
    freeform["bw-parallel-streams"] = testStart.num_streams as number;
  }
  if (num(testStart.omit) !== undefined) {
    freeform["bw_ignore_first_seconds"] = testStart.omit as number;
  }
  const duration = num(testStart.duration);
  const metadata: PipeMetadata = {
    subjectType: "point-to-point",
    source: reverse ? remote : local,
    destination: reverse ? local : remote,
    toolName: context.toolName,
    measurementAgent: context.measurementAgent,
    inputSource: context.inputSource,
    inputDestination: context.inputDestination,
    ...(duration ? { timeDuration: duration } : {}),
    ...(protocol ? { ipTransportProtocol: protocol } : {}),
    freeform,
  };
  const byName = buildValues(result, udp);
  if (byName.size === 0) {
    throw new Iperf3FormatError("iperf3 JSON holds no result values (no 'end' sums, no intervals)");
  }
  const values: EventValue[] = PUT_ORDER.filter((name) => byName.has(name))
    .map((name) => ({ eventType: name, val: byName.get(name) }));
  return {
    metadata,
    eventTypes: DECLARE_ORDER.filter((name) => byName.has(name)),
    ts: Math.floor(ts),
    values,
  };
}
