/**
 * The {@linkcode PyValue} tree that `parsePyJsonTree(JSON.stringify(value))` would give for a
 * value of plain objects, arrays, numbers and {@linkcode PyFloat}s, built without the text in
 * between (the pScheduler ingest converts every run's points this way).
 *
 * @module
 */
import { pyFloatRepr } from "./float_text.ts";
import { PyFloat } from "./py_float.ts";
import { PyNum, PyObject, type PyValue } from "./tree.ts";

// What the JSON text of a number must look like for the tree parser to read it back.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

class Unsure extends Error {}

function numberTree(text: string, value: number): PyValue {
  const m = JSON_NUMBER.exec(text);
  if (!m || !Number.isFinite(value)) throw new Unsure();
  const isFloat = m[1] !== undefined || m[2] !== undefined;
  if (!isFloat && Number.isSafeInteger(value)) return value === 0 ? 0 : value;
  return new PyNum(value, isFloat, isFloat ? undefined : text);
}

function convert(value: unknown, depth = 0): PyValue {
  if (depth > 500) throw new Unsure(); // the parser's limit: let it report
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    // JSON.stringify writes a non-finite number as null.
    return Number.isFinite(value) ? numberTree(String(value), value) : null;
  }
  if (value instanceof PyFloat) return numberTree(pyFloatRepr(value.value), value.value);
  if (Array.isArray(value)) {
    return value.map((
      v,
    ) => (v === undefined || typeof v === "function" ? null : convert(v, depth + 1)));
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    if ("toJSON" in value) throw new Unsure();
    const entries: [string, PyValue][] = [];
    // Object.entries has JSON.stringify's key order (integer-like keys first).
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
      entries.push([k, convert(v, depth + 1)]);
    }
    return new PyObject(entries);
  }
  throw new Unsure();
}

/**
 * The tree of `value` as its JSON text would parse, or undefined when `value` holds anything
 * beyond plain objects, arrays, finite numbers, strings, booleans, null and finite
 * {@linkcode PyFloat}s (the caller then goes through the text).
 *
 * @example
 * ```ts
 * import { pyTreeOf } from "./tree_of.ts";
 * import { stringifyPyJsonTree } from "./tree.ts";
 * import { PyFloat } from "./py_float.ts";
 * import assert from "node:assert/strict";
 * const tree = pyTreeOf({ b: new PyFloat(1), "2": [3, 0.5] });
 * assert.equal(stringifyPyJsonTree(tree!), '{"2":[3,0.5],"b":1.0}');
 * ```
 */
export function pyTreeOf(value: unknown): PyValue | undefined {
  try {
    return convert(value);
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
}
