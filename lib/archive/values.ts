/**
 * Validation and normalisation of posted values, one rule set per esmond data type
 * (spec §4.1). Pure functions: a posted JSON value in, a stored value or a 400 message out.
 *
 * @module
 */
import type { DataType } from "../esmond/event_types.ts";
import {
  isPyObject,
  PyNum,
  PyObject,
  type PyValue,
  stringifyPyJsonTree,
} from "../esmond/py_json/mod.ts";

/** A value failed validation; the message is what the client sees in `detail`. */
export class ValueError extends Error {
  /** @example `new ValueError("Value must be an integer")` */
  constructor(message: string) {
    super(message);
    this.name = "ValueError";
  }
}

/** A normalised value ready to store. */
export type StoredValue =
  | { readonly kind: "integer"; readonly n: number }
  | { readonly kind: "float"; readonly scaled: number }
  | { readonly kind: "percentage"; readonly numerator: number; readonly denominator: number }
  | { readonly kind: "histogram"; readonly buckets: PyObject }
  | { readonly kind: "opaque"; readonly text: string };

const INT_TEXT = /^\s*[+-]?\d+\s*$/;
const FLOAT_TEXT =
  /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)\s*$/i;

/**
 * Python's `int(x)` for a JSON value: integers, floats truncated, integer strings, booleans.
 * Returns undefined where Python raises.
 *
 * @example
 * ```ts
 * import { pyInt } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pyInt("12"), 12);
 * assert.deepEqual(pyInt("12.5"), undefined);
 * ```
 */
export function pyInt(value: PyValue | undefined): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (value instanceof PyNum) return Math.trunc(value.value);
  if (typeof value === "string" && INT_TEXT.test(value)) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** The largest `ts` the archive stores: the largest integer a double holds exactly. */
export const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/**
 * A data point's `ts` as a UNIX timestamp: an integer (number, or digits in a string) from 0
 * to {@linkcode MAX_TIMESTAMP}; a float is truncated as Python's `int()` does. Undefined for
 * anything else — booleans, out-of-range or non-finite numbers — which the archive refuses.
 *
 * @example
 * ```ts
 * import { pyTimestamp } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pyTimestamp("1391563070"), 1391563070);
 * assert.equal(pyTimestamp(true), undefined);
 * ```
 */
export function pyTimestamp(value: PyValue | undefined): number | undefined {
  if (typeof value === "boolean") return undefined;
  if (value instanceof PyNum && !value.isFloat && value.intText !== undefined) {
    const big = BigInt(value.intText);
    return big >= 0n && big <= BigInt(MAX_TIMESTAMP) ? Number(big) : undefined;
  }
  const ts = pyInt(value);
  return ts !== undefined && ts >= 0 && ts <= MAX_TIMESTAMP ? ts : undefined;
}

/**
 * Python's `float(x)` for a JSON value, or undefined where Python raises (or gives inf/nan,
 * which JSON cannot carry back).
 *
 * @example
 * ```ts
 * import { pyFloatOf } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pyFloatOf("0.5"), 0.5);
 * ```
 */
export function pyFloatOf(value: PyValue | undefined): number | undefined {
  let n: number | undefined;
  if (typeof value === "boolean") n = value ? 1 : 0;
  else if (typeof value === "number") n = value;
  else if (value instanceof PyNum) n = value.value;
  else if (typeof value === "string" && FLOAT_TEXT.test(value)) n = Number(value.trim());
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

function validateHistogram(value: PyValue): PyObject {
  if (!isPyObject(value)) throw new ValueError("Invalid histogram provided");
  // The common case, integer counts already, needs no copy.
  if (value.entries.every(([, count]) => Number.isSafeInteger(count))) return value;
  const buckets = new PyObject();
  for (const [key, count] of value.entries) {
    const n = pyInt(count);
    if (n === undefined) throw new ValueError("Value of histogram must be an integer");
    buckets.set(key, n);
  }
  return buckets;
}

function validateSubintervals(value: PyValue): string {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ValueError("Subinterval value must be a non-empty array");
  }
  value.forEach((item, i) => {
    if (!isPyObject(item)) throw new ValueError(`Interval at position ${i} must be an object`);
    for (const field of ["start", "duration"]) {
      if (!item.has(field)) {
        throw new ValueError(`Interval must contain '${field}' field at position ${i}`);
      }
      if (pyFloatOf(item.get(field)) === undefined) {
        throw new ValueError(`Interval field '${field}' must be a number at position ${i}`);
      }
    }
    if (!item.has("val")) {
      throw new ValueError(`Interval must contain 'val' field at position ${i}`);
    }
  });
  return stringifyPyJsonTree(value);
}

/**
 * Checks `value` against the rules of `dataType` and returns what to store.
 * Throws {@linkcode ValueError} with esmond's message otherwise.
 *
 * @example
 * ```ts
 * import { validateValue } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(validateValue("integer", "42"), { kind: "integer", n: 42 });
 * ```
 */
export function validateValue(dataType: DataType, value: PyValue): StoredValue {
  switch (dataType) {
    case "integer": {
      const n = pyInt(value);
      if (n === undefined) throw new ValueError("Value must be an integer");
      return { kind: "integer", n };
    }
    case "float": {
      const f = pyFloatOf(value);
      if (f === undefined) throw new ValueError("Value must be a floating point number");
      return { kind: "float", scaled: Math.trunc(f * 10000) };
    }
    case "percentage": {
      if (!isPyObject(value)) {
        throw new ValueError("Percentage value must be an object with numerator and denominator");
      }
      for (const field of ["numerator", "denominator"]) {
        if (!value.has(field)) throw new ValueError(`Missing required field '${field}'`);
      }
      const numerator = pyInt(value.get("numerator"));
      const denominator = pyInt(value.get("denominator"));
      if (numerator === undefined) throw new ValueError("The field 'numerator' must be an integer");
      if (denominator === undefined) {
        throw new ValueError("The field 'denominator' must be an integer");
      }
      if (denominator <= 0) throw new ValueError("The field 'denominator' must be greater than 0");
      if (numerator < 0) throw new ValueError("The field 'numerator' cannot be negative");
      return { kind: "percentage", numerator, denominator };
    }
    case "histogram":
      return { kind: "histogram", buckets: validateHistogram(value) };
    case "subinterval":
      return { kind: "opaque", text: validateSubintervals(value) };
    case "json":
      return { kind: "opaque", text: stringifyPyJsonTree(value) };
  }
}
