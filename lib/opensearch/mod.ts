/**
 * perfSONAR 5 archives in OpenSearch (`pscheduler_*` data streams) for the esmond tools:
 * connection options, the esmond model over the documents (metadata, series, summaries by
 * aggregation), an `ArchiveSource` for the query library, and perfSONAR's index template.
 *
 * @example
 * ```ts
 * import { OpenSearchSource, openSearchUrl } from "./mod.ts";
 * const url = openSearchUrl("opensearch+https://archive.example.net/opensearch")!;
 * const source = new OpenSearchSource({ url });
 * source.close();
 * ```
 *
 * @module
 */
export { openSearchClient, shownUrl } from "./connection.ts";
export type { OpenSearchConnectionOptions } from "./connection.ts";
export { esmondViewOf } from "./document_view.ts";
export type { EsmondRun, EsmondView, PschedulerDocument } from "./document_view.ts";
export { ESMOND_KEY_FIELD, metadataKeyOf } from "./metadata_key.ts";
export {
  ESMOND_METADATA_INDEX,
  esmondMetadataOf,
  recordOfRendered,
  storeEsmondMetadata,
} from "./esmond_metadata.ts";
export type { GroupIdentity } from "./metadata_key.ts";
export { PSCHEDULER_INDEX, PschedulerStore } from "./pscheduler_store.ts";
export type { PschedulerStoreOptions, RenderedPoint, SeriesRange } from "./pscheduler_store.ts";
export { OpenSearchSource } from "./opensearch_source.ts";
export { lazyOpenSearchSource } from "./lazy_source.ts";
export type { OpenSearchSourceOptions } from "./opensearch_source.ts";
export { installPschedulerTemplate } from "./template.ts";
export { OPENSEARCH_SCHEME, openSearchUrl } from "./url_scheme.ts";
