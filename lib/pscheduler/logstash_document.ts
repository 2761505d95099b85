/**
 * perfSONAR's Logstash pipeline (`pipeline/01 … 99`, spec §2) as one pure function:
 * http-archiver body + request context → the index name and document Logstash would write.
 * GeoIP (stage 05) is not applied: no `meta.*.geo` / `meta.*.as` fields, no tag.
 *
 * @module
 */
import { testChecksum } from "./canonical_json.ts";
import { endpointHost } from "./endpoint.ts";
import { normalizeEndpoints } from "./endpoint_meta.ts";
import { RubyException } from "./iso_duration.ts";
import {
  copyJsonValue,
  getPath,
  hasPath,
  isObject,
  type JsonObject,
  JsonValueError,
  jsonValueProblem,
  MAX_JSON_DEPTH,
  numberOf,
  parseJson,
  removePath,
  renamePath,
} from "./json_value.ts";
import { convertDurations, reshapeResult } from "./result_stages.ts";
import type { NameResolver } from "./resolver.ts";

/** The request context of one http-archiver post. */
export interface RequestContext {
  /** The `x-ps-observer` header value, if sent. */
  readonly observer?: string;
  /** The client address Logstash sees (`host`; behind Apache `127.0.0.1`). */
  readonly clientAddress?: string;
  /** Receipt time (`@timestamp`). */
  readonly receivedAt?: Date;
  /** Name service for stage 03. */
  readonly resolver: NameResolver;
}

/** One event as Logstash would index it. */
export interface LogstashOutput {
  /** `pscheduler_<test.type>`. */
  readonly index: string;
  /** The document (`_source`). */
  readonly document: JsonObject;
}

/** Why a body yields no document (Logstash drops it). */
export class DroppedEvent extends Error {}

const RENAMES: readonly [string[], string[]][] = [
  [["task", "schedule"], ["schedule"]],
  [["run", "added"], ["pscheduler", "added"]],
  [["run", "start-time"], ["pscheduler", "start_time"]],
  [["run", "end-time"], ["pscheduler", "end_time"]],
  [["participants"], ["pscheduler", "participants"]],
  [["tool", "name"], ["pscheduler", "tool"]],
  [["task", "detail", "duration"], ["pscheduler", "duration"]],
  [["task", "href"], ["pscheduler", "task_href"]],
  [["run", "href"], ["pscheduler", "run_href"]],
];

function addTag(event: JsonObject, tag: string): void {
  const tags = Array.isArray(event.tags) ? event.tags : (event.tags = []) as unknown[];
  if (!tags.includes(tag)) tags.push(tag);
}

function dissect(event: JsonObject, source: string[], delimiter: string, target: string[]): void {
  if (!hasPath(event, source)) return;
  const value = getPath(event, source);
  const text = typeof value === "string" ? value : value === null ? "" : String(value);
  const at = text.indexOf(delimiter);
  if (text === "" || at < 0) {
    addTag(event, "_dissectfailure");
    return;
  }
  const pscheduler = event.pscheduler as JsonObject;
  pscheduler[target[1]] = text.slice(at + delimiter.length);
}

// Stage 02 step 1: a `message` field (what the plain codec makes of a non-JSON content type;
// here a body's own key of that name) is parsed as JSON and its keys become fields. Text that
// is not a JSON object leaves `message` as it is, tagged `_jsonparsefailure`; null is passed over.
function expandMessage(event: JsonObject, tag: (event: JsonObject, tag: string) => void): void {
  if (!Object.hasOwn(event, "message") || event.message === null) return;
  let parsed: unknown;
  try {
    parsed = typeof event.message === "string" ? parseJson(event.message) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed) || jsonValueProblem(parsed, MAX_JSON_DEPTH) !== undefined) {
    tag(event, "_jsonparsefailure");
    return;
  }
  delete event.message;
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "@timestamp" || key === "@version") continue;
    event[key] = value;
  }
}

/**
 * An OpenSearch index-name problem, or undefined when `name` is a valid index name.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { indexNameProblem } from "./logstash_document.ts";
 * deepStrictEqual(indexNameProblem("pscheduler_rtt"), undefined);
 * deepStrictEqual(indexNameProblem("pscheduler_A"), "must be lowercase");
 * ```
 */
