/**
 * The pScheduler run result (as the http archiver would have sent it, spec §1.3) rebuilt from
 * the esmond values folded at one `ts` — pScheduler's esmond-archiver data mapping (§4.1.3)
 * read backwards. Pure. The document's `result` is then made from it by the pipeline model's
 * own stage 06 (lib/pscheduler), so no perfSONAR 5 field rule is repeated here.
 *
 * @module
 */
import { orderedEntries } from "../esmond/py_json/parse.ts";
import { PyFloat } from "../esmond/py_json/py_float.ts";
import { float } from "./json_value.ts";
import { histogramStatistics } from "./histogram_stats.ts";
import { isoDuration } from "./esmond_test_spec.ts";

/** A result and the esmond values it could not place. */
export interface BuiltResult {
  /** The document's `result`. */
  readonly result: Record<string, unknown>;
  /** Event types of the fold with no place in a document of this test type. */
  readonly unmapped: string[];
}

/**
 * A JSON-plain copy of an esmond value: `PyFloat` → number, `Map` → object.
 *
 * @example
 * ```ts
 * import { plain } from "./esmond_run_result.ts";
 * import { PyFloat } from "../esmond/py_json/py_float.ts";
 * if (JSON.stringify(plain(new Map([["a", new PyFloat(1)]]))) !== '{"a":1}') throw new Error();
 * ```
 */
