/**
 * `esmond-ps-pipe` on the process's own standard streams.
 *
 * @module
 */
import { writeAllSync } from "../program_log/mod.ts";
import { runPipe } from "./run.ts";

/**
 * Runs `esmond-ps-pipe` with `args` on stdin/stdout/stderr; resolves to the exit status.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await main(["--bogus"]), 2); // one "esmond-ps-pipe: error: …" line on stderr
 * ```
 */
export function main(args: readonly string[]): Promise<number> {
  return runPipe(args, {
    stdin: Deno.stdin.readable,
    stdout: (text) => writeAllSync(Deno.stdout, text),
    stderr: (text) => writeAllSync(Deno.stderr, text),
  });
}
