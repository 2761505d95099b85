/**
 * The esmond view of a stored Logstash document (for a backend that has only the
 * `pscheduler_*` documents, e.g. OpenSearch): the run result is rebuilt from the document's
 * `result` as far as Logstash kept it, then mapped as pScheduler's esmond archiver maps a body
 * ({@linkcode esmondView}), with the addresses from `meta`. Unlike elmond it serves
 * throughput subintervals, UDP counts and loss, rtt histograms and every run's run-href.
 * What the document lost cannot come back: histogram bucket keys are re-formatted from the
 * stored floats (two decimals when every bucket has at most two, as pScheduler's latency
 * tools write them), and with parallel ≤ 1 no per-stream values exist.
 *
 * @module
 */
import { type EsmondView, esmondView, EsmondViewError } from "./esmond_view/mod.ts";
import { getPath, isObject, type JsonObject, numberOf } from "./json_value.ts";
import { OFFLINE_RESOLVER } from "./resolver.ts";

function histogramOf(stats: unknown, integral: boolean): JsonObject | undefined {
  const h = getPath(stats, ["histogram"]);
  if (!isObject(h) || !Array.isArray(h.values) || !Array.isArray(h.counts)) return undefined;
  const values = h.values.map((v) => numberOf(v) ?? NaN);
  const twoDecimals = values.every((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6);
  const out: JsonObject = {};
  values.forEach((v, i) => {
    const key = integral && Number.isInteger(v)
      ? String(v)
      : twoDecimals
      ? v.toFixed(2)
      : String(v);
    out[key] = (h.counts as unknown[])[i];
  });
  return out;
}

function copyIf(target: JsonObject, key: string, source: unknown, path: string[]): void {
  const v = getPath(source, path);
  if (v !== undefined) target[key] = v;
}

function rebuiltResult(type: unknown, result: unknown): JsonObject {
  const out: JsonObject = {};
  if (!isObject(result)) return out;
  copyIf(out, "succeeded", result, ["succeeded"]);
  copyIf(out, "error", result, ["error"]);
  switch (type) {
    case "latency":
    case "latencybg": {
      const latency = histogramOf(result.latency, false);
      if (latency) out["histogram-latency"] = latency;
      const ttl = histogramOf(result.ttl, true);
      if (ttl) out["histogram-ttl"] = ttl;
      copyIf(out, "packets-sent", result, ["packets", "sent"]);
      copyIf(out, "packets-lost", result, ["packets", "lost"]);
      copyIf(out, "packets-reordered", result, ["packets", "reordered"]);
      copyIf(out, "packets-duplicated", result, ["packets", "duplicated"]);
      copyIf(out, "max-clock-error", result, ["max_clock_error"]);
      return out;
    }
    case "throughput": {
      const summary: JsonObject = {};
      copyIf(summary, "throughput-bits", result, ["throughput"]);
      copyIf(summary, "sent", result, ["packets_sent"]);
      copyIf(summary, "lost", result, ["packets_lost"]);
      copyIf(summary, "retransmits", result, ["retransmits"]);
      copyIf(summary, "rtt", result, ["rtt"]);
      const block: JsonObject = { summary };
      copyIf(block, "streams", result, ["streams", "json"]);
      out.summary = block;
      copyIf(out, "intervals", result, ["intervals", "json"]);
      return out;
    }
    case "rtt":
      copyIf(out, "sent", result, ["packets", "sent"]);
      copyIf(out, "lost", result, ["packets", "lost"]);
      copyIf(out, "duplicates", result, ["packets", "duplicated"]);
      copyIf(out, "reorders", result, ["packets", "reordered"]);
      copyIf(out, "roundtrips", result, ["packets", "json"]);
      return out;
    case "trace":
      copyIf(out, "paths", result, ["json"]);
      return out;
    default:
      return { ...result };
  }
}

/**
 * The esmond metadata and data for one Logstash document. Throws
 * {@linkcode EsmondViewError} for a document without `meta.observer` or `test`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { esmondViewOfDocument } from "./document_esmond_view.ts";
 * const view = await esmondViewOfDocument({
 *   test: { type: "rtt", spec: { dest: "192.0.2.1" } },
 *   pscheduler: { tool: "ping", start_time: "2026-07-27T05:45:23+00:00", duration: 10, participants: ["h"] },
 *   meta: { observer: { ip: "192.0.2.9" }, source: { ip: "192.0.2.9" }, destination: { ip: "192.0.2.1" } },
 *   result: { succeeded: true, packets: { sent: 5, lost: 0 } },
 * });
 * deepStrictEqual(view.metadata.source, "192.0.2.9");
 * ```
 */
export async function esmondViewOfDocument(document: unknown): Promise<EsmondView> {
  if (!isObject(document)) throw new EsmondViewError("the document is not a JSON object");
  const test = document.test;
  if (!isObject(test)) throw new EsmondViewError("the document has no test");
  const observer = getPath(document, ["meta", "observer", "ip"]);
  if (typeof observer !== "string") {
    throw new EsmondViewError("the document has no meta.observer.ip (no measurement agent)");
  }
  const ps = isObject(document.pscheduler) ? document.pscheduler : {};
  const participants = Array.isArray(ps.participants) && ps.participants.length > 0
    ? ps.participants
    : [observer];
  const body = {
    test,
    tool: { name: ps.tool },
    schedule: { start: ps.start_time, duration: ps.duration ?? 0 },
    participants,
    run: typeof ps.run_href === "string" ? { href: ps.run_href } : {},
    reference: document.reference ?? null,
    result: rebuiltResult(test.type, document.result),
  };
  const view = await esmondView(body, { resolver: OFFLINE_RESOLVER, measurementAgent: observer });
  const m = view.metadata;
  const source = getPath(document, ["meta", "source", "ip"]);
  const destination = getPath(document, ["meta", "destination", "ip"]);
  m.source = typeof source === "string" ? source : observer;
  if (m["subject-type"] === "point-to-point") {
    m.destination = typeof destination === "string" ? destination : m["input-destination"];
  }
  m["measurement-agent"] = observer;
  return view;
}
