/**
 * Ruby's text forms of parsed JSON values where Logstash's Ruby code prints them: `to_s`
 * (string interpolation, `Array#join`) and `inspect` (an array interpolated into the trace hop
 * fingerprint). JSON integers are Ruby Integers; non-integral numbers and
 * {@linkcode PyFloat}s (`1.0`) are Floats. Pure.
 *
 * @module
 */
import { PyFloat } from "../esmond/py_json/py_float.ts";
import { isObject } from "./json_value.ts";

/**
 * Ruby's `Float#to_s`: shortest digits, `.0` for integral values, exponent form below 1e-4 and
 * from 1e16 on (`1.0e+16`, `1.0e-05`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { rubyFloatToS } from "./ruby_text.ts";
 * deepStrictEqual(rubyFloatToS(64500), "64500.0");
 * deepStrictEqual(rubyFloatToS(1e16), "1.0e+16");
 * deepStrictEqual(rubyFloatToS(0.00001), "1.0e-05");
 * deepStrictEqual(rubyFloatToS(0.0001), "0.0001");
 * ```
 */
export function rubyFloatToS(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decpt = Number(exp) + 1; // digits before the decimal point
  if (decpt > 0 && decpt <= 16) {
    const whole = digits.slice(0, decpt).padEnd(decpt, "0");
    const fraction = digits.slice(decpt);
    return `${sign}${whole}.${fraction === "" ? "0" : fraction}`;
  }
  if (decpt <= 0 && decpt > -4) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  const e = decpt - 1;
  const rest = digits.slice(1);
  return `${sign}${digits[0]}.${rest === "" ? "0" : rest}e${e < 0 ? "-" : "+"}${
    String(Math.abs(e)).padStart(2, "0")
  }`;
}

function inspectString(text: string): string {
  return `"${
    text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/#(?=[{$@])/g, "\\#").replace(
      // deno-lint-ignore no-control-regex
      /[\x00-\x1f\x7f]/g,
      (c) =>
        ({
          "\n": "\\n",
          "\t": "\\t",
          "\r": "\\r",
          "\f": "\\f",
          "\v": "\\v",
          "\b": "\\b",
          "\x07": "\\a",
          "\x1b": "\\e",
        })[c] ?? `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
    )
  }"`;
}

function numberText(value: number | PyFloat): string {
  if (value instanceof PyFloat) return rubyFloatToS(value.value);
  return Number.isInteger(value) ? String(value) : rubyFloatToS(value);
}

/**
 * Ruby's `inspect` (Ruby 3.1): strings quoted and escaped, `nil`, arrays `[a, b]`, hashes
 * `{"k"=>v}`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { rubyInspect } from "./ruby_text.ts";
 * deepStrictEqual(rubyInspect(["192.0.2.1", null, [1, 2.5]]), '["192.0.2.1", nil, [1, 2.5]]');
 * deepStrictEqual(rubyInspect({ a: "x" }), '{"a"=>"x"}');
 * ```
 */
export function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return inspectString(value);
  if (typeof value === "number" || value instanceof PyFloat) return numberText(value);
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(", ")}]`;
  if (isObject(value)) {
    const pairs = Object.entries(value).map(([k, v]) => `${inspectString(k)}=>${rubyInspect(v)}`);
    return `{${pairs.join(", ")}}`;
  }
  return String(value);
}

/**
 * Ruby's `to_s`: strings as they are, `nil` as empty text, arrays and hashes as `inspect`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { rubyToS } from "./ruby_text.ts";
 * deepStrictEqual(rubyToS(["a", "b"]), '["a", "b"]');
 * deepStrictEqual(rubyToS(null), "");
 * deepStrictEqual(rubyToS(13335), "13335");
 * ```
 */
export function rubyToS(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || value instanceof PyFloat) return numberText(value);
  if (Array.isArray(value) || isObject(value)) return rubyInspect(value);
  return String(value);
}

/**
 * Ruby's `Array#join(separator)`: nested arrays flattened, each element by `to_s`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { rubyJoin } from "./ruby_text.ts";
 * deepStrictEqual(rubyJoin(["a", ["b", null], 1.5], " "), "a b  1.5");
 * ```
 */
export function rubyJoin(list: readonly unknown[], separator: string): string {
  return list.map((v) => (Array.isArray(v) ? rubyJoin(v, separator) : rubyToS(v))).join(
    separator,
  );
}
