/**
 * The esmond view of a run (spec §4.1): the metadata POST body and bulk data PUT body that
 * pScheduler's esmond archiver (`pscheduler-archiver-esmond`, `esmond_util.py`) would send
 * for the same http-archiver body. Pure; names through an injected resolver.
 *
 * @module
 */
import { PyFloat } from "../esmond/py_json/py_float.ts";
import { compressIpv6, ipFamily } from "./ip_text.ts";
import { pythonDurationSeconds } from "./iso_duration.ts";
import { float, getPath, isObject, type JsonObject, numberOf, truthy } from "./json_value.ts";
import type { NameResolver } from "./resolver.ts";
import { directFieldMap } from "./spec_parameters.ts";

/** One summary row as the archiver registers it. */
export interface EsmondSummary {
  /** Window in seconds. */
  readonly "summary-window": number;
  /** Event type it belongs to. */
  readonly "event-type": string;
  /** `aggregation`, `average` or `statistics`. */
  readonly "summary-type": string;
}

/** `data-formatting-policy` of the esmond archiver. */
export type DataFormattingPolicy = "prefer-mapped" | "mapped-and-raw" | "mapped-only" | "raw-only";

/** Options of {@linkcode esmondView} (the archiver's `data`). */
export interface EsmondViewOptions {
  /** Name service for the source/destination/agent addresses. */
  readonly resolver: NameResolver;
  /** `measurement-agent` of the archiver data. */
  readonly measurementAgent?: string;
  /** `summaries` of the archiver data (replaces the defaults). */
  readonly summaries?: readonly EsmondSummary[];
  /** `data-formatting-policy` (default `prefer-mapped`). */
  readonly dataFormattingPolicy?: DataFormattingPolicy;
}

/** One value of a data point. */
export interface EsmondValue {
  /** Event type. */
  readonly "event-type": string;
  /** The value. */
  readonly val: unknown;
}

/** What the archiver would send. */
export interface EsmondView {
  /** Body of `POST archive/`. */
  readonly metadata: JsonObject;
  /** Body of `PUT archive/<key>/`. */
  readonly data: { data: { ts: number; val: EsmondValue[] }[] };
}

/** The body cannot be archived to esmond (the archiver would fail on it). */
export class EsmondViewError extends Error {}

const ONE_DAY = 86400;
const s = (window: number, eventType: string, type: string): EsmondSummary => ({
  "summary-window": window,
  "event-type": eventType,
  "summary-type": type,
});
const agg = (et: string, windows: number[]) => windows.map((w) => s(w, et, "aggregation"));

/** pScheduler's `DEFAULT_SUMMARIES`. */
export const DEFAULT_ESMOND_SUMMARIES: Readonly<Record<string, readonly EsmondSummary[]>> = {
  "throughput": [s(ONE_DAY, "throughput", "average")],
  "packet-loss-rate": agg("packet-loss-rate", [300, 3600, ONE_DAY]),
  "packet-count-sent": agg("packet-count-sent", [300, 3600, ONE_DAY]),
  "packet-count-lost": agg("packet-count-lost", [300, 3600, ONE_DAY]),
  "packet-count-lost-bidir": agg("packet-count-lost-bidir", [300, 3600, ONE_DAY]),
  "histogram-owdelay": [
    s(300, "histogram-owdelay", "aggregation"),
    s(300, "histogram-owdelay", "statistics"),
    s(3600, "histogram-owdelay", "aggregation"),
    s(0, "histogram-owdelay", "statistics"),
    s(3600, "histogram-owdelay", "statistics"),
    s(ONE_DAY, "histogram-owdelay", "aggregation"),
    s(ONE_DAY, "histogram-owdelay", "statistics"),
  ],
  "packet-loss-rate-bidir": agg("packet-loss-rate-bidir", [3600, ONE_DAY]),
  "histogram-rtt": [
    s(0, "histogram-rtt", "statistics"),
    s(3600, "histogram-rtt", "aggregation"),
    s(3600, "histogram-rtt", "statistics"),
    s(ONE_DAY, "histogram-rtt", "aggregation"),
    s(ONE_DAY, "histogram-rtt", "statistics"),
  ],
};

interface V4V6 {
  v4: string | null;
  v6: string | null;
}

