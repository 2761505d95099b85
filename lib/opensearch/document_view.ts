/**
 * The esmond view of one stored perfSONAR 5 document: the metadata POST body and the bulk data
 * pScheduler's esmond archiver would have sent for the same run (spec §4.1), derived from the
 * Logstash document (§2.9) instead of the http-archiver body.
 *
 * The OpenSearch store reads every document it serves through this view, so it is synchronous
 * and reads the values straight from the document. The event-type lists and the failure text
 * come from `lib/pscheduler/esmond_view/`, so a test type's event types are written once; the
 * metadata is in the form the esmond API serves (every event type with its `summaries`).
 * Pure: no I/O.
 *
 * @module
 */
import {
  DEFAULT_ESMOND_SUMMARIES,
  mappedEventTypes,
  UNSPECIFIED_FAILURE,
} from "../pscheduler/esmond_view.ts";
import { float, type JsonObject } from "../pscheduler/json_value.ts";
import { specParameters } from "../pscheduler/spec_parameters.ts";

/** A stored Logstash document (`_source`). */
export type PschedulerDocument = Readonly<Record<string, unknown>>;

/** One value of a bulk data item. */
export interface EsmondValue {
  /** Event-type name. */
  readonly "event-type": string;
  /** The value as the esmond archiver would post it. */
  readonly val: unknown;
}

/** The esmond view of one run: metadata POST body and bulk data PUT body. */
export interface EsmondRun {
  /** The metadata POST body (subject, parameters, `event-types` with summaries). */
  readonly metadata: Record<string, unknown>;
  /** The bulk data items (`{"ts", "val": [{"event-type", "val"}]}`). */
  readonly data: readonly { readonly ts: number; readonly val: readonly EsmondValue[] }[];
}

/** Maps a document to its esmond view, or undefined when it has none (no meta, no test). */
export type EsmondView = (document: PschedulerDocument) => EsmondRun | undefined;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The value at a dotted path of a document, or undefined.
 *
 * @example
 * ```ts
 * import { pathValue } from "./document_view.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(pathValue({ a: { b: 3 } }, "a.b"), 3);
 * ```
 */
export function pathValue(document: unknown, path: string): unknown {
  let v: unknown = document;
  for (const part of path.split(".")) {
    if (!isObj(v)) return undefined;
    v = v[part];
  }
  return v;
}

function flatten(prefix: string, value: unknown, out: [string, unknown][]): void {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(`${prefix}-${i}`, v, out));
  else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!k.startsWith("_")) flatten(`${prefix}-${k}`, v, out);
    }
  } else if (value !== null && value !== undefined) out.push([prefix, value]);
}

function decimalsOf(n: number): number {
  const text = String(n);
  if (text.includes("e")) return 0;
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * A histogram's bucket object back from the stored `{values, counts}` form: bucket names get
 * the decimals the most precise bucket has (pScheduler writes them with a fixed number of
 * decimals, so `39.4` next to `39.52` is named `"39.40"`), integers stay integers.
 *
 * @example
 * ```ts
 * import { bucketsOf } from "./document_view.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(bucketsOf({ values: [39.4, 39.52], counts: [1, 2] }), { "39.40": 1, "39.52": 2 });
 * ```
 */
export function bucketsOf(histogram: unknown): Record<string, number> | undefined {
  if (!isObj(histogram)) return undefined;
  const values = histogram.values, counts = histogram.counts;
  if (!Array.isArray(values) || !Array.isArray(counts) || values.length === 0) return undefined;
  const decimals = Math.max(...values.map((v) => decimalsOf(Number(v))));
  const out: Record<string, number> = {};
  values.forEach((v, i) => {
    out[Number(v).toFixed(decimals)] = Number(counts[i]);
  });
  return out;
}

function isoSeconds(text: unknown): number | undefined {
  if (typeof text === "number") return text;
  if (typeof text !== "string") return undefined;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m) return undefined;
  return (Number(m[4] ?? 0) + Number(m[3] ?? 0) * 60) + Number(m[2] ?? 0) * 3600 +
    Number(m[1] ?? 0) * 86400;
}

// One esmond subinterval of a pScheduler interval (`{start, end}`); a migrated document also
// keeps esmond's own `duration` (end − start may differ from it in the last digit).
function subinterval(s: Obj, key: string): Obj | undefined {
  if (typeof s.start !== "number" || typeof s.end !== "number") return undefined;
  if (s[key] === undefined || s[key] === null) return undefined;
  const duration = typeof s.duration === "number" ? s.duration : s.end - s.start;
  return { start: s.start, duration, val: s[key] };
}

function subintervals(intervals: unknown, key: string): Obj[] {
  if (!Array.isArray(intervals)) return [];
  const out: Obj[] = [];
  for (const item of intervals) {
    const s = isObj(item) && isObj(item.summary) ? item.summary : undefined;
    const at = s ? subinterval(s, key) : undefined;
    if (at) out.push(at);
  }
  return out;
}

