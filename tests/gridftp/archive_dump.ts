/**
 * Reads back everything a test archive holds for `tool-name=gridftp`, in a canonical form that
 * two runs can be compared by: metadata (subject fields, free-form keys as the archive returns
 * them, event types) with the base series of each event type.
 *
 * @module
 */

/** One metadata and its data as the archive returns them. */
export interface DumpedMetadata {
  /** Every metadata field except keys, URLs and times, free-form values as strings. */
  readonly fields: Record<string, string>;
  /** Names of the registered event types, sorted. */
  readonly eventTypes: string[];
  /** Base series by event type: `[ts, val]` pairs in time order. */
  readonly data: Record<string, [number, unknown][]>;
}

const SKIP = new Set([
  "url",
  "uri",
  "metadata-key",
  "event-types",
  "metadata-count-total",
  "metadata-previous-page",
  "metadata-next-page",
]);

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}: ${await res.text()}`);
  return await res.json();
}

/**
 * Dumps the archive rooted at `root` (`…/perfsonar/archive/`), sorted canonically.
 *
 * @example
 * ```ts
 * import { dumpArchive } from "./archive_dump.ts";
 * import { serveArchive } from "../../lib/archive/mod.ts";
 * import assert from "node:assert/strict";
 * await using archive = serveArchive({ dbPath: ":memory:", hostname: "127.0.0.1", port: 0 });
 * assert.deepEqual(await dumpArchive(`${archive.url}/esmond/perfsonar/archive/`), []);
 * ```
 */
export async function dumpArchive(root: string): Promise<DumpedMetadata[]> {
  const list = await getJson(`${root}?tool-name=gridftp&limit=1000000`) as Record<
    string,
    unknown
  >[];
  const out: DumpedMetadata[] = [];
  for (const meta of list) {
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(meta)) {
      if (!SKIP.has(key)) fields[key] = String(value);
    }
    const types = (meta["event-types"] as { "event-type": string }[]).map((e) => e["event-type"]);
    const data: Record<string, [number, unknown][]> = {};
    for (const type of types) {
      const points = await getJson(
        `${root}${
          meta["metadata-key"]
        }/${type}/base?time-start=0&time-end=4000000000&limit=1000000`,
      ) as { ts: number; val: unknown }[];
      if (points.length > 0) data[type] = points.map((p) => [p.ts, p.val]);
    }
    out.push({ fields, eventTypes: types.sort(), data });
  }
  return canonical(out);
}

/**
 * Sorts dumped (or expected) metadata into a canonical order.
 *
 * @example
 * ```ts
 * import { canonical } from "./archive_dump.ts";
 * canonical([]);
 * ```
 */
export function canonical(items: DumpedMetadata[]): DumpedMetadata[] {
  const norm = items.map((item) => ({
    fields: Object.fromEntries(Object.entries(item.fields).sort(([a], [b]) => a < b ? -1 : 1)),
    eventTypes: [...item.eventTypes].sort(),
    data: Object.fromEntries(
      Object.entries(item.data).sort(([a], [b]) => a < b ? -1 : 1).map((
        [k, v],
      ) => [k, [...v].sort((x, y) => x[0] - y[0])]),
    ),
  }));
  return norm.sort((a, b) => {
    const ka = JSON.stringify(a.fields);
    const kb = JSON.stringify(b.fields);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
