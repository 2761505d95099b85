/**
 * The one table of pScheduler spec fields and the esmond metadata parameters they become
 * (spec §4.1.3), per test type. pScheduler's esmond archiver copies the `direct` fields as they
 * are and turns the `seconds` fields (ISO 8601 durations) into float seconds; reading a
 * document back (`lib/opensearch/document_view.ts`) copies both; rebuilding a spec from esmond
 * metadata (`esmond_test_spec.ts`) goes the other way with each row's conversion.
 *
 * @module
 */

/** How an esmond parameter's text becomes the spec field's value again. */
export type SpecConversion = "int" | "number" | "bool" | "text" | "iso" | "iso-or-text";

/** One spec field ↔ esmond parameter row. */
export interface SpecParameter {
  /** The pScheduler spec field. */
  readonly field: string;
  /** The esmond metadata parameter. */
  readonly parameter: string;
  /** `direct`: copied by the esmond archiver; `seconds`: an ISO duration posted as seconds. */
  readonly kind: "direct" | "seconds";
  /** The conversion from the parameter back to the field. */
  readonly convert: SpecConversion;
  /** Only read back (an older parameter name for the field), never written. */
  readonly alias?: true;
}

function row(
  field: string,
  parameter: string,
  convert: SpecConversion,
  kind: "direct" | "seconds" = "direct",
): SpecParameter {
  return { field, parameter, kind, convert };
}

/**
 * The rows per test type (`latencybg` uses `latency`'s), in the esmond archiver's order.
 *
 * @example
 * ```ts
 * import { SPEC_PARAMETERS } from "./spec_parameters.ts";
 * import { strictEqual } from "node:assert/strict";
 * const parallel = SPEC_PARAMETERS.throughput.find((r) => r.field === "parallel");
 * strictEqual(parallel?.parameter, "bw-parallel-streams");
 * ```
 */
export const SPEC_PARAMETERS: Readonly<Record<string, readonly SpecParameter[]>> = {
  latency: [
    row("packet-count", "sample-size", "int"),
    row("bucket-width", "sample-bucket-width", "number"),
    row("packet-interval", "time-probe-interval", "number"),
    { ...row("packet-interval", "ip-packet-interval", "number"), alias: true },
    row("packet-timeout", "time-probe-timeout", "number"),
    row("ip-tos", "ip-tos", "int"),
    row("flip", "mode-flip", "bool"),
    row("packet-padding", "ip-packet-padding", "int"),
    row("single-participant-mode", "mode-single-participant", "bool"),
  ],
  throughput: [
    row("tos", "ip-tos", "int"),
    row("dscp", "ip-dscp", "int"),
    row("buffer-length", "bw-buffer-size", "int"),
    row("parallel", "bw-parallel-streams", "int"),
    row("bandwidth", "bw-target-bandwidth", "int"),
    row("window-size", "tcp-window-size", "int"),
    row("dynamic-window-size", "tcp-dynamic-window-size", "int"),
    row("mss", "tcp-max-segment-size", "int"),
    row("omit", "bw-ignore-first-seconds", "iso-or-text"),
  ],
  trace: [
    row("algorithm", "trace-algorithm", "text"),
    row("first-ttl", "trace-first-ttl", "int"),
    row("fragment", "ip-fragment", "bool"),
    row("hops", "trace-max-ttl", "int"),
    row("length", "ip-packet-size", "int"),
    row("probe-type", "ip-transport-protocol", "text"),
    row("queries", "trace-num-queries", "int"),
    row("tos", "ip-tos", "int"),
    row("sendwait", "time-probe-interval", "iso", "seconds"),
    row("wait", "time-test-timeout", "iso", "seconds"),
  ],
  rtt: [
    row("count", "sample-size", "int"),
    row("flowlabel", "ip-packet-flowlabel", "int"),
    row("tos", "ip-tos", "int"),
    row("length", "ip-packet-size", "int"),
    row("ttl", "ip-ttl", "int"),
    row("interval", "time-probe-interval", "iso", "seconds"),
    row("timeout", "time-test-timeout", "iso", "seconds"),
    row("deadline", "time-probe-timeout", "iso", "seconds"),
  ],
};

/**
 * The rows of `testType` (`latencybg` → `latency`), empty for types without a table.
 *
 * @example
 * ```ts
 * import { specParameters } from "./spec_parameters.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(specParameters("latencybg")[0].parameter, "sample-size");
 * strictEqual(specParameters("dns").length, 0);
 * ```
 */
export function specParameters(testType: string): readonly SpecParameter[] {
  return SPEC_PARAMETERS[testType === "latencybg" ? "latency" : testType] ?? [];
}

/**
 * The esmond archiver's field map of `testType`: spec field → parameter of the `direct` rows.
 *
 * @example
 * ```ts
 * import { directFieldMap } from "./spec_parameters.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(directFieldMap("trace")["sendwait"], undefined);
 * strictEqual(directFieldMap("trace")["hops"], "trace-max-ttl");
 * ```
 */
export function directFieldMap(testType: string): Readonly<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const r of specParameters(testType)) {
    if (r.kind === "direct" && !r.alias) map[r.field] = r.parameter;
  }
  return map;
}
