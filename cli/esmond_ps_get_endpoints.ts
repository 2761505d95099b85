/**
 * `esmond-ps-get-endpoints`: which tests an esmond archive holds (source, destination, agent,
 * tool, event types), in human, json or csv form. See `docs/esmond-ps-get-endpoints.md`.
 *
 * @module
 */
import { main } from "./query/get_endpoints.ts";

if (import.meta.main) await main(Deno.args);
