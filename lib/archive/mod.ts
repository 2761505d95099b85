/**
 * The embedded esmond-compatible measurement archive: SQLite store, esmond REST API handler,
 * server, tokens, fixture/export importers, the demo seed, and the pScheduler `/logstash` ingest
 * with its run store.
 *
 * @example
 * ```ts
 * import { serveArchive } from "./mod.ts";
 * await using archive = serveArchive({ dbPath: ":memory:", port: 0 });
 * const response = await fetch(`${archive.url}/esmond/perfsonar/archive/`);
 * ```
 *
 * @module
 */
export { openArchiveDb } from "./schema.ts";
export type { ArchiveDb } from "./schema.ts";
export { createArchiveHandler } from "./router.ts";
export type { ArchiveHandlerOptions } from "./router.ts";
export { serveArchive } from "./server.ts";
export type { RunningArchive, ServeOptions } from "./server.ts";
export { addToken, listTokens, revokeTokens, userForToken } from "./tokens.ts";
export type { TokenInfo } from "./tokens.ts";
export { importJsonText } from "./import_file.ts";
export type { FileImportResult } from "./import_file.ts";
export { seedDemo } from "./demo_seed.ts";
export type { SeedOptions, SeedResult } from "./demo_seed.ts";
export { DEFAULT_LIMITS } from "./limits.ts";
export type { MetadataLimits } from "./limits.ts";
export { checkUserName } from "./tokens.ts";
export {
  createLogstashIngest,
  IngestRejected,
  logstashRuns,
  prepareRuns,
  type RunContext,
} from "./logstash_ingest.ts";
export type { LogstashIngest, LogstashIngestOptions } from "./logstash_ingest.ts";
export {
  countPschedulerDocuments,
  ensurePschedulerTables,
  listPschedulerDocuments,
  storeRunGroups,
} from "./pscheduler_store.ts";
export type { LogstashRun, PreparedRun, StoredDocument, StoredRun } from "./pscheduler_store.ts";
export { systemResolver } from "./name_service.ts";
