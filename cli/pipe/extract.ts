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
  /** The stored `tool-name`. */
  readonly toolName: string;
  /** The stored `input-source`. */
  readonly inputSource: string;
  /** The stored `input-destination`. */
  readonly inputDestination: string;
  /** The iperf3 result. */
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

/**
 * Extracts metadata sources and the JSON result from the input text.
 *
 * @example
 * ```ts
 * import { extractInput } from "./extract.ts";
 * const result = extractInput("", {});
 * result.ok; // false
 * ```
 */
export function extractInput(text: string, options: ExtractOptions): Extracted | ExtractFailure {
  if (text.trim() === "") {
    return {
      ok: false,
      errors: [
        "no input: the input is empty (did not find bwctl: start_tool token to extract JSON from output)",
      ],
    };
  }
  const lines = text.split("\n");
  const header = scanBwctl(lines);
  const errors: string[] = [];
  if (looksBinary(text) && !header.startToolSeen) {
    errors.push("the input is not text (NUL bytes or invalid UTF-8): not bwctl or iperf3 output");
  }
  const plain = !header.startToolSeen &&
    (options.inputSource !== undefined || options.inputDestination !== undefined);
  const inputSource = options.inputSource ?? header.inputSource;
  const inputDestination = options.inputDestination ?? header.inputDestination;
  let tool = SUPPORTED_TOOL;
  if (!plain) {
    if (!header.startToolSeen) {
      errors.push("did not find bwctl: start_tool token to extract JSON from output");
      errors.push(
        "bwctl must be run with the --verbose flag (for plain iperf3 -J output give --input-source and --input-destination)",
      );
    }
    if (header.toolName === undefined) {
      errors.push("could not extract tool_name: no 'bwctl: Using tool: <tool>' line");
    } else {
      tool = header.toolName;
    }
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
  if (tool !== SUPPORTED_TOOL) {
    errors.push(
      `there is no handler for input type: ${tool} (only ${SUPPORTED_TOOL} is supported)`,
    );
  }
  const region = plain
    ? lines.filter((l) => !l.trimStart().startsWith("bwctl:"))
    : header.toolOutput;
  const found = tool === SUPPORTED_TOOL && (plain || header.startToolSeen)
    ? locateJsonObject(region)
    : undefined;
  if (found !== undefined && !found.ok) errors.push(found.message);
  if (found === undefined && tool === SUPPORTED_TOOL && !plain) {
    errors.push("could not load JSON block: no tool output to read");
  }
  if (errors.length > 0 || found === undefined || !found.ok) return { ok: false, errors };
  return {
    ok: true,
    mode: plain ? "iperf3" : "bwctl",
    toolName: options.toolName ?? (plain ? SUPPORTED_TOOL : `bwctl/${tool}`),
    inputSource: inputSource as string,
    inputDestination: inputDestination as string,
    json: found.value,
    skippedLines: found.skippedLines,
    startToolTime: header.startToolTime,
  };
}
