/**
 * `esmond-ps-migrate`: moves an esmond archive's history into perfSONAR 5 `pscheduler_*`
 * documents. See `docs/esmond-ps-migrate.md`.
 *
 * @module
 */
import { runMigrate } from "./migrate/main.ts";

if (import.meta.main) Deno.exit(await runMigrate(Deno.args));