export function plain(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[k] = plain(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

function num(value: unknown): number | undefined {
  const v = value instanceof PyFloat ? value.value : value;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function histogram(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [bucket, count] of orderedEntries(value)) {
    const n = num(count);
    if (n !== undefined) out[bucket] = n;
  }
  return out;
}

/** A loss ratio from esmond's packet-loss-rate value (a number, or numerator/denominator). */
function lossRate(value: unknown): number | undefined {
  const direct = num(value);
  if (direct !== undefined) return direct;
  const entries = new Map(orderedEntries(value));
  const n = num(entries.get("numerator"));
  const d = num(entries.get("denominator"));
  return n !== undefined && d !== undefined && d > 0 ? n / d : undefined;
}

class Values {
  readonly #values: ReadonlyMap<string, unknown>;
  readonly #used = new Set<string>();
  constructor(values: ReadonlyMap<string, unknown>) {
    this.#values = values;
  }
  has(name: string): boolean {
    return this.#values.has(name);
  }
  take(name: string): unknown {
    this.#used.add(name);
    return this.#values.get(name);
  }
  num(name: string): number | undefined {
    return this.has(name) ? num(this.take(name)) : undefined;
  }
  /**
   * A value pScheduler writes as a float (`1.0`, not `1`): the first document of an index fixes
   * the field's mapping, and an integer there would make OpenSearch map it `long`.
   */
  float(name: string): number | PyFloat | undefined {
    const n = this.num(name);
    return n === undefined ? undefined : float(n);
  }
  unused(): string[] {
    return [...this.#values.keys()].filter((k) => !this.#used.has(k));
  }
}

function setIf(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function latencyResult(v: Values, out: Record<string, unknown>): void {
  const sent = v.num("packet-count-sent");
  const lost = v.num("packet-count-lost");
  setIf(out, "packets-sent", sent);
  setIf(out, "packets-lost", lost);
  // esmond kept sent and lost only; pScheduler reports received too.
  if (sent !== undefined && lost !== undefined) out["packets-received"] = sent - lost;
  setIf(out, "packets-duplicated", v.num("packet-duplicates"));
  setIf(out, "packets-reordered", v.num("packet-reorders"));
  // The loss ratio is recomputed from the counts by the pipeline.
  if (v.has("packet-loss-rate")) v.take("packet-loss-rate");
  setIf(out, "max-clock-error", v.float("time-error-estimates"));
  if (v.has("histogram-owdelay")) out["histogram-latency"] = histogram(v.take("histogram-owdelay"));
  if (v.has("histogram-ttl")) out["histogram-ttl"] = histogram(v.take("histogram-ttl"));
}

interface Subinterval {
  start: number;
  duration: number;
  val: unknown;
}

function subintervals(value: unknown): Subinterval[] {
  if (!Array.isArray(value)) return [];
  const out: Subinterval[] = [];
  for (const item of value) {
    const e = new Map(orderedEntries(item));
    const start = num(e.get("start"));
    const duration = num(e.get("duration"));
    if (start !== undefined && duration !== undefined) {
      out.push({ start, duration, val: plain(e.get("val")) });
    }
  }
  return out;
}

function interval(at: Subinterval): Record<string, unknown> {
  // `duration` is not pScheduler's: it keeps esmond's exact value (end − start may round).
  return { start: at.start, end: at.start + at.duration, duration: at.duration };
}

function lists(v: Values, name: string): Subinterval[][] {
  if (!v.has(name)) return [];
  const value = plain(v.take(name));
  return Array.isArray(value) ? value.map(subintervals) : [];
}

function throughputResult(v: Values, out: Record<string, unknown>): void {
  const summary: Record<string, unknown> = {};
  setIf(summary, "throughput-bits", v.float("throughput"));
  setIf(summary, "retransmits", v.num("packet-retransmits"));
  setIf(summary, "sent", v.num("packet-count-sent"));
  setIf(summary, "lost", v.num("packet-count-lost"));
  setIf(summary, "rtt", v.float("packet-rtt"));
  if (v.has("packet-loss-rate")) v.take("packet-loss-rate"); // derived from the counts on read
  const tput = v.has("throughput-subintervals")
    ? subintervals(v.take("throughput-subintervals"))
    : [];
  const retr = v.has("packet-retransmits-subintervals")
    ? subintervals(v.take("packet-retransmits-subintervals"))
    : [];
  const streamTput = lists(v, "streams-throughput-subintervals");
  const streamRetr = lists(v, "streams-packet-retransmits-subintervals");
  const streamCount = Math.max(streamTput.length, streamRetr.length);
  const count = Math.max(tput.length, retr.length, ...streamTput.map((s) => s.length), 0);
  if (count > 0) {
    const intervals = [];
    for (let i = 0; i < count; i++) {
      const base = tput[i] ?? retr[i];
      const sum: Record<string, unknown> = base !== undefined ? interval(base) : {};
      if (tput[i] !== undefined) sum["throughput-bits"] = tput[i].val;
      if (retr[i] !== undefined) sum.retransmits = retr[i].val;
      const item: Record<string, unknown> = { summary: sum };
      if (streamCount > 0) {
        const streams = [];
        for (let s = 0; s < streamCount; s++) {
          const t = streamTput[s]?.[i];
          const r = streamRetr[s]?.[i];
          const at = t ?? r;
          const stream: Record<string, unknown> = { "stream-id": s, ...(at ? interval(at) : {}) };
          if (t !== undefined) stream["throughput-bits"] = t.val;
          if (r !== undefined) stream.retransmits = r.val;
          streams.push(stream);
        }
        item.streams = streams;
      }
      intervals.push(item);
    }
    out.intervals = intervals;
  }
  const streamsT = v.has("streams-throughput") ? plain(v.take("streams-throughput")) : undefined;
  const streamsR = v.has("streams-packet-retransmits")
    ? plain(v.take("streams-packet-retransmits"))
    : undefined;
  const n = Math.max(
    Array.isArray(streamsT) ? streamsT.length : 0,
    Array.isArray(streamsR) ? streamsR.length : 0,
  );
  const result: Record<string, unknown> = { summary };
  if (n > 0) {
    const streams = [];
    for (let s = 0; s < n; s++) {
      const stream: Record<string, unknown> = { "stream-id": s };
      if (Array.isArray(streamsT)) setIf(stream, "throughput-bits", streamsT[s]);
      if (Array.isArray(streamsR)) setIf(stream, "retransmits", streamsR[s]);
      streams.push(stream);
    }
    result.streams = streams;
  }
  out.summary = result;
}

function rttResult(v: Values, out: Record<string, unknown>): void {
  const sent = v.num("packet-count-sent");
  const lost = v.num("packet-count-lost-bidir");
  setIf(out, "sent", sent);
  setIf(out, "lost", lost);
  if (sent !== undefined && lost !== undefined) {
    out.received = sent - lost;
    if (sent > 0) out.loss = float(lost / sent);
  }
  if (v.has("packet-loss-rate-bidir")) {
    const rate = lossRate(v.take("packet-loss-rate-bidir"));
    if (out.loss === undefined && rate !== undefined) out.loss = rate;
  }
  setIf(out, "duplicates", v.num("packet-duplicates-bidir"));
  setIf(out, "reorders", v.num("packet-reorders-bidir"));
  const rttHist = v.has("histogram-rtt") ? histogram(v.take("histogram-rtt")) : undefined;
  const ttlHist = v.has("histogram-ttl-reverse")
    ? histogram(v.take("histogram-ttl-reverse"))
    : undefined;
  if (rttHist !== undefined) {
    const stats = histogramStatistics(rttHist) as Record<string, unknown> | undefined;
    for (const k of ["min", "max", "mean", "stddev"]) {
      const ms = num(stats?.[k]);
      if (ms !== undefined) out[k] = isoDuration(ms / 1000);
    }
  }
  // The round trips, rebuilt from the histograms so the esmond view of the run serves them
  // again; per-packet order and the rtt↔ttl pairing are not known to esmond.
  const ttls: number[] = [];
  for (const [ttl, count] of Object.entries(ttlHist ?? {})) {
    for (let i = 0; i < count; i++) ttls.push(Number(ttl));
  }
  const roundtrips: Record<string, unknown>[] = [];
  for (const [ms, count] of Object.entries(rttHist ?? {})) {
    for (let i = 0; i < count; i++) {
      const trip: Record<string, unknown> = {
        seq: roundtrips.length + 1,
        rtt: isoDuration(Number(ms) / 1000),
      };
      if (roundtrips.length < ttls.length) trip.ttl = ttls[roundtrips.length];
      roundtrips.push(trip);
    }
  }
  for (let i = roundtrips.length; i < ttls.length; i++) {
    roundtrips.push({ seq: i + 1, ttl: ttls[i] });
  }
  if (roundtrips.length > 0) out.roundtrips = roundtrips;
}

/** One esmond packet-trace hop → a pScheduler hop (rtt back to ISO seconds). */
function pschedulerHop(hop: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ip = hop.get("ip");
  if (typeof ip === "string" && ip !== "") out.ip = ip;
  setIf(out, "hostname", hop.get("hostname") ?? undefined);
  const as = hop.get("as");
  if (as !== undefined && as !== null) out.as = plain(as);
  const rtt = num(hop.get("rtt"));
  if (rtt !== undefined) out.rtt = isoDuration(rtt / 1000);
  setIf(out, "mtu", num(hop.get("mtu")));
  // esmond-ps-archive's demo and some writers spell it error_message.
  const error = hop.get("error-message") ?? hop.get("error_message");
  if (typeof error === "string" && error !== "") out.error = error;
  return out;
}

/** esmond hops (`ttl`, `query`) → pScheduler paths, one per query number. */
function tracePaths(value: unknown): unknown[][] {
  const paths: Record<string, unknown>[][] = [];
  if (!Array.isArray(value)) return paths;
  for (const item of value) {
    const hop = new Map(orderedEntries(item));
    const query = num(hop.get("query")) ?? 1;
    const path = (paths[query - 1] ??= []);
    const ttl = num(hop.get("ttl")) ?? path.length + 1;
    path[ttl - 1] = pschedulerHop(hop);
  }
  return paths.filter((p) => p !== undefined).map((p) => Array.from(p, (h) => h ?? {}));
}

function traceResult(v: Values, out: Record<string, unknown>): void {
  let paths: unknown[][] = [];
  if (v.has("packet-trace-multi")) {
    const multi = plain(v.take("packet-trace-multi"));
    if (Array.isArray(multi)) paths = multi.map((p) => tracePaths(p)[0] ?? []);
  }
  if (v.has("packet-trace")) {
    const single = tracePaths(v.take("packet-trace"));
    if (paths.length === 0) paths = single;
  }
  // path-mtu is the minimum hop mtu: it is there again when the hops carry theirs.
  if (v.has("path-mtu")) v.take("path-mtu");
  out.paths = paths;
}

/**
 * Rebuilds the pScheduler result of a run of test `type` from the esmond values at one `ts`.
 *
 * @example
 * ```ts
 * import { buildResult } from "./esmond_run_result.ts";
 * const r = buildResult("throughput", new Map<string, unknown>([["throughput", 9e8], ["packet-retransmits", 7]]));
 * if (JSON.stringify(r.result) !== '{"succeeded":true,"summary":{"summary":{"throughput-bits":900000000.0,"retransmits":7}}}') {
 *   throw new Error(JSON.stringify(r.result));
 * }
 * ```
 */
export function buildResult(
  type: string,
  values: ReadonlyMap<string, unknown>,
): BuiltResult {
  const v = new Values(values);
  const out: Record<string, unknown> = { succeeded: true };
  if (v.has("failures")) {
    const failure = new Map(orderedEntries(v.take("failures")));
    out.succeeded = false;
    const error = failure.get("error");
    out.error = typeof error === "string" ? error : JSON.stringify(plain(v.take("failures")));
  }
  if (v.has("pscheduler-run-href")) v.take("pscheduler-run-href"); // goes to pscheduler.*
  switch (type) {
    case "latency":
    case "latencybg":
      latencyResult(v, out);
      break;
    case "throughput":
      throughputResult(v, out);
      break;
    case "rtt":
      rttResult(v, out);
      break;
    case "trace":
      traceResult(v, out);
      break;
    default:
      if (v.has("pscheduler-raw")) {
        const raw = plain(v.take("pscheduler-raw"));
        if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) Object.assign(out, raw);
      }
  }
  const unmapped = v.unused();
  if (
    unmapped.length > 0 && !["latency", "latencybg", "throughput", "rtt", "trace"].includes(type)
  ) {
    // Kept as they were under a non-indexed field, so nothing is lost.
    const json: Record<string, unknown> = {};
    for (const name of unmapped) json[name] = plain(v.take(name));
    out.json = json;
    return { result: out, unmapped: [] };
  }
  return { result: out, unmapped };
}
