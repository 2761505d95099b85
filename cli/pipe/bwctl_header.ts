/**
 * Reads bwctl's `--verbose` chatter: tool name, the sender/receiver addresses and where the
 * tool's own output starts and ends.
 *
 * @module
 */
import type { BwctlHeader } from "./types.ts";

/** Seconds between the NTP era (1900) and the UNIX epoch (1970); bwctl prints NTP time. */
export const NTP_UNIX_OFFSET = 2208988800;

const SENDER_SUFFIX = "as the address for remote sender";
const RECEIVER_SUFFIX = "as the address for remote receiver";

/** Strips the brackets some tools put around IPv6 literals (`[::1]`). */
function bareAddress(word: string): string {
  return word.startsWith("[") && word.endsWith("]") ? word.slice(1, -1) : word;
}

function ntpToUnix(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ntp = Number(text);
  if (!Number.isFinite(ntp) || ntp <= NTP_UNIX_OFFSET) return undefined;
  return Math.floor(ntp - NTP_UNIX_OFFSET);
}

/**
 * Scans the lines of a bwctl run. Before `start_tool` only `bwctl:` lines count; between
 * `start_tool` and `stop_tool` every non-blank line that is not a `bwctl:` line is tool output
 * (bwctl's own stderr lines may be interleaved there and are dropped).
 *
 * @example
 * ```ts
 * import { scanBwctl } from "./bwctl_header.ts";
 * import assert from "node:assert/strict";
 * const header = scanBwctl([
 *   "bwctl: Using 10.0.0.1 as the address for remote sender",
 *   "bwctl: Using tool: iperf3",
 *   "bwctl: start_tool: 3600000000.5",
 *   "{}",
 *   "bwctl: stop_tool: 3600000005.5",
 * ]);
 * assert.deepEqual(header.inputSource, "10.0.0.1");
 * assert.deepEqual(header.toolOutput, ["{}"]);
 * ```
 */
export function scanBwctl(lines: readonly string[]): BwctlHeader {
  let toolName: string | undefined;
  let inputSource: string | undefined;
  let inputDestination: string | undefined;
  let startToolSeen = false;
  let startToolTime: number | undefined;
  let stopToolSeen = false;
  let anyBwctlLine = false;
  const toolOutput: string[] = [];
  const interleaved: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    const isBwctl = line.startsWith("bwctl:");
    anyBwctlLine ||= isBwctl;
    if (startToolSeen && !isBwctl) {
      toolOutput.push(raw.replace(/\r$/, ""));
      continue;
    }
    if (!isBwctl) continue;
    const words = line.split(/\s+/);
    if (startToolSeen && !line.startsWith("bwctl: stop_tool:")) interleaved.push(line);
    if (line.startsWith("bwctl: stop_tool:")) {
      stopToolSeen = true;
      if (startToolSeen) break;
    } else if (line.startsWith("bwctl: start_tool:")) {
      startToolSeen = true;
      startToolTime = ntpToUnix(words[2]);
    } else if (line.startsWith("bwctl: Using tool:") && words[3] !== undefined) {
      toolName = words[3];
    } else if (line.endsWith(SENDER_SUFFIX) && words[2] !== undefined) {
      inputSource = bareAddress(words[2]);
    } else if (line.endsWith(RECEIVER_SUFFIX) && words[2] !== undefined) {
      inputDestination = bareAddress(words[2]);
    }
  }
  return {
    toolName,
    inputSource,
    inputDestination,
    startToolSeen,
    startToolTime,
    stopToolSeen,
    anyBwctlLine,
    toolOutput,
    interleaved,
  };
}
