/**
 * JSON parsing that keeps what Python's `json.loads` keeps and `JSON.parse` loses:
 * - integral numbers written as floats (`41.0`, `1e+20`) become {@linkcode PyFloat};
 * - objects whose key order a JS object would change (integer-like keys such as histogram
 *   buckets `{"400":2,"196":113}`) become a `Map` in the text's order.
 *
 * Both are done by one string-aware scan that rewrites those tokens into marked strings before a
 * plain `JSON.parse`, then one walk that turns the marks back; much faster than a reviver.
 *
 * @module
 */
import { isFloatText, PyFloat } from "./py_float.ts";

// Whether the number whose fraction or exponent starts at `at` is a token after `:`, `,` or
// `[` (not text inside a string such as a version "1.0").
function tokenAt(text: string, at: number): boolean {
  let k = at - 1;
  for (let c = text.charCodeAt(k); (c >= 48 && c <= 57) || c === 46; c = text.charCodeAt(--k));
  if (text.charCodeAt(k) === 45) k--; // '-'
  for (let c = text.charCodeAt(k); c === 32 || c === 9 || c === 10 || c === 13;) {
    c = text.charCodeAt(--k);
  }
  const c = text.charCodeAt(k);
  return c === 58 || c === 44 || c === 91; // ':' ',' '['
}

// Whether the text may hold an integral float token (`41.0`, `-0.00`, any exponent), the only
// floats the scan marks: plain fractions (`27.47`, the buckets of a latency result) then leave
// the text to one plain `JSON.parse`, a third of the scan's cost. A match inside a string only
// costs an unneeded scan.
function mayHoldIntegralFloat(text: string): boolean {
  for (let i = text.indexOf(".0"); i >= 0; i = text.indexOf(".0", i + 2)) {
    let j = i + 2;
    while (text.charCodeAt(j) === 48) j++;
    const c = text.charCodeAt(j);
    if (!(c >= 48 && c <= 57) && c !== 101 && c !== 69 && tokenAt(text, i)) return true;
  }
  // An exponent: a digit, `e` or `E`, a sign or digit (a regex scan costs ten times this).
  for (const letter of ["e", "E"]) {
    for (let i = text.indexOf(letter); i >= 0; i = text.indexOf(letter, i + 1)) {
      const before = text.charCodeAt(i - 1);
      const after = text.charCodeAt(i + 1);
      if (
        before >= 48 && before <= 57 &&
        ((after >= 48 && after <= 57) || after === 43 || after === 45) && tokenAt(text, i)
      ) return true;
    }
  }
  return false;
}

// An integer-like object key, or an escaped digit (a key may spell its digits as escapes).
// Same caveat.
const INDEX_KEY = /"(?:0|[1-9]\d*)"\s*:|\\u003\d/;

/**
 * Marks written into the JSON text as escapes (JSON forbids raw control characters) and read
 * back as a control character + letter. A JSON text can carry U+0000…U+0007 inside a string
 * only as the escape `\u000N`, so a mark whose escape the text lacks cannot start any original
 * string; the first such character of U+0000…U+0007 is used.
 */
interface Marks {
  readonly code: number;
  readonly escape: string;
  readonly floatJson: string;
  /** Opens a marked pair list: `["<mark>m",` replaces the `{` of a reordered object. */
  readonly pairsJson: string;
}

const MARKS: readonly Marks[] = Array.from({ length: 8 }, (_, code) => {
  const escape = `\\u000${code}`;
  return { code, escape, floatJson: `${escape}f`, pairsJson: `["${escape}m",` };
});
const LETTER_F = 102;
const LETTER_M = 109;

function isMarked(text: string, marks: Marks, letter: number): boolean {
  return text.charCodeAt(0) === marks.code && text.charCodeAt(1) === letter;
}

/**
 * The value of the key `text[start, end)` when it is an array index (a key JS objects order
 * numerically before the others), else -1. Reads the digits in place: no slicing per key.
 */
function indexKeyValue(text: string, start: number, end: number): number {
  const len = end - start;
  if (len === 0 || len > 10) return -1;
  if (text.charCodeAt(start) === 48) return len === 1 ? 0 : -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value < 4294967295 ? value : -1;
}

/**
 * {@linkcode indexKeyValue} of the key between the quotes at `open` and `close`, also when it
 * spells its digits as escapes (`"\u0034\u0030\u0030"` is the key `"400"`).
 */
function keyIndex(text: string, open: number, close: number): number {
  const index = indexKeyValue(text, open + 1, close);
  const first = text.charCodeAt(open + 1);
  if (index >= 0 || close - open > 61 || (first !== 92 && (first < 48 || first > 57))) {
    return index;
  }
  for (let k = open + 1; k < close; k++) {
    if (text.charCodeAt(k) !== 92) continue;
    try {
      const key = JSON.parse(text.slice(open, close + 1)) as string;
      return indexKeyValue(key, 0, key.length);
    } catch {
      return -1; // a bad escape: the full JSON.parse reports it
    }
  }
  return -1;
}

