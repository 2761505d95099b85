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
