/**
 * `esmond-ps-get-bulk`: exports every matching metadata/event type to one csv or json file
 * each, resumable and concurrent. See `docs/esmond-ps-get-bulk.md`.
 *
 * @module
 */
import { main } from "./query/get_bulk.ts";

if (import.meta.main) await main(Deno.args);
