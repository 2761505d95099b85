/**
 * One log-safe line for an error of a broker connection: its message with control characters
 * (which a broker's error text may carry) escaped as `\xNN`.
 *
 * @module
 */

/**
 * The error's message, control characters escaped.
 *
 * @example
 * ```ts
 * import { describeError } from "./describe.ts";
 * import assert from "node:assert/strict";
 * assert.equal(describeError(new Error("a\nb")), "a\\x0ab");
 * ```
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : c;
  }
  return out;
}