interface ObjectState {
  lastIndex: number;
  seenOther: boolean;
  broken: boolean;
  open: number;
  colons: number[];
}

/**
 * Rewrites the tokens that need marking: integral float numbers, and the integer-like keys of
 * objects whose key order a JS object would change. Null when nothing needed marking.
 */
function mark(
  text: string,
  options: { floats: boolean; keys: boolean; marks: Marks },
): string | null {
  // Edits: [position, end of the replaced text, replacement]; keys only insert a mark.
  const edits: [number, number, string][] = [];
  let unsorted = false;
  const stack: ObjectState[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) { // '"': find the closing quote that is not escaped
      let j = i + 1;
      while (true) {
        j = text.indexOf('"', j);
        if (j < 0) return null; // unterminated: let JSON.parse report it
        let k = j - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j++;
      }
      if (options.keys && stack.length > 0) {
        let k = j + 1;
        while (k < n && text.charCodeAt(k) <= 32) k++;
        if (text.charCodeAt(k) === 58) { // a key
          const top = stack[stack.length - 1];
          const index = keyIndex(text, i, j);
          if (index >= 0) {
            if (top.seenOther || index <= top.lastIndex) top.broken = true;
            top.lastIndex = index;
          } else {
            top.seenOther = true;
          }
          top.colons.push(k);
        }
      }
      i = j + 1;
    } else if (c === 123) { // '{'
      if (options.keys) {
        stack.push({ lastIndex: -1, seenOther: false, broken: false, open: i, colons: [] });
      }
      i++;
    } else if (c === 125) { // '}'
      const top = options.keys ? stack.pop() : undefined;
      if (top?.broken) {
        // Rewritten as a marked pair list `["<mark>m",k1,v1,…]`: JSON.parse builds arrays much
        // faster than objects with odd keys, and the pairs keep the text's order.
        // Edits inside the object (floats, inner objects) were pushed before these: sort then
        // (sorting always cost a third of a histogram page's parse).
        if (edits.length > 0 && edits[edits.length - 1][0] > top.open) unsorted = true;
        edits.push([top.open, top.open + 1, options.marks.pairsJson]);
        for (const at of top.colons) edits.push([at, at + 1, ","]);
        edits.push([i, i + 1, "]"]);
      }
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      let isFloat = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d >= 48 && d <= 57) j++;
        else if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) {
          if (d !== 43 && d !== 45) isFloat = true;
          j++;
        } else break;
      }
      if (isFloat && options.floats) {
        const token = text.slice(i, j);
        if (Number.isInteger(Number(token))) {
          edits.push([i, j, `"${options.marks.floatJson}${token}"`]);
        }
      }
      i = j;
    } else {
      i++;
    }
  }
  if (edits.length === 0) return null;
  if (unsorted) edits.sort((a, b) => a[0] - b[0]);
  // Concatenation (a rope V8 flattens once, in JSON.parse) took a third of the time of
  // collecting the pieces in an array and joining them.
  let out = "";
  let copied = 0;
  for (let e = 0; e < edits.length; e++) {
    const edit = edits[e];
    out += text.slice(copied, edit[0]) + edit[2];
    copied = edit[1];
  }
  return out + text.slice(copied);
}

function unmarkValue(v: unknown, marks: Marks): unknown {
  if (typeof v === "string") {
    return isMarked(v, marks, LETTER_F) ? new PyFloat(Number(v.slice(2))) : v;
  }
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    const first = v[0];
    if (typeof first === "string" && isMarked(first, marks, LETTER_M)) return pairsToMap(v, marks);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === "object" || typeof x === "string") {
        v[i] = unmarkValue(x, marks);
      }
    }
    return v;
  }
  const obj = v as Record<string, unknown>;
  for (const k in obj) {
    const x = obj[k];
    if (x !== null && typeof x === "object" || typeof x === "string") {
      obj[k] = unmarkValue(x, marks);
    }
  }
  return obj;
}

/**
 * The `Map` of a marked pair list. A repeated key keeps its first position and its last
 * value, as Python's json does.
 */
function pairsToMap(pairs: unknown[], marks: Marks): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (let i = 1; i < pairs.length; i += 2) {
    const x = pairs[i + 1];
    map.set(
      pairs[i] as string,
      x !== null && typeof x === "object" || typeof x === "string" ? unmarkValue(x, marks) : x,
    );
  }
  return map;
}

function floatReviver(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
  if (
    typeof value === "number" && Number.isInteger(value) && context?.source !== undefined &&
    isFloatText(context.source)
  ) {
    return new PyFloat(value);
  }
  return value;
}

