/**
 * The esmond view of a run (spec §4.1): the metadata POST body and bulk data PUT body that
 * pScheduler's esmond archiver (`pscheduler-archiver-esmond`, `esmond_util.py`) would send
 * for the same http-archiver body. Pure; names through an injected resolver.
 *
 * @module
 */
import {
  float,
  getPath,
  isObject,
  jsonValueProblem,
  MAX_JSON_DEPTH,
  truthy,
} from "../json_value.ts";
import { parseAddresses } from "./addresses.ts";
import { ArchiverRecord } from "./archiver_record.ts";
import { MAPPED, rawMapping } from "./mappings.ts";
import { seconds } from "./python_values.ts";
import { groupSummaries } from "./summaries.ts";
import type { TypeMapping } from "./type_mapping.ts";
import { type EsmondView, EsmondViewError, type EsmondViewOptions } from "./types.ts";

/** The `failures` error the esmond archiver records for a failed run that gave no error. */
export const UNSPECIFIED_FAILURE =
  "The test failed for an unspecified reason. See the server logs of the testing host(s).";

function epochSeconds(iso: unknown): number {
  if (typeof iso !== "string") throw new EsmondViewError("schedule.start is missing");
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new EsmondViewError(`schedule.start is not an ISO 8601 time: ${iso}`);
  return Math.floor(ms / 1000);
}

/**
 * The metadata and data pScheduler's esmond archiver would send for an http-archiver body.
 * Throws {@linkcode EsmondViewError} where the archiver would fail on the body.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { esmondView } from "./view.ts";
 * import { OFFLINE_RESOLVER } from "../resolver.ts";
 * const view = await esmondView({
 *   test: { type: "rtt", spec: { dest: "192.0.2.1" } },
 *   tool: { name: "ping" },
 *   schedule: { start: "2026-07-27T05:45:23+00:00", duration: "PT10S" },
 *   participants: ["192.0.2.9"],
 *   result: { succeeded: true, sent: 5, lost: 0 },
 * }, { resolver: OFFLINE_RESOLVER });
 * deepStrictEqual(view.metadata["tool-name"], "pscheduler/ping");
 * deepStrictEqual(view.data.data[0].ts, 1785131123);
 * ```
 */
export async function esmondView(body: unknown, options: EsmondViewOptions): Promise<EsmondView> {
  if (!isObject(body)) throw new EsmondViewError("the body is not a JSON object");
  const problem = options.bodyChecked ? undefined : jsonValueProblem(body, MAX_JSON_DEPTH);
  if (problem !== undefined) throw new EsmondViewError(problem);
  let test = body.test;
  if (!truthy(test, "python")) test = getPath(body, ["task", "test"]);
  if (!isObject(test) || !truthy(test, "python")) {
    throw new EsmondViewError("Unable to find test definition in JSON given to plugin");
  }
  const type = test.type;
  if (typeof type !== "string") throw new EsmondViewError("test.type is missing");
  const spec = isObject(test.spec) ? test.spec : {};
  const reference = body.reference;
  const result = isObject(body.result) ? body.result : {};
  const toolName = getPath(body, ["tool", "name"]);
  if (typeof toolName !== "string") throw new EsmondViewError("tool.name is missing");
  const ts = epochSeconds(getPath(body, ["schedule", "start"]));
  if (!Array.isArray(body.participants) || body.participants.length === 0) {
    throw new EsmondViewError("participants is missing");
  }
  const lead = body.participants[0];
  const duration = float(seconds(getPath(body, ["schedule", "duration"]), "schedule.duration"));
  const runHref = getPath(body, ["run", "href"]);
  const policy = options.dataFormattingPolicy ?? "prefer-mapped";
  const summaries = groupSummaries(options.summaries);
  let mapping: TypeMapping;
  let raw = false;
  let addRaw = policy === "mapped-and-raw";
  if (policy === "raw-only") {
    mapping = rawMapping(type);
    raw = true;
  } else if (Object.hasOwn(MAPPED, type)) {
    mapping = MAPPED[type];
    if (type === "disk-to-disk") addRaw = true;
  } else if (policy === "mapped-only") {
    throw new EsmondViewError(
      `Unable to store result because 'mapped-only' policy is being used and the test is of an unrecognized type ${type}`,
    );
  } else {
    mapping = rawMapping(type);
    raw = true;
    addRaw = false;
  }

  const rec = new ArchiverRecord(summaries);
  rec.metadata["pscheduler-test-type"] = type;
  const ipVersion = Object.hasOwn(spec, "ip-version") ? spec["ip-version"] : null;
  await parseAddresses(rec, spec, type, raw, ipVersion, lead, options);
  rec.metadata["tool-name"] = `pscheduler/${toolName}`;
  rec.metadata["time-duration"] = duration;
  for (const et of mapping.eventTypes(spec)) rec.addEventType(et);
  if (truthy(runHref, "python")) rec.addEventType("pscheduler-run-href");
  for (const [field, key] of Object.entries(mapping.fieldMap)) {
    if (Object.hasOwn(spec, field)) rec.metadata[key] = spec[field];
  }
  mapping.additionalMetadata?.(rec, spec);
  if (isObject(reference)) {
    for (const [k, v] of Object.entries(reference)) {
      if (!k.startsWith("_")) rec.flatten(`pscheduler-reference-${k}`, v);
    }
  }
  if (truthy(result.succeeded, "python")) {
    for (const [field, et] of Object.entries(mapping.dataFieldMap ?? {})) {
      if (!Object.hasOwn(result, field)) continue;
      const v = result[field];
      if (isObject(v) && Object.keys(v).length === 0) continue;
      rec.add(et, v);
    }
    mapping.additionalData?.(rec, spec, result);
  } else {
    const error = truthy(result.error, "python") ? result.error : UNSPECIFIED_FAILURE;
    rec.add("failures", { error });
  }
  if (truthy(runHref, "python")) rec.add("pscheduler-run-href", { href: runHref });
  if (addRaw) {
    rec.addEventType("pscheduler-raw", {});
    rec.add("pscheduler-raw", result);
  }
  return { metadata: rec.metadata, data: { data: [{ ts, val: rec.values }] } };
}
