/**
 * Entry point of `esmond-ps-pipe`: stores a bwctl/iperf3 result read from stdin or `--file`.
 *
 * @example
 * ```sh
 * bwctl -c HOST -T iperf3 --parsable --verbose |& esmond-ps-pipe -u USER -k KEY
 * ```
 *
 * @module
 */
import { runPipe } from "./pipe/run.ts";
import { writeAllSync } from "./program_log/mod.ts";

if (import.meta.main) {
  const status = await runPipe(Deno.args, {
    stdin: Deno.stdin.readable,
    stdout: (text) => writeAllSync(Deno.stdout, text),
    stderr: (text) => writeAllSync(Deno.stderr, text),
  });
  Deno.exit(status);
}
