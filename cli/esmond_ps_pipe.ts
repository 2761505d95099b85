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

const encoder = new TextEncoder();

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
}

if (import.meta.main) {
  const status = await runPipe(Deno.args, {
    stdin: Deno.stdin.readable,
    stdout: (text) => writeAll(Deno.stdout, text),
    stderr: (text) => writeAll(Deno.stderr, text),
  });
  Deno.exit(status);
}
