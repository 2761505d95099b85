/**
 * The esmond mapping of `latency` and `latencybg` tests (owping/powstream).
 *
 * @module
 */
import { directFieldMap } from "../spec_parameters.ts";
import type { TypeMapping } from "./type_mapping.ts";

/** `latency` and `latencybg`. */
export const LATENCY: TypeMapping = {
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
