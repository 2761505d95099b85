/**
 * The archive's exact view of JSON, the way esmond's Python stack reads and writes it: object key order kept exactly as
 * posted (JavaScript objects would move integer-like keys such as histogram buckets to the
 * front), integers and floats kept apart (`325` vs `325.0`), floats printed in Python `repr`
 * form (`1e-05`, `7016320000.0`) and compact separators.
 *
 * Unlike `parsePyJson` (the client's fast view: plain values, `Map`, `PyFloat`), this
 * tree keeps integers beyond 2^53 digit for digit and reports malformed text with its position.
 *
 * @module
 */
import { pyFloatJson } from "./float_text.ts";

/** A JSON number remembering whether it was written as a float. */
export class PyNum {
  /** The numeric value. */
  readonly value: number;
  /** True for floats (`1.0`, `1e5`), false for integers (`1`). */
  readonly isFloat: boolean;
  /** The integer digits as written (integers only), so big integers survive exactly. */
  readonly intText: string | undefined;

  /**
   * @example
   * ```ts
   * import { PyNum, stringifyPyJsonTree } from "./tree.ts";
   * import assert from "node:assert/strict";
   * assert.equal(stringifyPyJsonTree(new PyNum(325, true)), "325.0");
   * assert.equal(stringifyPyJsonTree(new PyNum(325, false)), "325");
   * ```
   */
  constructor(value: number, isFloat: boolean, intText?: string) {
    this.value = value;
    this.isFloat = isFloat;
    this.intText = isFloat ? undefined : intText;
  }
}

/** An object with its entries in posted order (later duplicates replace earlier values). */
export class PyObject {
  readonly #entries: [string, PyValue][];

  /**
   * @example
   * ```ts
   * import { PyObject, stringifyPyJsonTree } from "./tree.ts";
   * import assert from "node:assert/strict";
   * const histogram = new PyObject([["9", 77]]);
   * histogram.set("10", 3);
   * assert.equal(histogram.get("9"), 77);
   * assert.equal(stringifyPyJsonTree(histogram), '{"9":77,"10":3}');
   * ```
   */
  constructor(entries: [string, PyValue][] = []) {
    this.#entries = entries;
  }

  /** Key/value pairs in order. */
  get entries(): [string, PyValue][] {
    return this.#entries;
  }

  // Position of each key, built on first lookup: histograms and aggregates hold hundreds of
  // buckets and a linear scan per key made merging quadratic.
  #index: Map<string, number> | undefined;

  #position(key: string): number | undefined {
    const entries = this.entries;
    if (entries.length < 8) {
      for (let i = 0; i < entries.length; i++) if (entries[i][0] === key) return i;
      return undefined;
    }
    if (this.#index === undefined || this.#index.size !== entries.length) {
      this.#index = new Map(entries.map(([k], i) => [k, i]));
    }
    return this.#index.get(key);
  }

  /** The value under `key`, or undefined. */
  get(key: string): PyValue | undefined {
    const at = this.#position(key);
    return at === undefined ? undefined : this.entries[at][1];
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this.#position(key) !== undefined;
  }

  /** Sets `key`, keeping its position if present (Python dict semantics). */
  set(key: string, value: PyValue): void {
    const at = this.#position(key);
    if (at !== undefined) {
      this.entries[at][1] = value;
      return;
    }
    this.entries.push([key, value]);
    this.#index?.set(key, this.entries.length - 1);
  }
}

/** A parsed JSON value. Plain JS numbers are printed as integers when integral. */
export type PyValue = null | boolean | string | number | PyNum | PyValue[] | PyObject;