function parseMarked(text: string, options: { floats: boolean; keys: boolean }): unknown {
  const wantKeys = options.keys && INDEX_KEY.test(text);
  // When the key scan runs anyway it finds the float tokens in the same pass; otherwise the
  // scan only runs for a possible integral float (it costs twice the plain JSON.parse).
  const wantFloats = options.floats && (wantKeys || mayHoldIntegralFloat(text));
  if (!wantFloats && !wantKeys) return JSON.parse(text);
  const marks = MARKS.find((m) => !text.includes(m.escape));
  if (marks === undefined) {
    // Every mark would be ambiguous: exact floats through a reviver; key order is not kept.
    return wantFloats
      ? JSON.parse(text, floatReviver as (key: string, value: unknown) => unknown)
      : JSON.parse(text);
  }
  const marked = mark(text, { floats: wantFloats, keys: wantKeys, marks });
  return marked === null ? JSON.parse(text) : unmarkValue(JSON.parse(marked), marks);
}

/**
 * `JSON.parse` that turns integral numbers written as floats into {@linkcode PyFloat}.
 * Texts without any float token take the plain `JSON.parse` path.
 *
 * @example
 * ```ts
 * import { parseJsonKeepingFloats } from "./parse.ts";
 * import { PyFloat } from "./py_float.ts";
 * import assert from "node:assert/strict";
 * const v = parseJsonKeepingFloats('{"mode":[41.0,41.1],"n":3}') as { mode: unknown[] };
 * assert.deepEqual(v.mode[0] instanceof PyFloat, true);
 * assert.deepEqual(v.mode[1], 41.1);
 * ```
 */
export function parseJsonKeepingFloats(text: string): unknown {
  return parseMarked(text, { floats: true, keys: false });
}

/**
 * `JSON.parse` that keeps what Python would: integral floats become {@linkcode PyFloat}, and an
 * object whose integer-like keys a JS object would reorder becomes a `Map` in the text's order
 * (objects whose order survives stay plain objects). A repeated key keeps its first position
 * and its last value, as in Python's `json`.
 *
 * @example
 * ```ts
 * import { parsePyJson } from "./parse.ts";
 * import assert from "node:assert/strict";
 * const h = parsePyJson('{"400":2,"196":113}') as Map<string, number>;
 * assert.deepEqual([...h.keys()], ["400", "196"]);
 * assert.deepEqual(parsePyJson('{"9":77,"10":523}'), { "9": 77, "10": 523 }); // order already right
 * ```
 */
export function parsePyJson(text: string): unknown {
  return parseMarked(text, { floats: true, keys: true });
}

/**
 * The entries of an object value in the archive's order, whether it was parsed as a plain
 * object or as a `Map` (see {@linkcode parsePyJson}).
 *
 * @example
 * ```ts
 * import { orderedEntries, parsePyJson } from "./parse.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(orderedEntries(parsePyJson('{"400":2,"196":113}')), [["400", 2], ["196", 113]]);
 * ```
 */
export function orderedEntries(value: unknown): [string, unknown][] {
  if (value instanceof Map) return [...value.entries()];
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value);
  }
  return [];
}

function write(value: unknown, out: string[]): boolean {
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      if (!write(value[i], out)) out.push("null");
    }
    out.push("]");
    return true;
  }
  if (value !== null && typeof value === "object" && !(value instanceof PyFloat)) {
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === "function") return write(toJSON.call(value), out);
    out.push("{");
    let first = true;
    for (const [k, v] of orderedEntries(value)) {
      const mark = out.length;
      if (!first) out.push(",");
      out.push(JSON.stringify(String(k)), ":");
      if (write(v, out)) first = false;
      else out.length = mark; // undefined/function values are left out, as JSON.stringify does
    }
    out.push("}");
    return true;
  }
  const text = JSON.stringify(value);
  if (text === undefined) return false;
  out.push(text);
  return true;
}

/**
 * `JSON.stringify` (compact) that writes a `Map` as an object in its own order and a
 * {@linkcode PyFloat} with its `.0`, so values read with {@linkcode parsePyJson} are posted back
 * exactly as they were.
 *
 * @example
 * ```ts
 * import { stringifyPyJson } from "./parse.ts";
 * import { PyFloat } from "./py_float.ts";
 * import assert from "node:assert/strict";
 * const val = new Map<string, unknown>([["400", 2], ["196", new PyFloat(3)]]);
 * assert.equal(stringifyPyJson({ ts: 1, val }), '{"ts":1,"val":{"400":2,"196":3.0}}');
 * ```
 */
export function stringifyPyJson(value: unknown): string {
  if (!containsMap(value)) return JSON.stringify(value);
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

function containsMap(value: unknown): boolean {
  if (value instanceof Map) return true;
  if (value === null || typeof value !== "object" || value instanceof PyFloat) return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    if (v !== null && typeof v === "object" && containsMap(v)) return true;
  }
  return false;
}