export function indexNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return "must be lowercase";
  if (/[\\/*?"<>| ,#:]/.test(name)) {
    return 'must not contain \\, /, *, ?, ", <, >, |, space, comma, # or :';
  }
  if (new TextEncoder().encode(name).length > 255) return "is longer than 255 bytes";
  return undefined;
}

/**
 * The index and document Logstash would produce for one http-archiver body (one element when
 * the body was a JSON array). Throws {@linkcode DroppedEvent} when Logstash writes nothing
 * (not an object, no `test.type`) or OpenSearch would refuse the index name.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { logstashDocument } from "./logstash_document.ts";
 * import { OFFLINE_RESOLVER } from "./resolver.ts";
 * const { index, document } = await logstashDocument(
 *   { test: { type: "rtt", spec: { dest: "1.1.1.1", schema: 1 } }, tool: { name: "ping" } },
 *   { observer: "192.0.2.9", resolver: OFFLINE_RESOLVER },
 * );
 * deepStrictEqual(index, "pscheduler_rtt");
 * deepStrictEqual(
 *   (document.pscheduler as Record<string, unknown>).test_checksum,
 *   "b8834f45975ba7c45edad959caf379bca1db251c98f75e736acec2734131b10a",
 * );
 * ```
 */
export async function logstashDocument(
  body: unknown,
  context: RequestContext,
): Promise<LogstashOutput> {
  if (!isObject(body)) throw new DroppedEvent("the body is not a JSON object");
  // Stage 01: the body's keys, `headers` (removed again in 02), host, @timestamp, @version.
  const host = context.clientAddress ?? "127.0.0.1";
  // `host` keeps the place it had before a body could name it (stored bytes stay as they were).
  const event: JsonObject = {
    "@timestamp": (context.receivedAt ?? new Date()).toISOString(),
    "@version": "1",
    host,
  };
  // Deeper than MAX_JSON_DEPTH or holding a number beyond the float range: dropped, as
  // Logstash's JSON decoder refuses such a body (OpenSearch has no form for ±Infinity).
  let copy: JsonObject;
  try {
    copy = copyJsonValue(body, MAX_JSON_DEPTH);
  } catch (error) {
    if (error instanceof JsonValueError) throw new DroppedEvent(error.message);
    throw error;
  }
  for (const [key, value] of Object.entries(copy)) {
    if (key === "@timestamp" || key === "@version") continue;
    event[key] = value;
  }
  // The input sets `host` and `headers` after decoding the body, so a body's own fields of
  // those names never survive.
  event.host = host;
  delete event.headers;
  const onRuby = () => addTag(event, "_rubyexception");

  // Stage 02.
  expandMessage(event, addTag);
  delete event.schedule;
  for (const [from, to] of RENAMES) renamePath(event, from, to);
  delete event.run;
  delete event.task;
  delete event.tool;
  if (isObject(event.pscheduler)) {
    dissect(event, ["pscheduler", "task_href"], "/tasks/", ["pscheduler", "task_id"]);
    dissect(event, ["pscheduler", "run_href"], "/runs/", ["pscheduler", "run_id"]);
  }
  const observerHeader = context.observer;
  try {
    const checksum = testChecksum(
      event.test,
      getPath(event, ["meta", "observer", "ip"]),
      getPath(event, ["pscheduler", "tool"]),
    );
    const pscheduler = isObject(event.pscheduler) ? event.pscheduler : (event.pscheduler = {});
    (pscheduler as JsonObject).test_checksum = checksum;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    onRuby();
  }

  // Stage 03.
  try {
    const source = endpointHost(getPath(event, ["test", "spec", "source"]));
    const dest = endpointHost(getPath(event, ["test", "spec", "dest"]));
    const observer = observerHeader !== undefined && observerHeader !== ""
      ? observerHeader
      : endpointHost(getPath(event, ["pscheduler", "task_href"]));
    await normalizeEndpoints(
      event,
      { source, dest, observer, ipVersion: getPath(event, ["test", "spec", "ip-version"]) },
      context.resolver,
    );
  } catch (error) {
    if (!(error instanceof RubyException)) throw error;
    onRuby();
  }

  // Stage 04.
  convertDurations(event, [
    ["pscheduler", "duration"],
    ["schedule", "slip"],
    ["schedule", "repeat"],
  ], onRuby);

  // Stage 06.
  const type = getPath(event, ["test", "type"]);
  reshapeResult(event, type, onRuby);

  // Stage 99.
  if (type === undefined || type === null || type === false || type === "") {
    throw new DroppedEvent("the body has no test.type (Logstash drops such events)");
  }
  // `pscheduler_%{[test][type]}`: sprintf prints scalars as text (`true`, `7`, `4.0`);
  // an object or list would make a name no index can have.
  if (typeof type !== "string" && typeof type !== "boolean" && numberOf(type) === undefined) {
    throw new DroppedEvent("test.type is not a string");
  }
  const index = `pscheduler_${String(type)}`;
  const problem = indexNameProblem(index);
  if (problem) throw new DroppedEvent(`index name ${index} ${problem} (OpenSearch refuses it)`);
  removePath(event, ["@metadata"]);
  return { index, document: event };
}
