/**
 * The esmond mapping of `trace` tests: the hops of the first path, the path MTU, and all paths
 * for paris-traceroute.
 *
 * @module
 */
import { float, isObject, type JsonObject, numberOf, truthy } from "../json_value.ts";
import { directFieldMap } from "../spec_parameters.ts";
import type { ArchiverRecord } from "./archiver_record.ts";
import { seconds } from "./python_values.ts";
import type { TypeMapping } from "./type_mapping.ts";

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

/** `trace`. */
export const TRACE: TypeMapping = {
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