// `_get_ip_v4v6`: getaddrinfo, last address per family.
async function v4v6(address: unknown, resolver: NameResolver): Promise<V4V6> {
  if (typeof address !== "string" || address === "") return { v4: null, v6: null };
  const literal = ipFamily(address);
  if (literal === 4) return { v4: address, v6: null };
  if (literal === 6) return { v4: null, v6: compressIpv6(address) };
  const found = await resolver.lookup(address);
  return { v4: found.ipv4.at(-1) ?? null, v6: found.ipv6.at(-1) ?? null };
}

// `ip_normalize_version(src, dest, ip_version)`.
async function normalizeVersion(
  src: unknown,
  dest: unknown,
  ipVersion: unknown,
  resolver: NameResolver,
): Promise<[string | null, string | null]> {
  const a = await v4v6(src, resolver);
  const b = await v4v6(dest, resolver);
  const v = numberOf(ipVersion);
  if (v === 6) return [a.v6, b.v6];
  if (v === 4) return [a.v4, b.v4];
  if (a.v6 && b.v6) return [a.v6, b.v6];
  if (a.v4 && b.v4) return [a.v4, b.v4];
  return [null, null];
}

// Python's `urllib.parse.urlparse(x).hostname`.
function urlHostname(x: unknown): string | null {
  if (typeof x !== "string") return null;
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(x) ?? /^\/\/([^/?#]*)/.exec(x);
  if (!m) return null;
  let netloc = m[1];
  const at = netloc.lastIndexOf("@");
  if (at >= 0) netloc = netloc.slice(at + 1);
  if (netloc.startsWith("[")) {
    const end = netloc.indexOf("]");
    return end > 0 ? netloc.slice(1, end).toLowerCase() : null;
  }
  const host = netloc.split(":")[0].toLowerCase();
  return host === "" ? null : host;
}

// A number is taken as seconds already (a Logstash document's converted spec).
function seconds(value: unknown, what: string): number {
  const n = numberOf(value) ?? pythonDurationSeconds(value);
  if (n === undefined) throw new EsmondViewError(`${what} is not an ISO 8601 duration: ${value}`);
  return n;
}

// Python's "%.2f" (round half to even on the exact binary value).
function fixed2(x: number): string {
  const text = x.toFixed(2);
  const exact = Math.abs(x).toFixed(60);
  const dot = exact.indexOf(".");
  const tail = exact.slice(dot + 3);
  if (/^50*$/.test(tail)) {
    // An exact tie: toFixed rounded away from zero; Python rounds to even.
    const down = (Math.trunc(Math.abs(x) * 100) / 100).toFixed(2);
    const lastDigit = Number(down[down.length - 1]);
    if (lastDigit % 2 === 0) return `${x < 0 ? "-" : ""}${down}`;
  }
  return text;
}

class ArchiverRecord {
  readonly metadata: JsonObject = { "event-types": [] };
  readonly values: EsmondValue[] = [];
  constructor(readonly summaries: Readonly<Record<string, readonly EsmondSummary[]>>) {}

  addEventType(eventType: string, summaries = this.summaries): void {
    const et: JsonObject = { "event-type": eventType };
    if (Object.hasOwn(summaries, eventType)) et.summaries = summaries[eventType];
    (this.metadata["event-types"] as JsonObject[]).push(et);
  }

  add(eventType: string, val: unknown): void {
    this.values.push({ "event-type": eventType, val });
  }

  addIfExists(eventType: string, obj: JsonObject, field: string): void {
    if (Object.hasOwn(obj, field) && obj[field] !== null && obj[field] !== undefined) {
      this.add(eventType, obj[field]);
    }
  }

  addRate(eventType: string, obj: JsonObject, numerator: string, denominator: string): void {
    const n = obj[numerator];
    const d = obj[denominator];
    if (n === undefined || n === null || d === undefined || d === null) return;
    const ni = pyInt(n);
    const di = pyInt(d);
    if (ni === undefined || di === undefined || di === 0) return;
    this.add(eventType, { numerator: n, denominator: d });
  }

  // `parse_metadata_field`: lists as -0, -1…, objects flattened with -, `_` keys skipped.
  flatten(key: string, val: unknown): void {
    if (Array.isArray(val)) {
      val.forEach((v, i) => (this.metadata[`${key}-${i}`] = v));
    } else if (isObject(val)) {
      for (const [k, v] of Object.entries(val)) {
        if (!k.startsWith("_")) this.flatten(`${key}-${k}`, v);
      }
    } else {
      this.metadata[key] = val;
    }
  }
}

function pyInt(value: unknown): number | undefined {
  const n = numberOf(value);
  if (n !== undefined) return Number.isFinite(n) ? Math.trunc(n) : undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) {
    return Number(value.replaceAll("_", ""));
  }
  return undefined;
}

interface TypeMapping {
  readonly eventTypes: (spec: JsonObject) => string[];
  readonly fieldMap: Readonly<Record<string, string>>;
  readonly dataFieldMap?: Readonly<Record<string, string>>;
  readonly additionalMetadata?: (record: ArchiverRecord, spec: JsonObject) => void;
  readonly additionalData?: (record: ArchiverRecord, spec: JsonObject, result: JsonObject) => void;
}

const LATENCY: TypeMapping = {
  eventTypes: () => [
    "failures",
    "packet-count-sent",
    "histogram-owdelay",
    "histogram-ttl",
    "packet-duplicates",
    "packet-loss-rate",
    "packet-count-lost",
    "packet-reorders",
    "time-error-estimates",
  ],
  fieldMap: directFieldMap("latency"),
  dataFieldMap: {
    "histogram-latency": "histogram-owdelay",
    "histogram-ttl": "histogram-ttl",
    "packets-sent": "packet-count-sent",
    "packets-lost": "packet-count-lost",
    "packets-reordered": "packet-reorders",
    "packets-duplicated": "packet-duplicates",
    "max-clock-error": "time-error-estimates",
  },
  additionalData: (rec, _spec, result) =>
    rec.addRate("packet-loss-rate", result, "packets-lost", "packets-sent"),
};

const parallelOf = (spec: JsonObject) => numberOf(spec.parallel) ?? 0;

function throughputData(rec: ArchiverRecord, spec: JsonObject, result: JsonObject): void {
  const udp = truthy(spec.udp, "python");
  const parallel = parallelOf(spec) > 1;
  const summaryBlock = result.summary;
  if (truthy(summaryBlock, "python") && isObject(summaryBlock)) {
    const summary = summaryBlock.summary;
    if (truthy(summary, "python") && isObject(summary)) {
      rec.addIfExists("throughput", summary, "throughput-bits");
      if (udp) {
        rec.addIfExists("packet-count-sent", summary, "sent");
        rec.addIfExists("packet-count-lost", summary, "lost");
        rec.addRate("packet-loss-rate", summary, "lost", "sent");
      } else {
        rec.addIfExists("packet-retransmits", summary, "retransmits");
        rec.addIfExists("packet-rtt", summary, "rtt");
        rec.addIfExists("tcp-windowsize", summary, "tcp-window-size");
      }
    }
    const streams = summaryBlock.streams;
    if (truthy(streams, "python") && Array.isArray(streams) && parallel) {
      const sorted = [...streams].filter(isObject).sort((a, b) =>
        (numberOf(a["stream-id"]) ?? 0) - (numberOf(b["stream-id"]) ?? 0)
      );
      const pick = (k: string) => sorted.filter((st) => truthy(st[k], "python")).map((st) => st[k]);
      rec.add("streams-throughput", sorted.map((st) => st["throughput-bits"] ?? null));
      if (!udp) {
        const retransmits = pick("retransmits");
        if (retransmits.length > 0) rec.add("streams-packet-retransmits", retransmits);
        const rtt = pick("rtt");
        if (rtt.length > 0) rec.add("streams-packet-rtt", rtt);
        const window = pick("tcp-window-size");
        if (window.length > 0) rec.add("streams-tcp-windowsize", window);
      }
    }
  }
  const intervals = result.intervals;
  if (!truthy(intervals, "python") || !Array.isArray(intervals)) return;
  const lists: Record<string, JsonObject[]> = {
    "throughput-bits": [],
    "retransmits": [],
    "rtt": [],
    "tcp-window-size": [],
  };
  const perStream = new Map<string, Map<number, JsonObject[]>>(
    ["throughput-bits", "retransmits", "rtt", "tcp-window-size"].map((k) => [k, new Map()]),
  );
  const point = (start: unknown, end: unknown, val: unknown) => ({
    start,
    duration: difference(end, start),
    val,
  });
  for (const interval of intervals) {
    if (!isObject(interval)) continue;
    const summary = interval.summary;
    if (truthy(summary, "python") && isObject(summary)) {
      const start = summary.start ?? null;
      const end = summary.end ?? null;
      if (start !== null && end !== null) {
        for (const k of Object.keys(lists)) {
          const v = summary[k];
          if (v !== undefined && v !== null) {
            lists[k].push(point(start, end, v));
          }
        }
      }
    }
    const streams = interval.streams;
    if (truthy(streams, "python") && Array.isArray(streams) && parallel) {
      for (const stream of streams) {
        if (!isObject(stream)) continue;
        const start = stream.start ?? null;
        const end = stream.end ?? null;
        const id = numberOf(stream["stream-id"]);
        if (start === null || end === null || id === undefined) continue;
        for (const [k, byId] of perStream) {
          if (!byId.has(id)) byId.set(id, []);
          const v = stream[k];
          if (v !== undefined && v !== null) byId.get(id)!.push(point(start, end, v));
        }
      }
    }
  }
  const l = lists;
  const byIds = (k: string) =>
    [...perStream.get(k)!.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  if (l["throughput-bits"].length > 0) rec.add("throughput-subintervals", l["throughput-bits"]);
  if (perStream.get("throughput-bits")!.size > 0) {
    rec.add("streams-throughput-subintervals", byIds("throughput-bits"));
  }
  if (!udp) {
    if (l.retransmits.length > 0) rec.add("packet-retransmits-subintervals", l.retransmits);
    if (l.rtt.length > 0) rec.add("packet-rtt-subintervals", l.rtt);
    if (l["tcp-window-size"].length > 0) {
      rec.add("tcp-windowsize-subintervals", l["tcp-window-size"]);
    }
    if (perStream.get("retransmits")!.size > 0) {
      rec.add("streams-packet-retransmits-subintervals", byIds("retransmits"));
    }
    if (perStream.get("rtt")!.size > 0) rec.add("streams-packet-rtt-subintervals", byIds("rtt"));
    if (perStream.get("tcp-window-size")!.size > 0) {
      rec.add("streams-tcp-windowsize-subintervals", byIds("tcp-window-size"));
    }
  }
}

// Python's `end - start` keeps float-ness: 1.5 - 0 is a float, 2 - 1 an int.
function difference(end: unknown, start: unknown): unknown {
  const e = numberOf(end);
  const b = numberOf(start);
  if (e === undefined || b === undefined) return null;
  const d = e - b;
  return end instanceof PyFloat || start instanceof PyFloat || !Number.isInteger(e) ||
      !Number.isInteger(b)
    ? float(d)
    : d;
}

const THROUGHPUT: TypeMapping = {
  eventTypes: (spec) => {
    const types = ["failures", "throughput", "throughput-subintervals"];
    const parallel = parallelOf(spec) > 1;
    if (parallel) types.push("streams-throughput", "streams-throughput-subintervals");
    if (truthy(spec.udp, "python")) {
      types.push("packet-loss-rate", "packet-count-lost", "packet-count-sent");
    } else {
      types.push("packet-retransmits", "packet-retransmits-subintervals");
      if (parallel) {
        types.push("streams-packet-retransmits", "streams-packet-retransmits-subintervals");
      }
    }
    return types;
  },
  fieldMap: directFieldMap("throughput"),
  additionalMetadata: (rec, spec) => {
    rec.metadata["ip-transport-protocol"] = truthy(spec.udp, "python") ? "udp" : "tcp";
  },
  additionalData: throughputData,
};

function traceData(rec: ArchiverRecord, spec: JsonObject, result: JsonObject): void {
  const paths = Array.isArray(result.paths) ? result.paths : [];
  const multi: JsonObject[][] = [];
  let first: JsonObject[] | undefined;
  let mtu: unknown = null;
  let pmtu: number | undefined;
  let pmtuRaw: unknown;
  for (const path of paths) {
    const formatted: JsonObject[] = [];
    (Array.isArray(path) ? path : []).forEach((hop: unknown, i: number) => {
      const h = isObject(hop) ? hop : {};
      const f: JsonObject = { ttl: i + 1, query: 1 };
      if (truthy(h.error, "python")) {
        f.success = 0;
        f["error-message"] = h.error;
      } else {
        f.success = 1;
      }
      if (truthy(h.ip, "python")) f.ip = h.ip;
      if (truthy(h.hostname, "python")) f.hostname = h.hostname;
      if (truthy(h.as, "python")) f.as = h.as;
      if (Object.hasOwn(h, "rtt") && h.rtt !== null) {
        f.rtt = float(seconds(h.rtt, "a hop rtt") * 1000);
      }
      if (Object.hasOwn(h, "mtu") && h.mtu !== null) {
        f.mtu = h.mtu;
        mtu = h.mtu;
        const m = numberOf(h.mtu);
        if (m !== undefined && (pmtu === undefined || pmtu > m)) {
          pmtu = m;
          pmtuRaw = h.mtu;
        }
      } else if (mtu !== null) {
        f.mtu = mtu;
      }
      formatted.push(f);
    });
    multi.push(formatted);
    if (first === undefined || first.length === 0) first = formatted;
  }
  if (first && first.length > 0) rec.add("packet-trace", first);
  if (pmtu !== undefined) rec.add("path-mtu", pmtuRaw);
  if (spec.algorithm === "paris-traceroute" && multi.length > 0) {
    rec.add("packet-trace-multi", multi);
  }
}

const TRACE: TypeMapping = {
  eventTypes: (spec) => {
    const types = ["failures", "packet-trace", "path-mtu"];
    if (spec.algorithm === "paris-traceroute") types.push("packet-trace-multi");
    return types;
  },
  fieldMap: directFieldMap("trace"),
  additionalMetadata: (rec, spec) => {
    if (truthy(spec.sendwait, "python")) {
      rec.metadata["time-probe-interval"] = float(seconds(spec.sendwait, "sendwait"));
    }
    if (truthy(spec.wait, "python")) {
      rec.metadata["time-test-timeout"] = float(seconds(spec.wait, "wait"));
    }
  },
  additionalData: traceData,
};

const RTT: TypeMapping = {
  eventTypes: () => [
    "failures",
    "packet-count-sent",
    "histogram-rtt",
    "histogram-ttl-reverse",
    "packet-duplicates-bidir",
    "packet-loss-rate-bidir",
    "packet-count-lost-bidir",
    "packet-reorders-bidir",
  ],
  fieldMap: directFieldMap("rtt"),
  additionalMetadata: (rec, spec) => {
    const put = (key: string, field: string) => {
      if (truthy(spec[field], "python")) {
        rec.metadata[key] = float(seconds(spec[field], field));
      }
    };
    put("time-probe-interval", "interval");
    put("time-test-timeout", "timeout");
    put("time-probe-timeout", "deadline");
  },
  dataFieldMap: {
    "sent": "packet-count-sent",
    "lost": "packet-count-lost-bidir",
    "duplicates": "packet-duplicates-bidir",
    "reorders": "packet-reorders-bidir",
  },
  additionalData: (rec, _spec, result) => {
    const rtts: JsonObject = {};
    const ttls = new Map<string, number>();
    const roundtrips = Array.isArray(result.roundtrips) ? result.roundtrips : [];
    for (const rt of roundtrips) {
      if (!isObject(rt)) continue;
      if (truthy(rt.rtt, "python")) {
        const key = fixed2(seconds(rt.rtt, "a roundtrip rtt") * 1000);
        rtts[key] = ((rtts[key] as number | undefined) ?? 0) + 1;
      }
      if (truthy(rt.ttl, "python")) {
        const key = rt.ttl instanceof PyFloat ? String(rt.ttl) : String(rt.ttl);
        ttls.set(key, (ttls.get(key) ?? 0) + 1);
      }
    }
    if (Object.keys(rtts).length > 0) rec.add("histogram-rtt", rtts);
    if (ttls.size > 0) rec.add("histogram-ttl-reverse", Object.fromEntries(ttls));
    rec.addRate("packet-loss-rate-bidir", result, "lost", "sent");
  },
};

const DISK_TO_DISK: TypeMapping = {
  eventTypes: () => ["failures", "throughput"],
  fieldMap: { "parallel": "bw-parallel-streams" },
  additionalMetadata: (rec, spec) => {
    for (const [k, v] of Object.entries(spec)) rec.flatten(`pscheduler-disk-to-disk-${k}`, v);
  },
  additionalData: (rec, _spec, result) => {
    if (Object.hasOwn(result, "throughput") && result.throughput !== null) {
      const n = numberOf(result.throughput) ?? Number(result.throughput);
      if (Number.isNaN(n)) throw new EsmondViewError("throughput is not a number");
      rec.add("throughput", float(n));
    }
  },
};

const MAPPED: Readonly<Record<string, TypeMapping>> = {
  latency: LATENCY,
  latencybg: LATENCY,
  throughput: THROUGHPUT,
  trace: TRACE,
  rtt: RTT,
  "disk-to-disk": DISK_TO_DISK,
};

function rawMapping(type: string): TypeMapping {
  return {
    eventTypes: () => ["pscheduler-raw"],
    fieldMap: {},
    additionalMetadata: (rec, spec) => {
      for (const [k, v] of Object.entries(spec)) rec.flatten(`pscheduler-${type}-${k}`, v);
    },
    additionalData: (rec, _spec, result) => rec.add("pscheduler-raw", result),
  };
}

function groupSummaries(
  list: readonly EsmondSummary[] | undefined,
): Readonly<Record<string, readonly EsmondSummary[]>> {
  if (!list || list.length === 0) return DEFAULT_ESMOND_SUMMARIES;
  const map: Record<string, EsmondSummary[]> = {};
  for (const summary of list) {
    const et = summary["event-type"];
    if (typeof et !== "string") continue;
    (map[et] ??= []).push(summary);
  }
  return map;
}

function epochSeconds(iso: unknown): number {
  if (typeof iso !== "string") throw new EsmondViewError("schedule.start is missing");
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new EsmondViewError(`schedule.start is not an ISO 8601 time: ${iso}`);
  return Math.floor(ms / 1000);
}

/**
 * The metadata and data pScheduler's esmond archiver would send for an http-archiver body.
 * Throws {@linkcode EsmondViewError} where the archiver would fail on the body.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { esmondView } from "./esmond_view.ts";
 * import { OFFLINE_RESOLVER } from "./resolver.ts";
 * const view = await esmondView({
 *   test: { type: "rtt", spec: { dest: "192.0.2.1" } },
 *   tool: { name: "ping" },
 *   schedule: { start: "2026-07-27T05:45:23+00:00", duration: "PT10S" },
 *   participants: ["192.0.2.9"],
 *   result: { succeeded: true, sent: 5, lost: 0 },
 * }, { resolver: OFFLINE_RESOLVER });
 * deepStrictEqual(view.metadata["tool-name"], "pscheduler/ping");
 * deepStrictEqual(view.data.data[0].ts, 1785131123);
 * ```
 */
export async function esmondView(body: unknown, options: EsmondViewOptions): Promise<EsmondView> {
  if (!isObject(body)) throw new EsmondViewError("the body is not a JSON object");
  let test = body.test;
  if (!truthy(test, "python")) test = getPath(body, ["task", "test"]);
  if (!isObject(test) || !truthy(test, "python")) {
    throw new EsmondViewError("Unable to find test definition in JSON given to plugin");
  }
  const type = test.type;
  if (typeof type !== "string") throw new EsmondViewError("test.type is missing");
  const spec = isObject(test.spec) ? test.spec : {};
  const reference = body.reference;
  const result = isObject(body.result) ? body.result : {};
  const toolName = getPath(body, ["tool", "name"]);
  if (typeof toolName !== "string") throw new EsmondViewError("tool.name is missing");
  const ts = epochSeconds(getPath(body, ["schedule", "start"]));
  if (!Array.isArray(body.participants) || body.participants.length === 0) {
    throw new EsmondViewError("participants is missing");
  }
  const lead = body.participants[0];
  const duration = float(seconds(getPath(body, ["schedule", "duration"]), "schedule.duration"));
  const runHref = getPath(body, ["run", "href"]);
  const policy = options.dataFormattingPolicy ?? "prefer-mapped";
  const summaries = groupSummaries(options.summaries);
  let mapping: TypeMapping;
  let raw = false;
  let addRaw = policy === "mapped-and-raw";
  if (policy === "raw-only") {
    mapping = rawMapping(type);
    raw = true;
  } else if (Object.hasOwn(MAPPED, type)) {
    mapping = MAPPED[type];
    if (type === "disk-to-disk") addRaw = true;
  } else if (policy === "mapped-only") {
    throw new EsmondViewError(
      `Unable to store result because 'mapped-only' policy is being used and the test is of an unrecognized type ${type}`,
    );
  } else {
    mapping = rawMapping(type);
    raw = true;
    addRaw = false;
  }

  const rec = new ArchiverRecord(summaries);
  rec.metadata["pscheduler-test-type"] = type;
  const ipVersion = Object.hasOwn(spec, "ip-version") ? spec["ip-version"] : null;
  await parseAddresses(rec, spec, type, raw, ipVersion, lead, options);
  rec.metadata["tool-name"] = `pscheduler/${toolName}`;
  rec.metadata["time-duration"] = duration;
  for (const et of mapping.eventTypes(spec)) rec.addEventType(et);
  if (truthy(runHref, "python")) rec.addEventType("pscheduler-run-href");
  for (const [field, key] of Object.entries(mapping.fieldMap)) {
    if (Object.hasOwn(spec, field)) rec.metadata[key] = spec[field];
  }
  mapping.additionalMetadata?.(rec, spec);
  if (isObject(reference)) {
    for (const [k, v] of Object.entries(reference)) {
      if (!k.startsWith("_")) rec.flatten(`pscheduler-reference-${k}`, v);
    }
  }
  if (truthy(result.succeeded, "python")) {
    for (const [field, et] of Object.entries(mapping.dataFieldMap ?? {})) {
      if (!Object.hasOwn(result, field)) continue;
      const v = result[field];
      if (isObject(v) && Object.keys(v).length === 0) continue;
      rec.add(et, v);
    }
    mapping.additionalData?.(rec, spec, result);
  } else {
    const error = truthy(result.error, "python")
      ? result.error
      : "The test failed for an unspecified reason. See the server logs of the testing host(s).";
    rec.add("failures", { error });
  }
  if (truthy(runHref, "python")) rec.add("pscheduler-run-href", { href: runHref });
  if (addRaw) {
    rec.addEventType("pscheduler-raw", {});
    rec.add("pscheduler-raw", result);
  }
  return { metadata: rec.metadata, data: { data: [{ ts, val: rec.values }] } };
}

async function parseAddresses(
  rec: ArchiverRecord,
  spec: JsonObject,
  type: string,
  raw: boolean,
  ipVersion: unknown,
  lead: unknown,
  options: EsmondViewOptions,
): Promise<void> {
  const m = rec.metadata;
  const agent = options.measurementAgent;
  const r = options.resolver;
  let srcIp: string | null;
  if (type === "disk-to-disk" && !raw) {
    let inputSource: unknown = lead;
    let inputDest: unknown = lead;
    m["subject-type"] = "point-to-point";
    if (Object.hasOwn(spec, "source")) {
      inputSource = urlHostname(spec.source) ?? (agent ? agent : inputSource);
    }
    if (Object.hasOwn(spec, "dest")) {
      inputDest = urlHostname(spec.dest) ?? (agent ? agent : inputDest);
    }
    const [s, d] = await normalizeVersion(inputSource, inputDest, ipVersion, r);
    m.source = s;
    m.destination = d;
    m["input-source"] = inputSource;
    m["input-destination"] = inputDest;
    srcIp = s;
    m["measurement-agent"] = (await normalizeVersion(srcIp, agent ? agent : lead, null, r))[1];
    return;
  }
  const inputSource = !raw && Object.hasOwn(spec, "source") ? spec.source : lead;
  let destIp: string | null = null;
  if (!raw) {
    if (!Object.hasOwn(spec, "dest")) throw new EsmondViewError(`a ${type} test needs spec.dest`);
    m["subject-type"] = "point-to-point";
    m["input-destination"] = spec.dest;
    [srcIp, destIp] = await normalizeVersion(inputSource, spec.dest, ipVersion, r);
  } else {
    m["subject-type"] = "network-element";
    [srcIp] = await normalizeVersion(inputSource, inputSource, ipVersion, r);
  }
  m.source = srcIp;
  if (destIp) m.destination = destIp;
  m["input-source"] = inputSource;
  if (agent) {
    let ma = (await normalizeVersion(srcIp, agent, null, r))[1];
    if (ma === null) ma = (await normalizeVersion(agent, agent, ipVersion, r))[0];
    m["measurement-agent"] = ma;
  } else {
    m["measurement-agent"] = (await normalizeVersion(srcIp, lead, null, r))[1];
  }
}
