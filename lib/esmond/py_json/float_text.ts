/**
 * Python's text of numbers, written once for the client, the renderers and the archive:
 * `repr()` of a float, its `json.dumps` spelling, and the text of an int-or-float.
 *
 * @module
 */

/**
 * Python's `repr()` of a float: shortest round-trip digits, always a `.0` on integral values,
 * exponent form below 1e-4 and from 1e16 on (`1e-05`, `1.5e+16`), `nan`, `inf`, `-inf`.
 * Integral values (esmond sends integer event types as `325.0`) take a fast path.
 *
 * @example
 * ```ts
 * import { pyFloatRepr } from "./float_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pyFloatRepr(325), "325.0");
 * assert.equal(pyFloatRepr(0.00001), "1e-05");
 * assert.equal(pyFloatRepr(0.04666666666666667), "0.04666666666666667");
 * assert.equal(pyFloatRepr(1.5e16), "1.5e+16");
 * assert.equal(pyFloatRepr(-Infinity), "-inf");
 * ```
 */
export function pyFloatRepr(value: number): string {
  const abs = value < 0 ? -value : value;
  if (abs >= 1e-4 && abs < 1e16) {
    // JavaScript and Python agree on the shortest digits and on the plain layout here.
    if (Number.isInteger(value)) return `${value}.0`;
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  if (Number.isNaN(value)) return "nan";
  if (abs === Infinity) return value > 0 ? "inf" : "-inf";
  // toExponential() without an argument yields the shortest round-trip digits, like repr.
  const [mantissa, expText] = value.toExponential().split("e");
  const exp = Number(expText);
  const expAbs = exp < 0 ? -exp : exp;
  return `${mantissa}e${exp < 0 ? "-" : "+"}${expAbs < 10 ? "0" : ""}${expAbs}`;
}

/**
 * A float as Python's `json.dumps` writes it: {@linkcode pyFloatRepr}, except `NaN`,
 * `Infinity` and `-Infinity`.
 *
 * @example
 * ```ts
 * import { pyFloatJson } from "./float_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pyFloatJson(7016320000), "7016320000.0");
 * assert.equal(pyFloatJson(NaN), "NaN");
 * ```
 */
export function pyFloatJson(value: number): string {
  if (Number.isFinite(value)) return pyFloatRepr(value);
  if (Number.isNaN(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}

/**
 * Python's text of a number: integers without `.0` (also beyond 2^53), floats as `repr`.
 *
 * @example
 * ```ts
 * import { pyNumber } from "./float_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pyNumber(325), "325");
 * assert.equal(pyNumber(0.1), "0.1");
 * assert.equal(pyNumber(1e21), "1000000000000000000000");
 * ```
 */
export function pyNumber(value: number): string {
  if (Number.isInteger(value)) {
    return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  }
  return pyFloatRepr(value);
}
