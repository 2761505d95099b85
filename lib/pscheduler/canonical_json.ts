/**
 * The canonical JSON text and SHA-256 digest behind `pscheduler.test_checksum` (spec §2.3):
 * sorted keys, no whitespace, numbers with 16 significant digits as perfSONAR's Ruby script
 * writes them.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { isObject, numberOf } from "./json_value.ts";

/**
 * A number as the Ruby canonicaliser writes it (`%.15E`, trailing zeros stripped).
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { canonicalNumber } from "./canonical_json.ts";
 * deepStrictEqual(canonicalNumber(0.30000000000000004), "0.3");
 * deepStrictEqual(canonicalNumber(1e21), "1e+21");
 * deepStrictEqual(canonicalNumber(30), "30");
 * ```
 */
export function canonicalNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot canonicalise ${x}`);
  if (x === 0) return "0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, expText] = Math.abs(x).toExponential(15).split("e");
  let exp = Number(expText);
  let [integral, fractional] = mantissa.split(".");
  fractional = fractional.replace(/0+$/, "");
  let exponent: string | undefined = exp > 0 ? `+${exp}` : String(exp);
  if (exp > 0 && exp < 21) {
    while (exp > 0) {
      integral += fractional[0] ?? "0";
      fractional = fractional.slice(1);
      exp--;
    }
    exponent = undefined;
  } else if (exp === 0) {
    exponent = undefined;
  } else if (exp < 0 && exp > -7) {
    fractional = "0".repeat(-exp - 1) + integral + fractional;
    integral = "0";
    exponent = undefined;
  }
  return `${sign}${integral}${fractional ? `.${fractional}` : ""}${exponent ? `e${exponent}` : ""}`;
}

function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical JSON text of a value.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./canonical_json.ts";
 * canonicalJson({ b: 1, a: [true, null, "x"] }); // '{"a":[true,null,"x"],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const n = numberOf(value);
  if (n !== undefined) return canonicalNumber(n);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort(compareUtf16);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  if (value === undefined) return "null";
  return JSON.stringify(value);
}

/**
 * Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { sha256Hex } from "./canonical_json.ts";
 * deepStrictEqual(sha256Hex("").slice(0, 8), "e3b0c442");
 * ```
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * `pscheduler.test_checksum`: SHA-256 of the canonical `{test, observer_ip, tool}`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { testChecksum } from "./canonical_json.ts";
 * deepStrictEqual(
 *   testChecksum({ type: "rtt", spec: { dest: "1.1.1.1", schema: 1 } }, null, "ping"),
 *   "b8834f45975ba7c45edad959caf379bca1db251c98f75e736acec2734131b10a",
 * );
 * ```
 */
export function testChecksum(test: unknown, observerIp: unknown, tool: unknown): string {
  return sha256Hex(canonicalJson({ test: test ?? null, observer_ip: observerIp ?? null, tool }));
}