/**
 * Per-stream subintervals from `intervals[].streams` (one list per `stream-id`, ascending by
 * id), as pScheduler's esmond archiver builds `streams-*-subintervals` (spec §4.1.3).
 */
function streamSubintervals(intervals: unknown, key: string): Obj[][] {
  if (!Array.isArray(intervals)) return [];
  const byId = new Map<number, Obj[]>();
  for (const item of intervals) {
    const streams = isObj(item) && Array.isArray(item.streams) ? item.streams : [];
    for (const stream of streams) {
      if (!isObj(stream) || typeof stream["stream-id"] !== "number") continue;
      if (typeof stream.start !== "number" || typeof stream.end !== "number") continue;
      // A stream with timing but no value still has its (empty) list, as the archiver's.
      const list = byId.get(stream["stream-id"]) ?? [];
      byId.set(stream["stream-id"], list);
      const at = subinterval(stream, key);
      if (at) list.push(at);
    }
  }
  return [...byId].sort((a, b) => a[0] - b[0]).map(([, list]) => list);
}

function traceHops(path: unknown): Obj[] {
  if (!Array.isArray(path)) return [];
  return path.map((hop, i) => {
    const h = isObj(hop) ? hop : {};
    const out: Obj = { ttl: i + 1, query: 1, success: h.error ? 0 : 1 };
    if (h.error !== undefined) out["error-message"] = h.error;
    if (h.ip !== undefined) out.ip = h.ip;
    if (h.hostname !== undefined) out.hostname = h.hostname;
    if (h.as !== undefined) out.as = h.as;
    const rtt = isoSeconds(h.rtt);
    if (rtt !== undefined) out.rtt = rtt * 1000;
    if (h.mtu !== undefined) out.mtu = h.mtu;
    return out;
  });
}

/** Where a numeric event type's value lies in a document, for summaries by aggregation. */
export interface NumericField {
  /** Path of the value (or of the numerator of a ratio). */
  readonly value: string;
  /** Path of the denominator, for `packet-loss-rate(-bidir)`. */
  readonly denominator?: string;
}

const NUMERIC_FIELDS: Readonly<Record<string, Readonly<Record<string, NumericField>>>> = {
  latency: {
    "packet-count-sent": { value: "result.packets.sent" },
    "packet-count-lost": { value: "result.packets.lost" },
    "packet-duplicates": { value: "result.packets.duplicated" },
    "packet-reorders": { value: "result.packets.reordered" },
    "packet-loss-rate": { value: "result.packets.lost", denominator: "result.packets.sent" },
    "time-error-estimates": { value: "result.max_clock_error" },
  },
  throughput: {
    "throughput": { value: "result.throughput" },
    "packet-retransmits": { value: "result.retransmits" },
    "packet-count-sent": { value: "result.packets_sent" },
    "packet-count-lost": { value: "result.packets_lost" },
    "packet-loss-rate": { value: "result.packets_lost", denominator: "result.packets_sent" },
  },
  trace: { "path-mtu": { value: "result.mtu" } },
  rtt: {
    "packet-count-sent": { value: "result.packets.sent" },
    "packet-count-lost-bidir": { value: "result.packets.lost" },
    "packet-duplicates-bidir": { value: "result.packets.duplicated" },
    "packet-reorders-bidir": { value: "result.packets.reordered" },
    "packet-loss-rate-bidir": { value: "result.packets.lost", denominator: "result.packets.sent" },
  },
};

const NO_FIELDS: Readonly<Record<string, NumericField>> = {};

// The numeric fields of a mapped test type (latencybg is written as latency).
const numericFields = (testType: string) => {
  const type = testType === "latencybg" ? "latency" : testType;
  return Object.hasOwn(NUMERIC_FIELDS, type) ? NUMERIC_FIELDS[type] : NO_FIELDS;
};

