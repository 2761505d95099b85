/**
 * Turns the text `esmond-ps-pipe` read into the pieces needed to store it: the tool, the
 * input source/destination and the parsed iperf3 JSON — or the list of what could not be
 * extracted. bwctl `--verbose` output is the default; plain `iperf3 -J` output is accepted when
 * the caller supplies what the bwctl header lines would carry.
 *
 * @module
 */
import { scanBwctl } from "./bwctl_header.ts";
import { locateJsonObject } from "./json_block.ts";

/** Command-line values that complement or replace the bwctl header lines. */
export interface ExtractOptions {
  /** `--input-source`. */
  readonly inputSource?: string;
  /** `--input-destination`. */
  readonly inputDestination?: string;
  /** `--tool-name`: the stored `tool-name`. */
  readonly toolName?: string;
}

/** A successful extraction. */
export interface Extracted {
  /** Always `true`. */
  readonly ok: true;
  /** `bwctl` for bwctl `--verbose` output, `iperf3` for plain `iperf3 -J` output. */
  readonly mode: "bwctl" | "iperf3";
  /** The tool that produced the output (`bwctl: Using tool:`); only `iperf3` can be stored. */
  readonly tool: string;
  /** The stored `tool-name`. */
  readonly toolName: string;
  /** The stored `input-source`. */
  readonly inputSource: string;
  /** The stored `input-destination`. */
  readonly inputDestination: string;
  /** The parsed JSON result. */
  readonly json: Record<string, unknown>;
  /** Non-JSON lines skipped around the JSON (warnings). */
  readonly skippedLines: readonly string[];
  /** UNIX seconds of bwctl's `start_tool`, when known. */
  readonly startToolTime?: number;
}

/** A failed extraction: every problem found, one line each, in the original's order. */
export interface ExtractFailure {
  /** Always `false`. */
  readonly ok: false;
  /** One line per problem. */
  readonly errors: readonly string[];
}

/** Only iperf3 results can be stored. */
export const SUPPORTED_TOOL = "iperf3";

function looksBinary(text: string): boolean {
  return text.includes("\u0000") || text.includes("\uFFFD");
}

/** Why the tool output held no usable JSON, as the original's `could not load json_block` line. */
function jsonError(message: string, interleaved: readonly string[]): string {
  const said = interleaved.length > 0 ? ` (${interleaved.join(" | ")})` : "";
  return `could not load json_block: ${message}${said}`;
}

/**
 * Extracts metadata sources and the JSON result from the input text. Error lines start with the
 * original's texts (`did not find bwctl: start_tool token ...`, `could not extract tool_name`,
 * `could not load json_block: ...`), followed by what was missing.
 *
 * @example
 * ```ts
 * import { extractInput } from "./extract.ts";
 * import assert from "node:assert/strict";
 * const result = extractInput("", {});
 * assert.deepEqual(result.ok, false);
 * ```
 */
export function extractInput(text: string, options: ExtractOptions): Extracted | ExtractFailure {
  const errors: string[] = [];
  if (text.trim() === "") errors.push("no input: the input is empty");
  const lines = text.split("\n");
  const header = scanBwctl(lines);
  if (looksBinary(text) && !header.startToolSeen) {
    errors.push("the input is not text (NUL bytes or invalid UTF-8): not bwctl or iperf3 output");
  }
  const plain = !header.startToolSeen &&
    (options.inputSource !== undefined || options.inputDestination !== undefined);
  const inputSource = options.inputSource ?? header.inputSource;
  const inputDestination = options.inputDestination ?? header.inputDestination;
  if (!plain && !header.startToolSeen) {
    errors.push("did not find bwctl: start_tool token to extract JSON from output");
    errors.push(
      "bwctl must be run with the --verbose flag (for plain iperf3 -J output give --input-source and --input-destination)",
    );
  }
  if (!plain && header.toolName === undefined) {
    errors.push("could not extract tool_name: no 'bwctl: Using tool: <tool>' line");
  }
  if (inputSource === undefined) {
    errors.push(
      "could not extract input_source (input-source): no 'bwctl: Using <addr> as the address for remote sender' line",
    );
  }
  if (inputDestination === undefined) {
    errors.push(
      "could not extract input_destination (input-destination): no 'bwctl: Using <addr> as the address for remote receiver' line",
    );
  }
  const region = plain
    ? lines.filter((l) => !l.trimStart().startsWith("bwctl:"))
    : header.toolOutput;
  const found = plain || header.startToolSeen ? locateJsonObject(region) : undefined;
  if (found === undefined) errors.push(jsonError("no tool output to read", []));
  else if (!found.ok) errors.push(jsonError(found.message, header.interleaved));
  const tool = plain ? SUPPORTED_TOOL : header.toolName ?? SUPPORTED_TOOL;
  if (errors.length > 0 && tool !== SUPPORTED_TOOL) {
    errors.push(
      `there is no handler for input type: ${tool} (only ${SUPPORTED_TOOL} is supported)`,
    );
  }
  if (errors.length > 0 || found === undefined || !found.ok) return { ok: false, errors };
  return {
    ok: true,
    mode: plain ? "iperf3" : "bwctl",
    tool,
    toolName: options.toolName ?? (plain ? SUPPORTED_TOOL : `bwctl/${tool}`),
    inputSource: inputSource as string,
    inputDestination: inputDestination as string,
    json: found.value,
    skippedLines: found.skippedLines,
    startToolTime: header.startToolTime,
  };
}
