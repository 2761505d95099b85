/**
 * Stage 06 of the Logstash pipeline (spec §2.7): the per-test-type reshaping of `result`
 * (latency/latencybg, rtt, throughput, trace, dns, http; every other type passes through).
 *
 * @module
 */
import { sha256Hex } from "./canonical_json.ts";
import { histogramStatistics } from "./histogram_stats.ts";
import { rubyDurationSeconds, RubyException } from "./iso_duration.ts";
import { rubyJoin, rubyToS } from "./ruby_text.ts";
import {
  float,
  getPath,
  hasPath,
  isObject,
  type JsonObject,
  numberOf,
  removePath,
  setPath,
} from "./json_value.ts";

/** Called when a Ruby stage raises: the event gets `_rubyexception` and carries on. */
export type OnRubyException = (error: RubyException) => void;

/**
 * The Ruby duration script over a list of field paths: each convertible string becomes float
 * seconds; a value that is not a string raises and skips the remaining fields.
 *
 * @example
 * ```ts
 * import { convertDurations } from "./result_stages.ts";
 * const event = { schedule: { slip: "PT5M" } };
 * convertDurations(event, [["schedule", "slip"]], () => {}); // event.schedule.slip is 300
 * ```
 */
export function convertDurations(
  event: JsonObject,
  fields: readonly (readonly string[])[],
  onError: OnRubyException,
): void {
  try {
    for (const field of fields) {
      const seconds = rubyDurationSeconds(getPath(event, field));
      if (seconds !== undefined) setPath(event, field, float(seconds));
    }
  } catch (error) {
    if (!(error instanceof RubyException)) throw error;
    onError(error);
  }
}

function ruby(onError: OnRubyException, work: () => void): void {
  try {
    work();
  } catch (error) {
    if (!(error instanceof RubyException)) throw error;
    onError(error);
  }
}

// The staging object (`@metadata.result`) replaces `result`; absent staging: no result at all.
function replaceResult(event: JsonObject, staging: JsonObject | undefined): void {
  delete event.result;
  if (staging !== undefined) event.result = staging;
}

class Staging {
  root: JsonObject = {};
  used = false;

  // A rename into the staging object (Logstash's rename: a present path moves, even null).
  move(event: JsonObject, from: readonly string[], to: readonly string[]): void {
    if (!hasPath(event, from)) return;
    const value = getPath(event, from);
    removePath(event, from);
    setPath(this.root, to, value);
    this.used = true;
  }

  /** `set([name, k], v)` for every entry of `values`, in order. */
  setAll(name: string, values: Record<string, unknown>): void {
    let node = this.root[name];
    for (const k in values) {
      if (!Object.hasOwn(values, k)) continue;
      if (!isObject(node)) node = this.root[name] = {};
      (node as JsonObject)[k] = values[k];
      this.used = true;
    }
  }

  set(path: readonly string[], value: unknown): void {
    setPath(this.root, path, value);
    this.used = true;
  }

  get result(): JsonObject | undefined {
    return this.used ? this.root : undefined;
  }
}

const r = (...path: string[]) => ["result", ...path];

function latency(event: JsonObject, onError: OnRubyException): void {
  const s = new Staging();
  s.move(event, r("succeeded"), ["succeeded"]);
  s.move(event, r("error"), ["error"]);
  s.move(event, r("max-clock-error"), ["max_clock_error"]);
  s.move(event, r("packets-duplicated"), ["packets", "duplicated"]);
  s.move(event, r("packets-lost"), ["packets", "lost"]);
  s.move(event, r("packets-received"), ["packets", "received"]);
  s.move(event, r("packets-reordered"), ["packets", "reordered"]);
  s.move(event, r("packets-sent"), ["packets", "sent"]);
  ruby(onError, () => {
    const sent = getPath(s.root, ["packets", "sent"]);
    const lost = getPath(s.root, ["packets", "lost"]);
    if (
      lost !== undefined && lost !== null && lost !== false && sent !== undefined &&
      sent !== null && sent !== false
    ) {
      const sentN = numberOf(sent);
      const lostN = numberOf(lost);
      if (sentN === undefined || lostN === undefined) {
        throw new RubyException("comparison of non-number with 0");
      }
      if (sentN > 0) s.set(["packets", "loss"], float(lostN / sentN));
    }
  });
  for (const [source, target] of [["histogram-latency", "latency"], ["histogram-ttl", "ttl"]]) {
    ruby(onError, () => {
      const stats = histogramStatistics(getPath(event, r(source)));
      if (stats) s.setAll(target, stats);
    });
  }
  replaceResult(event, s.result);
}

function rtt(event: JsonObject, onError: OnRubyException): void {
  convertDurations(event, [
    ["test", "spec", "interval"],
    ["test", "spec", "timeout"],
    ["test", "spec", "deadline"],
    r("min"),
    r("max"),
    r("mean"),
    r("stddev"),
  ], onError);
  const s = new Staging();
  s.move(event, r("succeeded"), ["succeeded"]);
  s.move(event, r("error"), ["error"]);
  s.move(event, r("duplicates"), ["packets", "duplicated"]);
  s.move(event, r("lost"), ["packets", "lost"]);
  s.move(event, r("loss"), ["packets", "loss"]);
  s.move(event, r("received"), ["packets", "received"]);
  s.move(event, r("reorders"), ["packets", "reordered"]);
  s.move(event, r("sent"), ["packets", "sent"]);
  s.move(event, r("roundtrips"), ["packets", "json"]);
  for (const k of ["min", "max", "mean", "stddev"]) s.move(event, r(k), ["rtt", k]);
  replaceResult(event, s.result);
}

