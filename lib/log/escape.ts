/**
 * Escaping of control characters for anything shown on a terminal or stored in a log: ESC
 * sequences from measurement data must not move the cursor or retitle a terminal. Pure.
 *
 * @module
 */

// C0 controls, DEL and C1 controls (U+009B is a one-character CSI on many terminals).
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// deno-lint-ignore no-control-regex
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** Options of {@linkcode escapeControl}. */
export interface EscapeOptions {
  /** Leave `\n` as it is (multi-line progress text). */
  readonly keepNewlines?: boolean;
}

/**
 * `text` with every control character written as `\uXXXX` (valid in JSON strings too).
 *
 * @example
 * ```ts
 * import { escapeControl } from "./escape.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeControl("a\x1b[2Jb"), "a\\u001b[2Jb");
 * assert.equal(escapeControl("one\ntwo", { keepNewlines: true }), "one\ntwo");
 * ```
 */
export function escapeControl(text: string, options: EscapeOptions = {}): string {
  const pattern = options.keepNewlines ? CONTROL_BUT_NEWLINE : CONTROL;
  return text.replace(
    pattern,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * `text` made fit for a file name: control characters and `/` become `_`, and a name that is
 * only dots (`.`, `..`) gets a leading `_`.
 *
 * @example
 * ```ts
 * import { fileNamePart } from "./escape.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fileNamePart("a\x1b]0;x\x07/b"), "a_]0;x__b");
 * assert.equal(fileNamePart(".."), "_..");
 * ```
 */
export function fileNamePart(text: string): string {
  const cleaned = text.replace(CONTROL, "_").replaceAll("/", "_");
  return /^\.*$/.test(cleaned) ? `_${cleaned}` : cleaned;
}
