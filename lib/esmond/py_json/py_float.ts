/**
 * Numbers that remember they were written as floats. esmond sends integer-typed data as
 * `325.0`, and the original Python tools print exactly that, so `325.0` and `325` must stay
 * distinguishable after parsing (clients spec §3).
 *
 * @module
 */
import { pyFloatRepr } from "./float_text.ts";

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
 * import assert from "node:assert/strict";
 * const f = new PyFloat(325);
 * assert.deepEqual(String(f), "325.0");
 * assert.deepEqual(JSON.stringify({ v: f }), '{"v":325.0}');
 * assert.deepEqual(+f + 1, 326);
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
 * import assert from "node:assert/strict";
 * assert.deepEqual(toPlainNumber(new PyFloat(3)), 3);
 * assert.deepEqual(toPlainNumber("x"), "x");
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
 * import assert from "node:assert/strict";
 * assert.deepEqual(isFloatText("325.0"), true);
 * assert.deepEqual(isFloatText("325"), false);
 * ```
 */
export function isFloatText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 101 || c === 69) return true;
  }
  return false;
}
