/**
 * perfSONAR 5 `pscheduler_*` indices as a {@linkcode ReadStore}: the esmond model of
 * `lib/opensearch/` with series points gathered into the chunks the read endpoints stream.
 *
 * @module
 */
import type { PschedulerStore } from "../opensearch/pscheduler_store.ts";
import type { ReadStore } from "./read_store.ts";
import type { SeriesChunk } from "./series_store.ts";

/**
 * Wraps `store` for the read endpoints.
 *
 * @example
 * ```ts
 * import { openSearchReadStore } from "./opensearch_read_store.ts";
 * // const reads = openSearchReadStore(new PschedulerStore({ client }));
 * ```
 */
export function openSearchReadStore(store: PschedulerStore): ReadStore {
  return {
    search: (query, limit, offset) => store.search(query, limit, offset),
    findByKey: (key) => store.findByKey(key),
    async *seriesChunks(record, row, range, chunkPoints = 8192): AsyncGenerator<SeriesChunk> {
      let parts: string[] = [];
      let last: number | null = null;
      for await (const point of store.points(record, row, range)) {
        parts.push(`{"ts":${point.ts},"val":${point.val}}`);
        last = point.ts;
        if (parts.length >= chunkPoints) {
          yield { text: parts.join(","), count: parts.length, last };
          parts = [];
        }
      }
      if (parts.length) yield { text: parts.join(","), count: parts.length, last };
    },
    async hasPointAfter(record, row, ts, end) {
      for await (
        const _ of store.points(record, row, { begin: ts + 1, end, limit: 1, offset: 0 })
      ) {
        return true;
      }
      return false;
    },
  };
}
