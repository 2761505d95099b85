/**
 * The esmond mapping of `throughput` tests: summary values, per-stream values when parallel,
 * and the interval series.
 *
 * @module
 */
import { isObject, type JsonObject, numberOf, truthy } from "../json_value.ts";
import { directFieldMap } from "../spec_parameters.ts";
import type { ArchiverRecord } from "./archiver_record.ts";
import { difference } from "./python_values.ts";
import type { TypeMapping } from "./type_mapping.ts";

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

/** `throughput`. */
export const THROUGHPUT: TypeMapping = {
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