function values(type: string, spec: Obj, result: Obj): [string, unknown][] {
  const out: [string, unknown][] = [];
  const put = (name: string, v: unknown) => {
    if (v !== undefined && v !== null) out.push([name, v]);
  };
  // Numeric event types are read where the summaries' aggregations read them.
  const fields = numericFields(type);
  const document = { result };
  const numeric = (name: string) => {
    const field = fields[name];
    const v = pathValue(document, field.value);
    if (field.denominator === undefined) put(name, v);
    else {
      const sent = pathValue(document, field.denominator);
      if (typeof v === "number" && typeof sent === "number" && sent > 0) {
        out.push([name, { numerator: v, denominator: sent }]);
      }
    }
  };
  const packets = isObj(result.packets) ? result.packets : {};
  switch (type) {
    case "latency":
    case "latencybg":
      numeric("packet-count-sent");
      put("histogram-owdelay", bucketsOf(pathValue(result, "latency.histogram")));
      put("histogram-ttl", bucketsOf(pathValue(result, "ttl.histogram")));
      numeric("packet-duplicates");
      numeric("packet-loss-rate");
      numeric("packet-count-lost");
      numeric("packet-reorders");
      numeric("time-error-estimates");
      break;
    case "throughput": {
      const intervals = pathValue(result, "intervals.json");
      numeric("throughput");
      const tput = subintervals(intervals, "throughput-bits");
      if (tput.length) put("throughput-subintervals", tput);
      if (spec.udp) {
        numeric("packet-loss-rate");
        numeric("packet-count-lost");
        numeric("packet-count-sent");
      } else {
        numeric("packet-retransmits");
        const retr = subintervals(intervals, "retransmits");
        if (retr.length) put("packet-retransmits-subintervals", retr);
      }
      const streams = pathValue(result, "streams.json");
      if (Array.isArray(streams) && streams.length) {
        const sorted = [...streams].filter(isObj).sort((a, b) =>
          Number(a["stream-id"]) - Number(b["stream-id"])
        );
        put("streams-throughput", sorted.map((s) => s["throughput-bits"]));
        if (!spec.udp) put("streams-packet-retransmits", sorted.map((s) => s.retransmits));
      }
      const parallel = typeof spec.parallel === "number" && spec.parallel > 1;
      const streamTput = parallel ? streamSubintervals(intervals, "throughput-bits") : [];
      if (streamTput.length) put("streams-throughput-subintervals", streamTput);
      if (parallel && !spec.udp) {
        const streamRetr = streamSubintervals(intervals, "retransmits");
        if (streamRetr.length) put("streams-packet-retransmits-subintervals", streamRetr);
      }
      break;
    }
    case "trace": {
      const paths = result.json;
      if (Array.isArray(paths) && paths.length) {
        put("packet-trace", traceHops(paths[0]));
        if (spec.algorithm === "paris-traceroute") put("packet-trace-multi", paths.map(traceHops));
      }
      numeric("path-mtu");
      break;
    }
    case "rtt": {
      const trips = Array.isArray(packets.json) ? packets.json.filter(isObj) : [];
      const rtt: Record<string, number> = {}, ttl: Record<string, number> = {};
      for (const trip of trips) {
        const s = isoSeconds(trip.rtt);
        if (s !== undefined) {
          const k = (s * 1000).toFixed(2);
          rtt[k] = (rtt[k] ?? 0) + 1;
        }
        if (trip.ttl !== undefined) ttl[String(trip.ttl)] = (ttl[String(trip.ttl)] ?? 0) + 1;
      }
      numeric("packet-count-sent");
      if (Object.keys(rtt).length) put("histogram-rtt", rtt);
      if (Object.keys(ttl).length) put("histogram-ttl-reverse", ttl);
      numeric("packet-duplicates-bidir");
      numeric("packet-loss-rate-bidir");
      numeric("packet-count-lost-bidir");
      numeric("packet-reorders-bidir");
      break;
    }
    default:
      out.push(["pscheduler-raw", result]);
  }
  return out;
}

/**
 * The esmond values of a migrated (or esmond-written) run of a test type pScheduler's esmond
 * archiver does not map: the migration keeps the event types it could not place under
 * `result.json` by name, and a `pscheduler-raw` value as the rest of `result`. Undefined for a
 * document perfSONAR 5 wrote (no `pscheduler.esmond_key`) or one without `result.json`: its
 * whole result is `pscheduler-raw`, as the archiver serves it.
 */
function esmondValues(document: PschedulerDocument, result: Obj): [string, unknown][] | undefined {
  if (typeof pathValue(document, "pscheduler.esmond_key") !== "string") return undefined;
  if (!isObj(result.json)) return undefined;
  const out: [string, unknown][] = [];
  const { json, ...raw } = result;
  if (Object.keys(raw).some((k) => k !== "succeeded" && k !== "error")) {
    out.push(["pscheduler-raw", raw]);
  }
  for (const [name, v] of Object.entries(json as Obj)) {
    if (v !== null && v !== undefined) out.push([name, v]);
  }
  return out;
}

/**
 * The esmond view of a stored document (see the module doc), or undefined for a document
 * without `meta.observer.ip`, `test.type` or `pscheduler.start_time`.
 *
 * @example
 * ```ts
 * import { esmondViewOf } from "./document_view.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * const run = esmondViewOf({
 *   test: { type: "throughput", spec: { source: "10.0.0.1", dest: "10.0.0.2" } },
 *   pscheduler: { tool: "iperf3", start_time: "2026-01-01T00:00:00Z", duration: 10, run_href: "h" },
 *   meta: { observer: { ip: "10.0.0.1" }, source: { ip: "10.0.0.1" }, destination: { ip: "10.0.0.2" } },
 *   result: { succeeded: true, throughput: 5e8, retransmits: 1 },
 * })!;
 * deepStrictEqual(run.data[0].val[0], { "event-type": "throughput", val: 5e8 });
 * ```
 */
