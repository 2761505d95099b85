/**
 * Helpers over parsed JSON values as {@linkcode parseJsonKeepingFloats} yields them: plain
 * objects, arrays, strings, booleans, numbers, and {@linkcode PyFloat} for integral numbers
 * written as floats (`1.0`), so Logstash's and Python's float/integer distinction survives.
 *
 * @module
 */
import { PyFloat } from "../esmond/py_json/py_float.ts";
import { parseJsonKeepingFloats } from "../esmond/py_json/parse.ts";

/** A JSON object as parsed. */
export type JsonObject = Record<string, unknown>;

/**
 * The deepest nesting of objects and lists a body may have (Jackson's default
 * `maxNestingDepth`, which Logstash's JSON decoder applies; Python's recursion limit is of the
 * same order). Deeper bodies are refused with a reason instead of exhausting the stack.
 */
export const MAX_JSON_DEPTH = 1000;

/** A parsed body that cannot be archived as JSON; the message says why. */
export class JsonValueError extends Error {}

/**
 * Why a parsed body cannot be archived as JSON, or undefined: nesting deeper than `maxDepth`
 * levels, or a number beyond the float range (parsed as ±Infinity). Any depth: the walk stops
 * at the first level too deep.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { jsonValueProblem } from "./json_value.ts";
 * deepStrictEqual(jsonValueProblem({ a: [[1]] }, 3), undefined);
 * deepStrictEqual(jsonValueProblem({ a: [[[1]]] }, 3), "the body nests more than 3 levels deep");
 * deepStrictEqual(
 *   jsonValueProblem({ a: Infinity }, 3),
 *   "the body holds a number beyond the range of a float (e.g. 1e400)",
 * );
 * ```
 */
export function jsonValueProblem(value: unknown, maxDepth: number): string | undefined {
  try {
    walk(value, 1, maxDepth, false);
    return undefined;
  } catch (error) {
    if (error instanceof JsonValueError) return error.message;
    throw error;
  }
}

/**
 * A deep copy of a parsed body that keeps {@linkcode PyFloat} instances (`structuredClone`
 * would turn them into plain objects), checked as {@linkcode jsonValueProblem} checks it: one
 * walk for both. Throws {@linkcode JsonValueError} with the same reasons.
 *
 * @example
 * ```ts
 * import { deepStrictEqual, throws } from "node:assert/strict";
 * import { copyJsonValue, JsonValueError } from "./json_value.ts";
 * const body = { a: [1, { b: 2 }] };
 * const copy = copyJsonValue(body, 3);
 * deepStrictEqual(copy, body);
 * deepStrictEqual(copy.a === body.a, false);
 * throws(() => copyJsonValue({ a: [[[1]]] }, 3), JsonValueError);
 * ```
 */
export function copyJsonValue<T>(value: T, maxDepth: number): T {
  return walk(value, 1, maxDepth, true);
}

// The one set of rules for both: a container deeper than `maxDepth` levels and a number
// beyond the float range are refused. Copies only when asked (a for-in over own keys visits
// them in Object.entries order without building the pairs). Recursion is bounded by maxDepth.
function walk<T>(value: T, depth: number, maxDepth: number, copy: boolean): T {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new JsonValueError("the body holds a number beyond the range of a float (e.g. 1e400)");
  }
  if (value === null || typeof value !== "object") return value;
  const isList = Array.isArray(value);
  if (!isList && !isObject(value)) return value;
  if (depth > maxDepth) {
    throw new JsonValueError(`the body nests more than ${maxDepth} levels deep`);
  }
  if (isList) {
    if (!copy) {
      for (const item of value) walk(item, depth + 1, maxDepth, false);
      return value;
    }
    return value.map((item) => walk(item, depth + 1, maxDepth, true)) as T;
  }
  const object = value as JsonObject;
  const out: JsonObject | undefined = copy ? {} : undefined;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const child = walk(object[key], depth + 1, maxDepth, copy);
    if (out !== undefined) out[key] = child;
  }
  return (out ?? value) as T;
}

/**
 * Parses JSON text keeping integral floats as {@linkcode PyFloat}. Throws `SyntaxError`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { parseJson } from "./json_value.ts";
 * import { PyFloat } from "../esmond/py_json/py_float.ts";
 * deepStrictEqual((parseJson('{"a":1.0}') as { a: unknown }).a instanceof PyFloat, true);
 * ```
 */
