/**
 * `esmond-ps-get-metadata`: the metadata of the tests matching the filters (`-M` for every
 * field). See `docs/esmond-ps-get-metadata.md`.
 *
 * @module
 */
import { main } from "./query/get_metadata.ts";

if (import.meta.main) await main(Deno.args);
