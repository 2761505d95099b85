/**
 * Numbers that remember they were written as floats. esmond sends integer-typed data as
 * `325.0`, and the original Python tools print exactly that, so `325.0` and `325` must stay
 * distinguishable after parsing (clients spec §3).
 *
 * @module
 */

/**
 * Python's `repr()` of a float: shortest round-trip digits, always a `.0` on integral values,
 * exponent form below 1e-4 and from 1e16 on (`1e-05`, `1.5e+16`), `nan`, `inf`, `-inf`.
 *
 * @example
 * ```ts
 * import { pyFloatRepr } from "./py_float.ts";
 * pyFloatRepr(325); // "325.0"
 * pyFloatRepr(0.00001); // "1e-05"
 * pyFloatRepr(0.04666666666666667); // "0.04666666666666667"
 * ```
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  // toExponential() without an argument yields the shortest round-trip digits, like repr.
  const [mantissa, expText] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expAbs = Math.abs(exp);
    return `${sign}${frac}e${exp < 0 ? "-" : "+"}${expAbs < 10 ? "0" : ""}${expAbs}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${"0".repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/**
 * A number the archive wrote in float form (`325.0`, `1e+16`) although its value is integral.
 * Used inside nested values (histogram statistics, subinterval items, number lists); a
 * top-level numeric `val` stays a plain number with {@linkcode DataPointLike.valIsFloat}.
 * Non-integral floats stay plain numbers: their text already shows they are floats.
 * Arithmetic works through `valueOf()`; `JSON.stringify` writes it back as `325.0`.
 *
 * @example
 * ```ts
 * import { PyFloat } from "./py_float.ts";
 * const f = new PyFloat(325);
 * String(f); // "325.0"
 * JSON.stringify({ v: f }); // '{"v":325.0}'
 * +f + 1; // 326
 * ```
 */
export class PyFloat {
  /** The numeric value. */
  readonly value: number;

  /** Wraps `value`. */
  constructor(value: number) {
    this.value = value;
  }

  /** The numeric value, so `+f` and comparisons work. */
  valueOf(): number {
    return this.value;
  }

  /** Python's `str()`/`repr()` of the float. */
  toString(): string {
    return pyFloatRepr(this.value);
  }

  /** The float text, raw, so the JSON keeps the `.0`. */
  toJSON(): unknown {
    return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(
      pyFloatRepr(this.value),
    );
  }
}

/** The minimal shape {@linkcode PyFloat} refers to. */
export interface DataPointLike {
  /** The value. */
  readonly val: unknown;
  /** True when a numeric `val` was written as a float. */
  readonly valIsFloat?: boolean;
}

/**
 * The plain number behind a value that may be a {@linkcode PyFloat}; other values unchanged.
 *
 * @example
 * ```ts
 * import { PyFloat, toPlainNumber } from "./py_float.ts";
 * toPlainNumber(new PyFloat(3)); // 3
 * toPlainNumber("x"); // "x"
 * ```
 */
export function toPlainNumber(value: unknown): unknown {
  return value instanceof PyFloat ? value.value : value;
}

/**
 * Whether a number token's text is float syntax (`.`, `e` or `E`).
 *
 * @example
 * ```ts
 * import { isFloatText } from "./py_float.ts";
 * isFloatText("325.0"); // true
 * isFloatText("325"); // false
 * ```
 */
export function isFloatText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 101 || c === 69) return true;
  }
  return false;
}

// A number token with a fraction or exponent after `:`, `,` or `[`. It may also match text
// inside a string; that only sends the page down the slower exact path.
const FLOAT_TOKEN = /[:,[]\s*-?\d+[.eE]/;

// Marks an integral float token once it has been turned into a string. JSON can carry U+0000
// inside a string only as the escape `\u0000`, so when the text has no such escape no original
// string can start with this prefix.
const MARK = "\u0000f";
/** {@linkcode MARK} as JSON text (the escape, since JSON forbids raw control characters). */
const MARK_JSON = "\\u0000f";

function floatReviver(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
  if (
    typeof value === "number" && Number.isInteger(value) && context?.source !== undefined &&
    isFloatText(context.source)
  ) {
    return new PyFloat(value);
  }
  return value;
}

/**
 * Rewrites every number token that is float syntax with an integral value (`41.0`, `1e+20`)
 * as the string `MARK + token`; null when there is none. Strings are skipped exactly.
 */
function markIntegralFloats(text: string): string | null {
  let out = "";
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) { // '"': jump to the closing quote that is not escaped
      let j = i + 1;
      while (true) {
        j = text.indexOf('"', j);
        if (j < 0) return out === "" ? null : out + text.slice(copied); // let JSON.parse fail
        let k = j - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j++;
      }
      i = j + 1;
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
      if (isFloat) {
        const token = text.slice(i, j);
        if (Number.isInteger(Number(token))) {
          out += `${text.slice(copied, i)}"${MARK_JSON}${token}"`;
          copied = j;
        }
      }
      i = j;
    } else {
      i++;
    }
  }
  return copied === 0 ? null : out + text.slice(copied);
}

function unmark(value: unknown): unknown {
  if (typeof value === "string") {
    return value.startsWith(MARK) ? new PyFloat(Number(value.slice(MARK.length))) : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v !== "number" && typeof v !== "boolean") value[i] = unmark(v);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    const v = obj[k];
    if (v !== null && typeof v !== "number" && typeof v !== "boolean") obj[k] = unmark(v);
  }
  return obj;
}

/**
 * `JSON.parse` that turns integral numbers written as floats into {@linkcode PyFloat}.
 * Texts without any float token take the plain `JSON.parse` path; otherwise the integral float
 * tokens are marked in one scan of the text, which is several times faster than a reviver.
 *
 * @example
 * ```ts
 * import { parseJsonKeepingFloats, PyFloat } from "./py_float.ts";
 * const v = parseJsonKeepingFloats('{"mode":[41.0,41.1],"n":3}') as { mode: unknown[] };
 * v.mode[0] instanceof PyFloat; // true
 * v.mode[1]; // 41.1
 * ```
 */
export function parseJsonKeepingFloats(text: string): unknown {
  if (!FLOAT_TOKEN.test(text)) return JSON.parse(text);
  if (text.includes("\\u0000")) {
    return JSON.parse(text, floatReviver as (key: string, value: unknown) => unknown);
  }
  const marked = markIntegralFloats(text);
  return marked === null ? JSON.parse(text) : unmark(JSON.parse(marked));
}
