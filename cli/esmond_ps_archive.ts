/**
 * Entry point of `esmond-ps-archive`, an embedded esmond-compatible measurement archive on
 * SQLite; the work is in `cli/archive/`.
 *
 * @module
 */
import { main } from "./archive/main.ts";

if (import.meta.main) Deno.exit(await main(Deno.args));
