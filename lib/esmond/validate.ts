/**
 * Client-side checks of values before they are posted, per data type (API spec §4.1) and,
 * for `json` event types, per the perfSONAR writers' conventions. Pure functions.
 *
 * @module
 */
import { ArchiveValidationError } from "./errors.ts";
import { eventTypeInfo } from "./event_types.ts";
import { PyFloat } from "./py_json/py_float.ts";
import { orderedEntries, stringifyPyJson } from "./py_json/parse.ts";

function fail(field: string, problem: string): never {
  throw new ArchiveValidationError(field, problem);
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
  } catch {
    return String(v);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat) &&
    !(v instanceof Map);
}

function num(v: unknown): number | undefined {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function checkInteger(v: unknown, field: string): void {
  const n = typeof v === "string" ? (/^\s*-?\d+\s*$/.test(v) ? Number(v) : undefined) : num(v);
  if (n === undefined || !Number.isInteger(n)) fail(field, `must be an integer, got ${show(v)}`);
}

function checkFloat(v: unknown, field: string): void {
  const n = num(v);
  if (n === undefined || !Number.isFinite(n)) {
    fail(field, `must be a finite number, got ${show(v)}`);
  }
}

function checkPercentage(v: unknown, field: string): void {
  if (!isPlainObject(v)) {
    fail(field, `must be an object {numerator, denominator}, got ${show(v)}`);
  }
  for (const part of ["numerator", "denominator"]) {
    if (!(part in v)) fail(`${field}.${part}`, "is missing");
    checkInteger(v[part], `${field}.${part}`);
  }
  if (Number(v.denominator) <= 0) fail(`${field}.denominator`, "must be greater than 0");
  if (Number(v.numerator) < 0) fail(`${field}.numerator`, "must not be negative");
}

function checkHistogram(v: unknown, field: string): void {
  if (!isPlainObject(v) && !(v instanceof Map)) {
    fail(field, `must be an object of bucket → count, got ${show(v)}`);
  }
  for (const [bucket, count] of orderedEntries(v)) {
    checkInteger(count, `${field}[${JSON.stringify(bucket)}]`);
  }
}

function checkSubintervals(v: unknown, field: string): void {
  if (!Array.isArray(v) || v.length === 0) {
    fail(field, `must be a non-empty array of {start, duration, val}, got ${show(v)}`);
  }
  v.forEach((item, i) => {
    const f = `${field}[${i}]`;
    if (!isPlainObject(item)) {
      fail(f, `must be an object {start, duration, val}, got ${show(item)}`);
    }
    for (const part of ["start", "duration"]) {
      if (!(part in item)) fail(`${f}.${part}`, "is missing");
      checkFloat(item[part], `${f}.${part}`);
    }
    if (!("val" in item)) fail(`${f}.val`, "is missing");
  });
}

function checkJson(v: unknown, field: string): void {
  try {
    if (stringifyPyJson(v) === undefined) fail(field, "is not representable as JSON");
  } catch (e) {
    if (e instanceof ArchiveValidationError) throw e;
    fail(field, `is not representable as JSON (${(e as Error).message})`);
  }
  checkNoNonFinite(v, field);
}

function checkNoNonFinite(v: unknown, field: string): void {
  if (typeof v === "number" && !Number.isFinite(v)) fail(field, `must be finite, got ${v}`);
  if (Array.isArray(v)) v.forEach((x, i) => checkNoNonFinite(x, `${field}[${i}]`));
  else if (isPlainObject(v) || v instanceof Map) {
    for (const [k, x] of orderedEntries(v)) checkNoNonFinite(x, `${field}.${k}`);
  }
}

/** Conventions of the perfSONAR writers for some `json` event types. */
function checkJsonConvention(eventType: string, v: unknown, field: string): void {
  if (eventType === "failures") {
    if (!isPlainObject(v) || !("error" in v)) {
      fail(field, `must be {"error": "<message>"}, got ${show(v)}`);
    }
    return;
  }
  if (eventType === "packet-trace") {
    if (!Array.isArray(v)) fail(field, `must be an array of hops, got ${show(v)}`);
    v.forEach((hop, i) => {
      if (!isPlainObject(hop)) fail(`${field}[${i}]`, `must be a hop object, got ${show(hop)}`);
      if (!("ttl" in hop)) fail(`${field}[${i}].ttl`, "is missing");
    });
    return;
  }
  if (eventType === "streams-throughput" || eventType === "streams-packet-retransmits") {
    if (!Array.isArray(v)) {
      fail(field, `must be an array of numbers (one per stream), got ${show(v)}`);
    }
    v.forEach((x, i) => {
      if (x !== null) checkFloat(x, `${field}[${i}]`);
    });
    return;
  }
  if (eventType.startsWith("streams-") && eventType.endsWith("-subintervals")) {
    if (!Array.isArray(v)) fail(field, `must be an array of subinterval lists, got ${show(v)}`);
    v.forEach((list, i) => {
      if (!Array.isArray(list)) fail(`${field}[${i}]`, `must be an array, got ${show(list)}`);
    });
  }
}

/**
 * Throws {@linkcode ArchiveValidationError} naming the field (`val`, `val.denominator`,
 * `val[2].start`, `event-type`) when `val` cannot be stored under `eventType`.
 *
 * @example
 * ```ts
 * import { validateValue } from "./validate.ts";
 * validateValue("throughput", 5978580000); // ok
 * validateValue("packet-loss-rate", { numerator: 4, denominator: 100 }); // ok
 * // validateValue("packet-loss-rate", { numerator: 4, denominator: 0 }); // throws val.denominator
 * ```
 */
export function validateValue(eventType: string, val: unknown, field = "val"): void {
  const info = eventTypeInfo(eventType);
  if (!info) fail("event-type", `unknown event type ${JSON.stringify(eventType)}`);
  if (val === undefined || val === null) fail(field, "is missing");
  switch (info.dataType) {
    case "integer":
      return checkInteger(val, field);
    case "float":
      return checkFloat(val, field);
    case "percentage":
      return checkPercentage(val, field);
    case "histogram":
      return checkHistogram(val, field);
    case "subinterval":
      return checkSubintervals(val, field);
    case "json":
      checkJson(val, field);
      return checkJsonConvention(eventType, val, field);
  }
}

/**
 * Epoch seconds of a point's timestamp (a non-negative integer, a numeric string or a `Date`).
 *
 * @example
 * ```ts
 * import { validateTimestamp } from "./validate.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(validateTimestamp(1398965989), 1398965989);
 * assert.deepEqual(validateTimestamp(new Date(1000)), 1);
 * ```
 */
export function validateTimestamp(ts: unknown, field = "ts"): number {
  let n: number | undefined;
  if (ts instanceof Date) n = Math.trunc(ts.getTime() / 1000);
  else if (typeof ts === "number") n = ts;
  else if (typeof ts === "string" && /^\s*\d+\s*$/.test(ts)) n = Number(ts);
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
    fail(field, `must be a UNIX timestamp in whole seconds, got ${show(ts)}`);
  }
  return n;
}
