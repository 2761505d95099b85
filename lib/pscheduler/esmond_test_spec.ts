/**
 * The pScheduler test of an esmond metadata: test type (from `pscheduler-test-type` or the
 * event types), `test.spec` by inverting pScheduler's esmond-archiver parameter mapping (spec
 * §4.1.3 read backwards, §4.3), and the tool name. Pure.
 *
 * What esmond cannot tell is left out and named in {@linkcode ReconstructedTest.gaps}.
 *
 * @module
 */

/** The pScheduler test rebuilt from one esmond metadata. */
export interface ReconstructedTest {
  /** pScheduler test type (`latency`, `latencybg`, `throughput`, `rtt`, `trace`, or other). */
  readonly type: string;
  /** `test.spec`. */
  readonly spec: Record<string, unknown>;
  /** `pscheduler.tool` (tool-name without `pscheduler/`, `bwctl/`), or `null`. */
  readonly tool: string | null;
  /** What could not be reconstructed (for the end report). */
  readonly gaps: string[];
}

import { SPEC_PARAMETERS, type SpecConversion } from "./spec_parameters.ts";

/** The test type used for esmond metadata no pScheduler type fits (raw values kept). */
export const CUSTOM_TEST_TYPE = "esmond";

// esmond parameter → [spec field, conversion] per test type: the one table, inverted.
const PARAMETERS: Readonly<
  Record<string, Readonly<Record<string, readonly [string, SpecConversion]>>>
> = Object.fromEntries(
  Object.entries(SPEC_PARAMETERS).map(([type, rows]) => [
    type,
    Object.fromEntries(rows.map((r) => [r.parameter, [r.field, r.convert] as const])),
  ]),
);

/** Metadata fields that are not test parameters. */
const NOT_PARAMETERS = new Set([
  "metadata-key",
  "uri",
  "url",
  "subject-type",
  "source",
  "destination",
  "measurement-agent",
  "input-source",
  "input-destination",
  "tool-name",
  "event-types",
  "time-duration",
  "time-interval",
  "time-interval-randomization",
  "pscheduler-test-type",
  "metadata-count-total",
  "metadata-previous-page",
  "metadata-next-page",
  "ip-transport-protocol",
]);

/**
 * An ISO 8601 duration for a number of seconds (`19` → `PT19S`, `0.5` → `PT0.5S`).
 *
 * @example
 * ```ts
 * import { isoDuration } from "./esmond_test_spec.ts";
 * if (isoDuration(19) !== "PT19S" || isoDuration(0.25) !== "PT0.25S") throw new Error();
 * ```
 */
export function isoDuration(seconds: number): string {
  // 15 significant digits drop the noise of unit conversions (8.96 / 1000).
  return `PT${String(Number(seconds.toPrecision(15)))}S`;
}

function convert(value: unknown, how: SpecConversion): unknown {
  const text = typeof value === "string" ? value.trim() : value;
  const number = typeof text === "number"
    ? text
    : typeof text === "string" && text !== ""
    ? Number(text)
    : NaN;
  switch (how) {
    case "int":
    case "number":
      return Number.isFinite(number) && (how === "number" || Number.isInteger(number))
        ? number
        : value;
    case "bool":
      if (text === true || text === "true" || text === "True" || text === "1" || text === 1) {
        return true;
      }
      if (text === false || text === "false" || text === "False" || text === "0" || text === 0) {
        return false;
      }
      return value;
    case "iso":
      return Number.isFinite(number) ? isoDuration(number) : value;
    case "iso-or-text":
      return typeof text === "string" && text.startsWith("P")
        ? text
        : Number.isFinite(number)
        ? isoDuration(number)
        : value;
    default:
      return value;
  }
}

/**
 * The pScheduler test type of a metadata.
 *
 * @example
 * ```ts
 * import { testTypeOf } from "./esmond_test_spec.ts";
 * testTypeOf({ "tool-name": "powstream" }, ["histogram-owdelay"]); // "latencybg"
 * testTypeOf({}, ["throughput", "packet-retransmits"]); // "throughput"
 * ```
 */
