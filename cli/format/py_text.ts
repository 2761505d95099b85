/**
 * Python-compatible text of values, so the query tools print the same bytes as the original
 * Python programs: `str()` (human and csv cells), `repr()` (dicts and lists inside cells) and
 * `json.dumps()` (the json format). Pure functions, no I/O.
 *
 * Values follow the client library's number model: a plain JS number is a Python `int` when it
 * is integral and a `float` otherwise; an integral number the archive wrote in float form is a
 * {@linkcode PyFloat}; an object whose key order JS would change (histogram buckets) is a `Map`
 * in the archive's order, and dicts print in the order `orderedEntries` gives.
 *
 * @module
 */
import { orderedEntries, PyFloat, pyFloatRepr, pyNumber } from "../../lib/esmond/py_json/mod.ts";

export { PyFloat, pyFloatRepr, pyNumber };

/**
 * A value exported as raw JSON: its `str()` in human/csv cells is the JSON text, in the json
 * format it stays the structure. Used for event types the original tools had no layout for.
 *
 * @example
 * ```ts
 * import { pyStr, RawJson } from "./py_text.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pyStr(new RawJson({ a: 1 })), '{"a": 1}');
 * ```
 */
export class RawJson {
  /** The wrapped value. */
  readonly value: unknown;
  /** Wraps `value`. */
  constructor(value: unknown) {
    this.value = value;
  }
}

// Printable ASCII without `'` and `\\` is quoted as it is: the common case (histogram bucket keys).
const PLAIN_REPR = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

/**
 * Python's `repr()` of a string: single quotes unless the string holds `'` and no `"`.
 *
 * @example
 * ```ts
 * import { pyStringRepr } from "./py_text.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pyStringRepr("41.00"), "'41.00'");
 * assert.deepEqual(pyStringRepr("it's"), `"it's"`);
 * ```
 */
export function pyStringRepr(text: string): string {
  if (PLAIN_REPR.test(text)) return "'" + text + "'";
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

/**
 * Python's `repr()` of a parsed JSON value (`None`, `True`, `{'a': 1}`, `[1.0, 2]`).
 *
 * @example
 * ```ts
 * import { pyRepr } from "./py_text.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pyRepr({ "41.00": 98, "41.10": 2 }), "{'41.00': 98, '41.10': 2}");
 * ```
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return pyNumber(value);
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === "string") return pyStringRepr(value);
  if (value instanceof RawJson) return pyRepr(value.value);
  if (Array.isArray(value)) return "[" + value.map(pyRepr).join(", ") + "]";
  if (typeof value === "object") {
    const parts = orderedEntries(value).map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`);
    return "{" + parts.join(", ") + "}";
  }
  return String(value);
}

/**
 * Python's `str()`: strings verbatim, everything else as {@linkcode pyRepr}.
 *
 * @example
 * ```ts
 * import { pyStr } from "./py_text.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pyStr(null), "None");
 * assert.deepEqual(pyStr("bwctl/iperf3"), "bwctl/iperf3");
 * ```
 */
export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof RawJson) return pyJson(value.value);
  return pyRepr(value);
}

// Printable ASCII without `"` and `\\` needs no escaping: the common case, kept fast.
const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jsonString(text: string): string {
  if (PLAIN_JSON.test(text)) return '"' + text + '"';
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    // UTF-16 code units are exactly Python's surrogate-pair escapes for astral characters.
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += text[i];
  }
  return out + '"';
}

/**
 * Python's `json.dumps()` with its defaults: `", "` and `": "` separators, keys in order,
 * non-ASCII as lower-case `\uXXXX`, floats in `repr` form, `NaN`/`Infinity` spelled as Python does.
 *
 * @example
 * ```ts
 * import { pyJson, PyFloat } from "./py_text.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pyJson([{ value: new PyFloat(325), name: "é" }]), '[{"value": 325.0, "name": "\\u00e9"}]');
 * ```
 */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number" || value instanceof PyFloat) {
    const n = typeof value === "number" ? value : value.value;
    if (Number.isNaN(n)) return "NaN";
    if (n === Infinity) return "Infinity";
    if (n === -Infinity) return "-Infinity";
    return typeof value === "number" ? pyNumber(n) : pyFloatRepr(n);
  }
  if (typeof value === "string") return jsonString(value);
  if (value instanceof RawJson) return pyJson(value.value);
  if (Array.isArray(value)) return "[" + value.map(pyJson).join(", ") + "]";
  if (typeof value === "object") {
    const parts = orderedEntries(value).map(([k, v]) => `${jsonString(k)}: ${pyJson(v)}`);
    return "{" + parts.join(", ") + "}";
  }
  return jsonString(String(value));
}