export function parseJson(text: string): unknown {
  return parseJsonKeepingFloats(text);
}

/**
 * Whether `value` is a JSON object (not an array, not null, not a marked float).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { isObject } from "./json_value.ts";
 * deepStrictEqual(isObject({}), true);
 * deepStrictEqual(isObject([]), false);
 * ```
 */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    !(value instanceof PyFloat);
}

/**
 * The number behind a JSON number (plain or {@linkcode PyFloat}), else undefined.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { numberOf } from "./json_value.ts";
 * import { PyFloat } from "../esmond/py_json/py_float.ts";
 * deepStrictEqual(numberOf(new PyFloat(4)), 4);
 * deepStrictEqual(numberOf("4"), undefined);
 * ```
 */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value instanceof PyFloat) return value.value;
  return undefined;
}

/**
 * Whether a JSON number is a float in the writer's language (a non-integral number or a
 * {@linkcode PyFloat}).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { isFloat } from "./json_value.ts";
 * deepStrictEqual(isFloat(1.5), true);
 * deepStrictEqual(isFloat(2), false);
 * ```
 */
export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === "number" && !Number.isInteger(value));
}

/**
 * A float result: integral values are wrapped in {@linkcode PyFloat} so they serialise as
 * `19.0`, others stay plain numbers.
 *
 * @example
 * ```ts
 * import { float } from "./json_value.ts";
 * JSON.stringify({ d: float(19) }); // '{"d":19.0}'
 * ```
 */
export function float(value: number): number | PyFloat {
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

/**
 * Ruby/Python truthiness of a JSON value as the original scripts test it.
 * `ruby`: only null/undefined/false are false. `python`: also 0, "", [] and {}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { truthy } from "./json_value.ts";
 * deepStrictEqual(truthy("", "ruby"), true);
 * deepStrictEqual(truthy("", "python"), false);
 * ```
 */
export function truthy(value: unknown, language: "ruby" | "python"): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (language === "ruby") return true;
  const n = numberOf(value);
  if (n !== undefined) return n !== 0;
  if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * The value at a path of object keys, or undefined when a step is missing.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { getPath } from "./json_value.ts";
 * deepStrictEqual(getPath({ a: { b: 1 } }, ["a", "b"]), 1);
 * ```
 */
export function getPath(root: unknown, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (!isObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * Whether the path exists (its last value may be null).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { hasPath } from "./json_value.ts";
 * deepStrictEqual(hasPath({ a: null }, ["a"]), true);
 * ```
 */
export function hasPath(root: unknown, path: readonly string[]): boolean {
  let node: unknown = root;
  for (const key of path) {
    if (!isObject(node) || !Object.hasOwn(node, key)) return false;
    node = node[key];
  }
  return true;
}

/**
 * Sets a value at a path, creating parent objects (replacing non-object parents), as
 * Logstash's `event.set` does.
 *
 * @example
 * ```ts
 * import { setPath } from "./json_value.ts";
 * const o = {};
 * setPath(o, ["a", "b"], 1); // o is { a: { b: 1 } }
 * ```
 */
export function setPath(root: JsonObject, path: readonly string[], value: unknown): void {
  let node = root;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const key = path[i];
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as JsonObject;
  }
  node[path[last]] = value;
}

/**
 * Removes the value at a path, if present.
 *
 * @example
 * ```ts
 * import { removePath } from "./json_value.ts";
 * const o = { a: { b: 1 } };
 * removePath(o, ["a", "b"]); // o is { a: {} }
 * ```
 */
export function removePath(root: JsonObject, path: readonly string[]): void {
  let parent: unknown = root;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    if (!isObject(parent) || !Object.hasOwn(parent, path[i])) return;
    parent = parent[path[i]];
  }
  if (isObject(parent)) delete parent[path[last]];
}

/**
 * Logstash's rename: if the source path exists (even holding null), moves its value to the
 * target (creating parents); otherwise nothing. Returns whether something moved.
 *
 * @example
 * ```ts
 * import { renamePath } from "./json_value.ts";
 * const o: Record<string, unknown> = { a: 1 };
 * renamePath(o, ["a"], ["b", "c"]); // o is { b: { c: 1 } }
 * ```
 */
export function renamePath(
  root: JsonObject,
  from: readonly string[],
  to: readonly string[],
): boolean {
  if (!hasPath(root, from)) return false;
  const value = getPath(root, from);
  removePath(root, from);
  setPath(root, to, value);
  return true;
}
