/**
 * A single-pass reader for the most common data page, `[{"ts":<number>,"val":<number|null>},…]`
 * (either key order, any JSON whitespace). It reads the values and whether each `val` was
 * written as a float in one scan, without `JSON.parse`'s intermediate objects or a second scan
 * for the float spelling. Anything else (other keys, nested values, strings, bad JSON) makes it
 * give up so the general parser decides, and reports errors, exactly as before.
 *
 * @module
 */

// Results of readNumber: [value, 1 if written as a float]. A typed array, not module `let`s:
// a module variable switching between small-integer and double values made V8 deoptimise the
// reader over and over (measured: 4x slower).
const number = new Float64Array(2);

function skipWs(text: string, i: number): number {
  while (true) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

function readDigits(text: string, i: number): number {
  while (true) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return i;
    i++;
  }
}

// Character comparisons: String.prototype.startsWith is several times slower in this loop.
function isTsKey(text: string, i: number): boolean {
  return text.charCodeAt(i) === 34 && text.charCodeAt(i + 1) === 116 &&
    text.charCodeAt(i + 2) === 115 && text.charCodeAt(i + 3) === 34;
}

function isValKey(text: string, i: number): boolean {
  return text.charCodeAt(i) === 34 && text.charCodeAt(i + 1) === 118 &&
    text.charCodeAt(i + 2) === 97 && text.charCodeAt(i + 3) === 108 &&
    text.charCodeAt(i + 4) === 34;
}

function isNull(text: string, i: number): boolean {
  return text.charCodeAt(i) === 110 && text.charCodeAt(i + 1) === 117 &&
    text.charCodeAt(i + 2) === 108 && text.charCodeAt(i + 3) === 108;
}

/**
 * Reads a JSON number at `start` (strict grammar); returns its end, or -1 when the text there
 * is not a JSON number. Sets `number`.
 */
function readNumber(text: string, start: number): number {
  let i = start;
  const negative = text.charCodeAt(i) === 45;
  if (negative) i++;
  const intStart = i;
  const first = text.charCodeAt(i);
  if (first === 48) i++;
  else if (first >= 49 && first <= 57) i = readDigits(text, i + 1);
  else return -1;
  const intEnd = i;
  let zeroFraction = true;
  let isFloat = false;
  if (text.charCodeAt(i) === 46) {
    const fracStart = i + 1;
    i = readDigits(text, fracStart);
    if (i === fracStart) return -1;
    for (let k = fracStart; k < i; k++) {
      if (text.charCodeAt(k) !== 48) {
        zeroFraction = false;
        break;
      }
    }
    isFloat = true;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    const expStart = i;
    i = readDigits(text, expStart);
    if (i === expStart) return -1;
    isFloat = true;
    zeroFraction = false; // an exponent: leave the rounding to Number()
  }
  if (zeroFraction && intEnd - intStart <= 15) {
    // Up to 15 digits is exact in a double: the same value JSON.parse gives, without a slice.
    let v = 0;
    for (let k = intStart; k < intEnd; k++) v = v * 10 + (text.charCodeAt(k) - 48);
    number[0] = negative ? -v : v;
  } else {
    number[0] = Number(text.slice(start, i));
  }
  number[1] = isFloat ? 1 : 0;
  return i;
}

/**
 * The points of a page of plain numeric values made by `make`, or `null` when the page is not
 * of that shape (or not valid JSON): the caller then parses it the general way. A `ts` that is
 * not finite also gives `null`, so the general parser raises its error.
 *
 * @example
 * ```ts
 * import { scanNumericPage } from "./numeric_page.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(scanNumericPage('[{"ts":1,"val":325.0},{"ts":2,"val":null}]', (ts, val, isFloat) => [ts, val, isFloat]), [[1, 325, true], [2, null, false]]);
 * assert.deepEqual(scanNumericPage('[{"ts":1,"val":{"9":1}}]', (ts) => ts), null);
 * ```
 */
export function scanNumericPage<T>(
  text: string,
  make: (tsEpoch: number, val: number | null, valIsFloat: boolean) => T,
): T[] | null {
  const n = text.length;
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== 91) return null;
  i = skipWs(text, i + 1);
  const out: T[] = [];
  if (text.charCodeAt(i) === 93) return skipWs(text, i + 1) === n ? out : null;
  while (true) {
    if (text.charCodeAt(i) !== 123) return null;
    i = skipWs(text, i + 1);
    let ts = NaN;
    let haveTs = false;
    let val: number | null = null;
    let valIsFloat = false;
    let haveVal = false;
    for (let field = 0; field < 2; field++) {
      if (field === 1) {
        if (text.charCodeAt(i) !== 44) return null;
        i = skipWs(text, i + 1);
      }
      let isTs: boolean;
      if (isTsKey(text, i) && !haveTs) {
        isTs = true;
        i += 4;
      } else if (isValKey(text, i) && !haveVal) {
        isTs = false;
        i += 5;
      } else return null;
      i = skipWs(text, i);
      if (text.charCodeAt(i) !== 58) return null;
      i = skipWs(text, i + 1);
      if (isTs) {
        i = readNumber(text, i);
        if (i < 0 || !Number.isFinite(number[0])) return null;
        ts = Math.trunc(number[0]);
        haveTs = true;
      } else {
        if (isNull(text, i)) {
          i += 4;
        } else {
          i = readNumber(text, i);
          if (i < 0) return null;
          val = number[0];
          valIsFloat = number[1] === 1;
        }
        haveVal = true;
      }
      i = skipWs(text, i);
    }
    if (text.charCodeAt(i) !== 125) return null;
    out.push(make(ts, val, valIsFloat));
    i = skipWs(text, i + 1);
    const c = text.charCodeAt(i);
    if (c === 93) return skipWs(text, i + 1) === n ? out : null;
    if (c !== 44) return null;
    i = skipWs(text, i + 1);
  }
}