/** Thrown by {@linkcode parsePyJsonTree} for malformed text. */
export class PyJsonSyntaxError extends Error {
  /** @example `new PyJsonSyntaxError("unexpected end")` */
  constructor(message: string) {
    super(message);
    this.name = "PyJsonSyntaxError";
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * Parses JSON text keeping key order and int/float distinction.
 *
 * @example
 * ```ts
 * import { parsePyJsonTree, stringifyPyJsonTree } from "./tree.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(stringifyPyJsonTree(parsePyJsonTree('{"9": 1, "10": 2.0}')), '{"9":1,"10":2.0}');
 * ```
 */
export function parsePyJsonTree(text: string): PyValue {
  let pos = 0;
  const skip = () => {
    let c = text.charCodeAt(pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++pos);
  };
  const fail = (what: string): never => {
    throw new PyJsonSyntaxError(`${what} at position ${pos}`);
  };
  const parseString = (): string => {
    // Fast path: no escapes before the closing quote.
    const end = text.indexOf('"', pos + 1);
    if (end < 0) fail("unterminated string");
    const slice = text.slice(pos + 1, end);
    // deno-lint-ignore no-control-regex -- raw control characters are invalid inside JSON strings
    if (!slice.includes("\\") && !/[\u0000-\u001f]/.test(slice)) {
      pos = end + 1;
      return slice;
    }
    let i = pos + 1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) i++;
      i++;
    }
    if (i >= text.length) fail("unterminated string");
    const raw = text.slice(pos, i + 1);
    pos = i + 1;
    try {
      return JSON.parse(raw);
    } catch {
      return fail("invalid string");
    }
  };
  const parseValue = (depth: number): PyValue => {
    if (depth > 500) fail("nesting too deep");
    skip();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const obj = new PyObject();
      skip();
      if (text[pos] === "}") {
        pos++;
        return obj;
      }
      while (true) {
        skip();
        if (text[pos] !== '"') fail("expected a key");
        const key = parseString();
        skip();
        if (text[pos] !== ":") fail("expected ':'");
        pos++;
        obj.set(key, parseValue(depth + 1));
        skip();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      pos++;
      const arr: PyValue[] = [];
      skip();
      if (text[pos] === "]") {
        pos++;
        return arr;
      }
      while (true) {
        arr.push(parseValue(depth + 1));
        skip();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith("true", pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith("false", pos)) {
      pos += 5;
      return false;
    }
    if (text.startsWith("null", pos)) {
      pos += 4;
      return null;
    }
    NUMBER_RE.lastIndex = pos;
    const m = NUMBER_RE.exec(text);
    if (!m) return fail("unexpected character");
    pos = NUMBER_RE.lastIndex;
    const isFloat = m[1] !== undefined || m[2] !== undefined;
    const value = Number(m[0]);
    if (!Number.isFinite(value)) fail("number out of range");
    // Plain numbers for safe integers (printed as integers anyway): far less garbage.
    if (!isFloat && Number.isSafeInteger(value)) return value === 0 ? 0 : value;
    return new PyNum(value, isFloat, isFloat ? undefined : m[0]);
  };
  const value = parseValue(0);
  skip();
  if (pos !== text.length) fail("trailing data");
  return value;
}

/**
 * Compact JSON (`,` and `:` without spaces, non-ASCII unescaped) of a parsed value.
 *
 * @example
 * ```ts
 * import { PyNum, stringifyPyJsonTree } from "./tree.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(stringifyPyJsonTree([new PyNum(1, true), 2]), "[1.0,2]");
 * ```
 */
export function stringifyPyJsonTree(value: PyValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isInteger(value) ? String(value) : pyFloatJson(value);
  }
  if (value instanceof PyNum) {
    if (value.isFloat) return pyFloatJson(value.value);
    return value.intText ?? String(value.value);
  }
  if (Array.isArray(value)) return `[${value.map(stringifyPyJsonTree).join(",")}]`;
  return `{${
    value.entries.map(([k, v]) => `${JSON.stringify(k)}:${stringifyPyJsonTree(v)}`).join(",")
  }}`;
}

/**
 * The numeric value of a parsed number, or undefined for anything else.
 *
 * @example
 * ```ts
 * import { numberOf, PyNum } from "./tree.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(numberOf(new PyNum(2, false)), 2);
 * ```
 */
export function numberOf(value: PyValue | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (value instanceof PyNum) return value.value;
  return undefined;
}

/**
 * Whether `value` is a parsed JSON object.
 *
 * @example
 * ```ts
 * import { isPyObject, parsePyJsonTree } from "./tree.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(isPyObject(parsePyJsonTree("{}")), true);
 * ```
 */
export function isPyObject(value: PyValue | undefined): value is PyObject {
  return value instanceof PyObject;
}
