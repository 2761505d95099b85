/**
 * The one list of test types the esmond archiver maps, and the raw mapping of all others.
 *
 * @module
 */
import { DISK_TO_DISK } from "./disk_to_disk.ts";
import { LATENCY } from "./latency.ts";
import { RTT } from "./rtt.ts";
import { THROUGHPUT } from "./throughput.ts";
import { TRACE } from "./trace.ts";
import type { TypeMapping } from "./type_mapping.ts";

/** The mapped test types. */
export const MAPPED: Readonly<Record<string, TypeMapping>> = {
  latency: LATENCY,
  latencybg: LATENCY,
  throughput: THROUGHPUT,
  trace: TRACE,
  rtt: RTT,
  "disk-to-disk": DISK_TO_DISK,
};

/** A type stored raw: one `pscheduler-raw` value, the spec flattened into the metadata. */
export function rawMapping(type: string): TypeMapping {
  return {
    eventTypes: () => ["pscheduler-raw"],
    fieldMap: {},
    additionalMetadata: (rec, spec) => {
      for (const [k, v] of Object.entries(spec)) rec.flatten(`pscheduler-${type}-${k}`, v);
    },
    additionalData: (rec, _spec, result) => rec.add("pscheduler-raw", result),
  };
}
