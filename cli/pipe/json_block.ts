/**
 * Finds the JSON object in a tool's output by parsing, so warnings printed before or after it
 * (`warning: ...`, `Control connection MSS ...`) do not break it.
 *
 * @module
 */

/** The outcome of {@linkcode locateJsonObject}. */
export type JsonBlockResult =
  | {
    readonly ok: true;
    /** The parsed object. */
    readonly value: Record<string, unknown>;
    /** Non-blank lines outside the object that were skipped. */
    readonly skippedLines: readonly string[];
  }
  | {
    readonly ok: false;
    /** Why no object was found: `none`, `truncated` or `invalid`. */
    readonly reason: "none" | "truncated" | "invalid";
    /** One line naming the problem. */
    readonly message: string;
  };

/**
 * Index just past the `}` that closes the object opening at `start`, or -1 when the text ends
 * first. Braces inside JSON strings do not count.
 */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function nonBlank(text: string): string[] {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

/**
 * Locates the first complete JSON object that starts at the beginning of a line.
 *
 * @example
 * ```ts
 * import { locateJsonObject } from "./json_block.ts";
 * import assert from "node:assert/strict";
 * const found = locateJsonObject(["warning: noise", "{", '  "a": 1', "}"]);
 * assert.ok(found.ok);
 * if (found.ok) assert.equal(found.value.a, 1);
 * ```
 */
export function locateJsonObject(lines: readonly string[]): JsonBlockResult {
  const text = lines.join("\n");
  let offset = 0;
  let lastError: JsonBlockResult | undefined;
  for (const line of lines) {
    const lineStart = offset;
    offset += line.length + 1;
    const indent = line.length - line.trimStart().length;
    if (line.trimStart()[0] !== "{") continue;
    const start = lineStart + indent;
    const end = closingBrace(text, start);
    if (end < 0) {
      lastError ??= {
        ok: false,
        reason: "truncated",
        message: `JSON output is truncated: the input ended before the object opened at "${
          excerpt(line, 40)
        }" was closed`,
      };
      break;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end));
    } catch (error) {
      lastError ??= {
        ok: false,
        reason: "invalid",
        message: `invalid JSON: ${(error as Error).message}`,
      };
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    return {
      ok: true,
      value: value as Record<string, unknown>,
      skippedLines: [...nonBlank(text.slice(0, start)), ...nonBlank(text.slice(end))],
    };
  }
  if (lastError) return lastError;
  const shown = excerpt(lines.join(" "));
  return {
    ok: false,
    reason: "none",
    message: shown === ""
      ? "no JSON output found: the tool printed nothing"
      : `no JSON output found in the tool output: ${shown}`,
  };
}
