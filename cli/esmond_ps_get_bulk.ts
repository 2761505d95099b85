/**
 * `esmond-ps-get-bulk`: exports every matching metadata/event type to one csv or json file
 * each, resumable and concurrent. See `docs/esmond-ps-get-bulk.md`.
 *
 * @module
 */
import { runQueryTool } from "./options/main.ts";
import { runBulkExport } from "./render/bulk_export.ts";

if (import.meta.main) await runQueryTool("esmond-ps-get-bulk", Deno.args, runBulkExport);
