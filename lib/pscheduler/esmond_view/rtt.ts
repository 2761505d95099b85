/**
 * The esmond mapping of `rtt` tests: round-trip and TTL histograms, counts and loss rate.
 *
 * @module
 */
import { PyFloat } from "../../esmond/py_json/py_float.ts";
import { float, isObject, type JsonObject, truthy } from "../json_value.ts";
import { directFieldMap } from "../spec_parameters.ts";
import { fixed2, seconds } from "./python_values.ts";
import type { TypeMapping } from "./type_mapping.ts";

/** `rtt`. */
export const RTT: TypeMapping = {
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
