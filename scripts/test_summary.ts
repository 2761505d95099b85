/**
 * Reads `deno test` output on stdin, passes it through unchanged, and ends with the plain line
 * `N passed, N failed` taken from Deno's own summary (ignored tests are counted on the line
 * before, never as passed). Exits non-zero when Deno reported failures
 * or no summary was found.
 *
 * @module
 */

/** Counts read off a `deno test` summary line. */
export interface TestCounts {
  /** Tests that passed. */
  readonly passed: number;
  /** Tests that failed. */
  readonly failed: number;
  /** Tests that were ignored. */
  readonly ignored: number;
}

// deno prints e.g. "ok | 12 passed (3 steps) | 0 failed | 1 ignored (2s)"
const SUMMARY = /^(?:ok|FAILED)\s*\|\s*(\d+) passed(?: \(\d+ steps?\))?\s*\|\s*(\d+) failed/;
const IGNORED = /\|\s*(\d+) ignored/;
// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * The counts of the last summary line in `output`, or null when there is none.
 *
 * @example
 * ```ts
 * import { parseTestSummary } from "./test_summary.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseTestSummary("ok | 3 passed | 0 failed (1s)"), { passed: 3, failed: 0, ignored: 0 });
 * ```
 */
export function parseTestSummary(output: string): TestCounts | null {
  let counts: TestCounts | null = null;
  for (const rawLine of output.split("\n")) {
    const line = rawLine.replace(ANSI, "").trim();
    const match = SUMMARY.exec(line);
    if (match === null) continue;
    const ignored = IGNORED.exec(line);
    counts = {
      passed: Number(match[1]),
      failed: Number(match[2]),
      ignored: ignored ? Number(ignored[1]) : 0,
    };
  }
  return counts;
}

async function main(): Promise<number> {
  const decoder = new TextDecoder();
  let tail = "";
  for await (const chunk of Deno.stdin.readable) {
    await Deno.stdout.write(chunk);
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-20_000);
  }
  const counts = parseTestSummary(tail);
  if (counts === null) {
    console.error("error: no deno test summary line found in the output");
    console.log("0 passed, 1 failed");
    return 1;
  }
  if (counts.ignored > 0) console.log(`${counts.ignored} ignored (see the "ignored:" lines)`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return counts.failed > 0 ? 1 : 0;
}

if (import.meta.main) {
  Deno.exit(await main());
}
