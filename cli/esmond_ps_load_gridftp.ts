/**
 * Entry point of `esmond-ps-load-gridftp`; the work is in `cli/gridftp/`.
 *
 * @module
 */
import { main } from "./gridftp/main.ts";

if (import.meta.main) Deno.exit(await main(Deno.args));
