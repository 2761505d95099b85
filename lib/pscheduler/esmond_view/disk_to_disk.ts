/**
 * The esmond mapping of `disk-to-disk` tests: the throughput, and the whole spec flattened into
 * the metadata.
 *
 * @module
 */
import { float, numberOf } from "../json_value.ts";
import type { TypeMapping } from "./type_mapping.ts";
import { EsmondViewError } from "./types.ts";

/** `disk-to-disk`. */
export const DISK_TO_DISK: TypeMapping = {
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
