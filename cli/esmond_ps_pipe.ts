/**
 * Entry point of `esmond-ps-pipe`: stores a bwctl/iperf3 result read from stdin or `--file`;
 * the work is in `cli/pipe/`.
 *
 * ```sh
 * bwctl -c HOST -T iperf3 --parsable --verbose |& esmond-ps-pipe -u USER -k KEY
 * ```
 *
 * @module
 */
import { main } from "./pipe/main.ts";

if (import.meta.main) Deno.exit(await main(Deno.args));
