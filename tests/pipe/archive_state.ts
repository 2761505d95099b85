/**
 * Reads back what an archive holds through the client library's query side, for the pipe's
 * integration tests.
 *
 * @module
 */
import { ApiConnect, ApiFilters } from "../../lib/esmond/mod.ts";

/** One stored metadata with every point of every event type. */
export interface StoredMetadata {
  /** The metadata JSON as the archive returned it. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Event-type names, in archive order. */
  readonly eventTypes: string[];
  /** Points per event type: `[ts, val]`. */
  readonly points: Record<string, [number, unknown][]>;
}

/**
 * Every metadata of the archive at `url` (root URL, default `/esmond` alias) with its points.
 *
 * @example
 * ```ts
 * // const stored = await storedState(archive.url);
 * ```
 */
export async function storedState(url: string): Promise<StoredMetadata[]> {
  using conn = new ApiConnect({ url, filters: new ApiFilters({}) });
  const all: StoredMetadata[] = [];
  const window = new ApiFilters({ timeStart: 0, timeEnd: 4102444800 });
  for await (const md of conn.listMetadata()) {
    const points: Record<string, [number, unknown][]> = {};
    for (const eventType of md.getAllEventTypes()) {
      const payload = await eventType.getData(window);
      points[eventType.eventType] = payload.data.map((p) => [p.tsEpoch, p.val]);
    }
    all.push({ raw: md.raw, eventTypes: md.eventTypes, points });
  }
  return all;
}