export function esmondViewOf(document: PschedulerDocument): EsmondRun | undefined {
  const test = isObj(document.test) ? document.test : undefined;
  const type = typeof test?.type === "string" ? test.type : undefined;
  const spec = isObj(test?.spec) ? test.spec : {};
  const agent = pathValue(document, "meta.observer.ip");
  const start = pathValue(document, "pscheduler.start_time");
  if (!type || typeof agent !== "string" || typeof start !== "string") return undefined;
  const ts = Math.floor(Date.parse(start) / 1000);
  if (!Number.isFinite(ts)) return undefined;
  const mapped = ["latency", "latencybg", "throughput", "trace", "rtt"].includes(type);
  const participants = pathValue(document, "pscheduler.participants");
  const lead = Array.isArray(participants) && typeof participants[0] === "string"
    ? participants[0]
    : agent;
  const source = pathValue(document, "meta.source.ip") ?? agent;
  const metadata: Record<string, unknown> = {
    "subject-type": mapped ? "point-to-point" : "network-element",
    "source": source,
  };
  if (mapped) metadata.destination = pathValue(document, "meta.destination.ip");
  metadata["measurement-agent"] = agent;
  // A run written through the esmond write API keeps the writer's tool name (`bwctl/iperf3`).
  const esmondTool = pathValue(document, "pscheduler.esmond_tool_name");
  metadata["tool-name"] = typeof esmondTool === "string"
    ? esmondTool
    : `pscheduler/${pathValue(document, "pscheduler.tool") ?? "unknown"}`;
  metadata["input-source"] = typeof spec.source === "string" ? spec.source : lead;
  if (mapped) metadata["input-destination"] = spec.dest;
  const duration = pathValue(document, "pscheduler.duration");
  // Seconds as a float, as the esmond archiver posts it (`19.0`; a parsed `_source` says 19).
  if (typeof duration === "number") metadata["time-duration"] = float(duration);
  metadata["pscheduler-test-type"] = type;
  if (mapped) {
    for (const { field: from, parameter: to, alias } of specParameters(type)) {
      if (alias) continue;
      const v = spec[from];
      if (v !== undefined && v !== null && !isObj(v) && !Array.isArray(v)) metadata[to] = v;
    }
    if (type === "throughput") metadata["ip-transport-protocol"] = spec.udp ? "udp" : "tcp";
  } else {
    const flat: [string, unknown][] = [];
    flatten(`pscheduler-${type}`, spec, flat);
    for (const [k, v] of flat) metadata[k] = v;
  }
  const reference: [string, unknown][] = [];
  flatten("pscheduler-reference", document.reference, reference);
  for (const [k, v] of reference) metadata[k] = v;
  const result = isObj(document.result) ? document.result : {};
  const kept = mapped ? undefined : esmondValues(document, result);
  const names = [
    ...(kept?.map(([name]) => name) ?? mappedEventTypes(type, spec as JsonObject) ?? []),
    "pscheduler-run-href",
  ];
  metadata["event-types"] = names.map((name) => ({
    "event-type": name,
    "summaries": (DEFAULT_ESMOND_SUMMARIES[name] ?? []).map((d) => ({
      "summary-type": d["summary-type"],
      "summary-window": d["summary-window"],
    })),
  }));
  const vals: [string, unknown][] = result.succeeded === false
    ? [["failures", { error: result.error ? result.error : UNSPECIFIED_FAILURE }]]
    : kept ?? values(type, spec, result);
  const href = pathValue(document, "pscheduler.run_href");
  if (typeof href === "string") vals.push(["pscheduler-run-href", { href }]);
  return {
    metadata,
    data: [{ ts, val: vals.map(([name, val]) => ({ "event-type": name, val })) }],
  };
}

/**
 * The document field of a numeric event type of a test type (the same one
 * {@linkcode esmondViewOf} reads), or undefined.
 *
 * @example
 * ```ts
 * import { numericFieldOf } from "./document_view.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(numericFieldOf("throughput", "throughput"), { value: "result.throughput" });
 * ```
 */
export function numericFieldOf(testType: string, eventType: string): NumericField | undefined {
  // A test type pScheduler does not map: migrated esmond values are kept by name (esmondValues).
  const fields = numericFields(testType);
  if (fields === NO_FIELDS) return { value: `result.json.${eventType}` };
  return Object.hasOwn(fields, eventType) ? fields[eventType] : undefined;
}
