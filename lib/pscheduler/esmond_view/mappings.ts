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
import type { JsonObject } from "../json_value.ts";
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

/**
 * The event types the esmond archiver registers for a run of a mapped `type` with `spec`
 * (`pscheduler-run-href` aside), or `undefined` for a type stored raw.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { mappedEventTypes } from "./mappings.ts";
 * deepStrictEqual(mappedEventTypes("trace", { algorithm: "paris-traceroute" }), [
 *   "failures", "packet-trace", "path-mtu", "packet-trace-multi",
 * ]);
 * deepStrictEqual(mappedEventTypes("dns", {}), undefined);
 * ```
 */
export function mappedEventTypes(type: string, spec: JsonObject): string[] | undefined {
  return Object.hasOwn(MAPPED, type) ? MAPPED[type].eventTypes(spec) : undefined;
}
