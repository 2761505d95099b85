/**
 * An {@linkcode ArchiveSource} over OpenSearch that loads the OpenSearch client only when first
 * used, so programs that merely may read OpenSearch (the query tools) start as fast as before
 * and need no extra permission unless they do.
 *
 * @module
 */
import type { ArchiveSource } from "../esmond/source.ts";
import type { OpenSearchSourceOptions } from "./opensearch_source.ts";

/**
 * A source that creates the real `OpenSearchSource` on first use.
 *
 * @example
 * ```ts
 * import { lazyOpenSearchSource } from "./lazy_source.ts";
 * import { strictEqual } from "node:assert/strict";
 * const source = lazyOpenSearchSource({ url: "https://u:p@h:9200/os" });
 * strictEqual(source.description, "https://h:9200/os");
 * source.close();
 * ```
 */
export function lazyOpenSearchSource(options: OpenSearchSourceOptions): ArchiveSource {
  let real: Promise<ArchiveSource> | undefined;
  const get = () =>
    real ??= import("./opensearch_source.ts").then((m) => new m.OpenSearchSource(options));
  const shown = new URL(options.url);
  shown.username = "";
  shown.password = "";
  return {
    description: shown.href.replace(/\/$/, ""),
    async *listMetadata(filters, listOptions) {
      yield* (await get()).listMetadata(filters, listOptions);
    },
    async *readSeries(series, filters, readOptions) {
      yield* (await get()).readSeries(series, filters, readOptions);
    },
    close() {
      void real?.then((source) => source.close());
    },
  };
}