function throughput(event: JsonObject, onError: OnRubyException): void {
  convertDurations(event, [
    ["test", "spec", "duration"],
    ["test", "spec", "omit"],
    ["test", "spec", "interval"],
  ], onError);
  const s = new Staging();
  const parallel = numberOf(getPath(event, ["test", "spec", "parallel"]));
  if (parallel !== undefined && parallel > 1) {
    s.move(event, r("summary", "streams"), ["streams", "json"]);
  }
  const sum = (k: string) => r("summary", "summary", k);
  s.move(event, r("succeeded"), ["succeeded"]);
  s.move(event, r("error"), ["error"]);
  s.move(event, sum("throughput-bits"), ["throughput"]);
  s.move(event, sum("sent"), ["packets_sent"]);
  s.move(event, sum("lost"), ["packets_lost"]);
  s.move(event, sum("jitter"), ["jitter"]);
  s.move(event, sum("rtt"), ["rtt"]);
  s.move(event, sum("retransmits"), ["retransmits"]);
  // ⚠ upstream reads tcp_window_size; pScheduler writes tcp-window-size, so this never fills.
  s.move(event, sum("tcp_window_size"), ["tcp_window_size"]);
  s.move(event, r("mss"), ["mss"]);
  s.move(event, r("mtu"), ["mtu"]);
  s.move(event, r("intervals"), ["intervals", "json"]);
  replaceResult(event, s.result);
}

/**
 * `result.hop.checksum`: the fingerprint filter (3.4.x) over `[@metadata][result][hop][ip]`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { hopChecksum } from "./result_stages.ts";
 * deepStrictEqual(
 *   hopChecksum(["192.168.1.1", "1.1.1.1"]),
 *   "1f57ff123794e168ffbc301c67ad613bfabcf855edd181cfc19bcc68dc26983f",
 * );
 * ```
 */
export function hopChecksum(ips: readonly unknown[] | undefined): string {
  // The fingerprint interpolates the field: an array prints as its inspect form.
  return sha256Hex(`|[@metadata][result][hop][ip]|${rubyToS(ips)}|`);
}

function trace(event: JsonObject, onError: OnRubyException): void {
  convertDurations(event, [["test", "spec", "sendwait"], ["test", "spec", "wait"]], onError);
  const s = new Staging();
  ruby(onError, () => {
    const paths = getPath(event, r("paths"));
    const hasLength = typeof paths === "string" || Array.isArray(paths) || isObject(paths);
    const length = typeof paths === "string" || Array.isArray(paths)
      ? paths.length
      : isObject(paths)
      ? Object.keys(paths).length
      : 0;
    if (!hasLength || length === 0) return;
    const first = Array.isArray(paths) ? paths[0] : undefined;
    if (!Array.isArray(first)) throw new RubyException("undefined method `each'");
    const ips: unknown[] = [];
    const asns: unknown[] = [];
    const asos: unknown[] = [];
    let pathMtu: number | undefined;
    let success = 0;
    let errors = 0;
    for (const hop of first) {
      if (!isObject(hop)) throw new RubyException("undefined method `[]'");
      const ip = hop.ip;
      if (ip === undefined || ip === null || ip === false) {
        errors++;
        continue;
      }
      ips.push(ip);
      success++;
      if (isObject(hop.as)) {
        const number = hop.as.number;
        if (number !== undefined && number !== null && number !== false) asns.push(number);
        const owner = hop.as.owner;
        if (owner !== undefined && owner !== null && owner !== false) asos.push(owner);
      }
      const mtu = numberOf(hop.mtu);
      if (mtu !== undefined && (pathMtu === undefined || mtu < pathMtu)) pathMtu = mtu;
    }
    const join = (list: unknown[]) => rubyJoin(list, " ");
    s.set(["hop", "count"], success + errors);
    s.set(["hop", "success_count"], success);
    s.set(["hop", "error_count"], errors);
    s.set(["hop", "ip"], ips);
    s.set(["hop", "ip_str"], join(ips));
    s.set(["hop", "as_number"], asns);
    s.set(["hop", "as_number_str"], join(asns));
    s.set(["hop", "as_organization"], asos);
    s.set(["hop", "as_organization_str"], join(asos));
    if (pathMtu !== undefined) s.set(["mtu"], getPathMtu(first, pathMtu));
    s.set(["json"], paths);
  });
  const ips = getPath(s.root, ["hop", "ip"]) as unknown[] | undefined;
  s.set(["hop", "checksum"], hopChecksum(ips));
  s.move(event, r("succeeded"), ["succeeded"]);
  s.move(event, r("error"), ["error"]);
  replaceResult(event, s.result);
}

// The minimum hop mtu as written in the body (keeps a float mtu a float).
function getPathMtu(path: unknown[], min: number): unknown {
  for (const hop of path) {
    if (isObject(hop) && numberOf(hop.mtu) === min) return hop.mtu;
  }
  return min;
}

function timeOnly(event: JsonObject, onError: OnRubyException): void {
  convertDurations(event, [r("time")], onError);
}

/**
 * Runs the stage-06 filter of `testType` on `event` (changed in place).
 *
 * @example
 * ```ts
 * import { reshapeResult } from "./result_stages.ts";
 * const event: Record<string, unknown> = { result: { succeeded: true, time: "PT0.5S" } };
 * reshapeResult(event, "dns", () => {}); // event.result.time is 0.5
 * ```
 */
export function reshapeResult(
  event: JsonObject,
  testType: unknown,
  onError: OnRubyException,
): void {
  switch (testType) {
    case "latency":
    case "latencybg":
      return latency(event, onError);
    case "rtt":
      return rtt(event, onError);
    case "throughput":
      return throughput(event, onError);
    case "trace":
      return trace(event, onError);
    case "dns":
    case "http":
      return timeOnly(event, onError);
    default:
      return;
  }
}