export function testTypeOf(
  md: Readonly<Record<string, unknown>>,
  eventTypes: readonly string[],
): string {
  const given = md["pscheduler-test-type"];
  if (typeof given === "string" && given !== "") return given;
  const has = (name: string) => eventTypes.includes(name);
  if (has("histogram-owdelay")) {
    return /powstream/.test(String(md["tool-name"] ?? "")) ? "latencybg" : "latency";
  }
  if (has("histogram-rtt")) return "rtt";
  if (has("throughput")) return "throughput";
  if (has("packet-trace")) return "trace";
  return CUSTOM_TEST_TYPE;
}

/**
 * The tool name as pScheduler names it.
 *
 * @example
 * ```ts
 * import { toolOf } from "./esmond_test_spec.ts";
 * toolOf("bwctl/iperf3"); // "iperf3"
 * toolOf("pscheduler/powstream"); // "powstream"
 * ```
 */
export function toolOf(toolName: unknown): string | null {
  if (typeof toolName !== "string" || toolName === "") return null;
  // `bwctl/iperf3`, `pscheduler/powstream`, `owamp/powstream`: pScheduler names the tool only.
  return toolName.slice(toolName.lastIndexOf("/") + 1);
}

/**
 * Rebuilds the pScheduler test of a metadata.
 *
 * @example
 * ```ts
 * import { reconstructTest } from "./esmond_test_spec.ts";
 * const t = reconstructTest({
 *   "input-source": "a.example.net", "input-destination": "b.example.net",
 *   "tool-name": "bwctl/iperf3", "ip-transport-protocol": "udp",
 *   "bw-parallel-streams": "2",
 * }, ["throughput"]);
 * if (JSON.stringify(t.spec) !== '{"source":"a.example.net","dest":"b.example.net","schema":1,"parallel":2,"udp":true}') {
 *   throw new Error(JSON.stringify(t.spec));
 * }
 * ```
 */
export function reconstructTest(
  md: Readonly<Record<string, unknown>>,
  eventTypes: readonly string[],
): ReconstructedTest {
  const type = testTypeOf(md, eventTypes);
  const gaps: string[] = [];
  const spec: Record<string, unknown> = {};
  const source = md["input-source"] ?? md.source;
  const dest = md["input-destination"] ?? md.destination;
  if (typeof source === "string" && source !== "") spec.source = source;
  if (typeof dest === "string" && dest !== "") spec.dest = dest;
  spec.schema = 1;
  const table = PARAMETERS[type === "latencybg" ? "latency" : type];
  const prefix = `pscheduler-${type}-`;
  for (const [key, value] of Object.entries(md)) {
    if (NOT_PARAMETERS.has(key) || value === null || value === undefined) continue;
    const mapped = table?.[key];
    if (mapped !== undefined) spec[mapped[0]] = convert(value, mapped[1]);
    else if (key.startsWith(prefix)) spec[key.slice(prefix.length)] = value;
    else if (key.startsWith("pscheduler-reference-")) continue;
    else gaps.push(`parameter ${key} has no pScheduler ${type} spec field`);
  }
  if (type === "throughput") {
    // time-duration is the run's scheduled duration (test plus slack), not spec.duration.
    // esmond-ps-pipe (as bwctl did) writes "UDP".
    if (String(md["ip-transport-protocol"]).toLowerCase() === "udp") spec.udp = true;
  } else if (type === "trace" && typeof md["ip-transport-protocol"] === "string") {
    spec["probe-type"] = md["ip-transport-protocol"];
  }
  if (type === CUSTOM_TEST_TYPE) gaps.push("no pScheduler test type fits its event types");
  return { type, spec, tool: toolOf(md["tool-name"]), gaps };
}
