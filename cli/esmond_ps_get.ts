/**
 * `esmond-ps-get`: the data of one event type between a source and a destination, in human,
 * json or csv form, streamed as the archive's pages arrive. See `docs/esmond-ps-get.md`.
 *
 * @module
 */
import { main } from "./query/get.ts";

if (import.meta.main) await main(Deno.args);
