/**
 * The esmond archive model over perfSONAR 5 `pscheduler_*` documents: metadata from the
 * groups of `metadata_groups.ts` (one per metadata identity, newest document per group),
 * base series read with point-in-time + `search_after`, summaries from `summary_bins.ts`
 * (numeric ones computed by OpenSearch aggregations). Everything comes from the cluster; the
 * store keeps no state, so several processes can serve one cluster.
 *
 * Records and series texts are the ones the SQLite archive would hold for the same esmond view
 * (same validation, same rendering), so both backends answer with the same bytes.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { type DataType, eventTypeInfo } from "../esmond/event_types.ts";
import type { EventTypeRow, MetadataQuery, MetadataRecord } from "../archive/metadata_store.ts";
import { baseRender } from "../archive/points_table.ts";
import { parsePyJsonTree } from "../esmond/py_json/tree.ts";
import { type StoredValue, validateValue } from "../archive/values.ts";
import {
  type EsmondView,
  esmondViewOf,
  numericFieldOf,
  pathValue,
  type PschedulerDocument,
} from "./document_view.ts";
import { groupRecord, type MetadataGroup, metadataGroups } from "./metadata_groups.ts";
import { histogramSummaryBins, numericSummaryBins, type RenderedPoint } from "./summary_bins.ts";
import { matchesQuery } from "./metadata_filter.ts";
import { ESMOND_KEY_FIELD, identityFilter } from "./metadata_key.ts";

export type { RenderedPoint };

/** The index pattern perfSONAR 5 writes to. */
export const PSCHEDULER_INDEX = "pscheduler_*";

/** Options of {@linkcode PschedulerStore}. */
export interface PschedulerStoreOptions {
  /** The cluster. */
  readonly client: Client;
  /** Index pattern (default {@linkcode PSCHEDULER_INDEX}). */
  readonly index?: string;
  /** Document → esmond view (default {@linkcode esmondViewOf}). */
  readonly view?: EsmondView;
  /** Buckets per composite page when listing metadata (default 500). */
  readonly groupPageSize?: number;
  /** Documents per search page when reading series (default 2000). */
  readonly docPageSize?: number;
}

/** The range and page of a series read (as the SQLite store takes it). */
export interface SeriesRange {
  /** First second, inclusive. */
  readonly begin: number;
  /** Last second, inclusive. */
  readonly end: number;
  /** Maximum points. */
  readonly limit: number;
  /** Points to skip. */
  readonly offset: number;
}

interface RecordInfo {
  readonly group: MetadataGroup;
  readonly testType: string;
}

type Json = Record<string, unknown>;

/** The answer, or an error naming the first shard failure (a partial answer would lose data). */
function checked(answer: Json): Json {
  const shards = answer._shards as { failed?: number; failures?: unknown[] } | undefined;
  if (shards?.failed) {
    throw new Error(
      `OpenSearch shard failure: ${JSON.stringify(shards.failures?.[0]).slice(0, 500)}`,
    );
  }
  return answer;
}

/** Whether a document holds values an esmond archive stored (migrated or esmond-written). */
function fromEsmond(doc: PschedulerDocument): boolean {
  return typeof pathValue(doc, ESMOND_KEY_FIELD) === "string";
}

/**
 * The value esmond stores for `val`. esmond keeps a float as `int(v × 10000)`; a value it
 * served is already such a multiple (`0.0003`), and truncating it again would lose one unit
 * wherever `v × 10000` falls below the integer in binary (`0.0003 × 10000` =
 * 2.9999999999999996). So a value from an esmond archive (`esmondValue`) keeps its units; a
 * value perfSONAR 5 measured is truncated as esmond would on write.
 *
 * @example
 * ```ts
 * import { storedValue } from "./pscheduler_store.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(storedValue("float", 0.0003, true), { kind: "float", scaled: 3 });
 * deepStrictEqual(storedValue("float", 0.0003, false), { kind: "float", scaled: 2 });
 * ```
 */
export function storedValue(dataType: DataType, val: unknown, esmondValue: boolean): StoredValue {
  const stored = validateValue(dataType, parsePyJsonTree(JSON.stringify(val)));
  if (stored.kind === "float" && esmondValue && typeof val === "number") {
    const units = Math.round(val * 10000);
    if (units / 10000 === val) return { kind: "float", scaled: units };
  }
  return stored;
}

/** A paged read of esmond metadata and series from `pscheduler_*`. */
export class PschedulerStore {
  readonly #client: Client;
  readonly #index: string;
  readonly #view: EsmondView;
  readonly #groupPage: number;
  readonly #docPage: number;
  readonly #info = new WeakMap<MetadataRecord, RecordInfo>();

  /** Creates the store; no request is made yet. */
  constructor(options: PschedulerStoreOptions) {
    this.#client = options.client;
    this.#index = options.index ?? PSCHEDULER_INDEX;
    this.#view = options.view ?? esmondViewOf;
    this.#groupPage = options.groupPageSize ?? 500;
    this.#docPage = options.docPageSize ?? 2000;
  }

  /** The client. */
  get client(): Client {
    return this.#client;
  }

  async #search(body: Json): Promise<Json> {
    const response = await this.#client.search({
      index: this.#index,
      ignore_unavailable: true,
      allow_no_indices: true,
      body,
    } as never);
    return checked(response.body as unknown as Json);
  }

  #groups(query: Json): AsyncIterable<MetadataGroup> {
    return metadataGroups(query, {
      client: this.#client,
      search: (body) => this.#search(body),
      pageSize: this.#groupPage,
    });
  }

  #record(group: MetadataGroup): MetadataRecord | undefined {
    const record = groupRecord(group, this.#view);
    if (record) {
      this.#info.set(record, {
        group,
        testType: String(pathValue(group.newest, "test.type") ?? ""),
      });
    }
    return record;
  }

  /**
   * One page of the metadata matching `query`, ordered by key, and the total count (the
   * SQLite store's `searchMetadata`).
   */
  async search(
    query: MetadataQuery,
    limit: number,
    offset: number,
  ): Promise<{ total: number; records: MetadataRecord[] }> {
    const all = await this.list(query);
    return { total: all.length, records: all.slice(offset, offset + limit) };
  }

  /** Every metadata matching `query`, ordered by key. */
  async list(query: MetadataQuery): Promise<MetadataRecord[]> {
    const matched: MetadataRecord[] = [];
    const os = query.metadataKey === undefined
      ? { match_all: {} }
      : this.#keyQuery(query.metadataKey);
    for await (const group of this.#groups(os)) {
      if (query.metadataKey !== undefined && group.key !== query.metadataKey) continue;
      const record = this.#record(group);
      if (record && matchesQuery(record, query)) matched.push(record);
    }
    return matched.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  #keyQuery(key: string): Json {
    const should: Json[] = [{ term: { [`${ESMOND_KEY_FIELD}.keyword`]: key } }];
    if (/^[0-9a-f]{32}$/.test(key)) {
      should.push({ prefix: { "pscheduler.test_checksum.keyword": key.slice(0, 16) } });
    }
    return { bool: { should, minimum_should_match: 1 } };
  }

  /** The metadata with `key` (an esmond key of migrated data or a derived key), or undefined. */
  async findByKey(key: string): Promise<MetadataRecord | undefined> {
    const query = this.#keyQuery(key);
    for await (const group of this.#groups(query)) {
      if (group.key === key) return this.#record(group);
    }
    return undefined;
  }

  /** Documents of a record in start-time order inside `[begin, end]`, via PIT + search_after. */
  async *#documents(
    record: MetadataRecord,
    begin: number,
    end: number,
    succeeded: boolean | undefined,
    firstPage = this.#docPage,
    source?: readonly string[],
  ): AsyncIterable<PschedulerDocument> {
    const info = this.#info.get(record);
    if (!info) return;
    const filter: Json[] = [
      ...identityFilter(info.group.identity),
      {
        range: {
          "pscheduler.start_time": {
            gte: begin * 1000,
            lte: end * 1000 + 999,
            format: "epoch_millis",
          },
        },
      },
    ];
    if (succeeded === false) filter.push({ term: { "result.succeeded": false } });
    if (succeeded === true) {
      filter.push({ bool: { must_not: { term: { "result.succeeded": false } } } });
    }
    // A backing index without documents yet (a fresh rollover, a stream whose first write was
    // cut short) has no mapping for the field: sorting on it must not fail that shard.
    const sort = [
      { "pscheduler.start_time": { order: "asc", unmapped_type: "date" } },
      { _id: "asc" },
    ];
    type Hits = { _source: Json; sort: unknown[] }[];
    // A series that fits one page needs no point in time; a longer one continues inside a
    // PIT from the first page's last sort values (no repeats; documents stored meanwhile
    // after the cursor are read too).
    const first = (await this.#search({
      size: firstPage,
      query: { bool: { filter } },
      sort,
      track_total_hits: false,
      ...(source ? { _source: source } : {}),
    })).hits as { hits: Hits };
    for (const hit of first.hits) yield hit._source;
    if (first.hits.length < firstPage) return;
    let after: unknown[] = first.hits[first.hits.length - 1].sort;
    const pit = await this.#client.createPit({
      index: this.#index,
      keep_alive: "2m",
      allow_partial_pit_creation: false,
    } as never);
    const pitId = (pit.body as unknown as { pit_id: string }).pit_id;
    try {
      while (true) {
        const response = await this.#client.search({
          body: {
            size: this.#docPage,
            query: { bool: { filter } },
            pit: { id: pitId, keep_alive: "2m" },
            sort,
            track_total_hits: false,
            search_after: after,
            ...(source ? { _source: source } : {}),
          },
        } as never);
        const hits = (checked(response.body as unknown as Json).hits as { hits: Hits }).hits;
        for (const hit of hits) yield hit._source;
        if (hits.length < this.#docPage) return;
        after = hits[hits.length - 1].sort;
      }
    } finally {
      await this.#client.deletePit({ body: { pit_id: [pitId] } } as never).catch(() => {});
    }
  }

  /**
   * The parts of a document the view of one numeric event type reads: a long series moves
   * (and parses) only those, not each run's whole result.
   */
  #numericSource(record: MetadataRecord, eventType: string): string[] | undefined {
    const info = this.#info.get(record);
    const field = info ? numericFieldOf(info.testType, eventType) : undefined;
    if (!field) return undefined;
    const result = [field.value, ...(field.denominator ? [field.denominator] : [])];
    return ["test", "pscheduler", "meta", "result.succeeded", ...result];
  }

  /**
   * The base points of `eventType`, rendered, ascending, one per second. `wanted` (how many
   * points the caller takes at most) sizes the first search: a run gives at most one point,
   * and a point is known complete only when the next run is read, so `wanted + 1` runs.
   */
  async *#basePoints(
    record: MetadataRecord,
    eventType: string,
    begin: number,
    end: number,
    wanted: number,
  ): AsyncIterable<RenderedPoint> {
    const info = eventTypeInfo(eventType);
    if (!info) return;
    const succeeded = eventType === "failures"
      ? false
      : eventType === "pscheduler-run-href"
      ? undefined
      : true;
    const numeric = ["integer", "float", "percentage"].includes(info.dataType);
    let pending: RenderedPoint | undefined;
    const firstPage = Math.max(2, Math.min(this.#docPage, wanted + 1));
    const source = numeric ? this.#numericSource(record, eventType) : undefined;
    const documents = this.#documents(record, begin, end, succeeded, firstPage, source);
    for await (const doc of documents) {
      const run = this.#view(doc);
      for (const item of run?.data ?? []) {
        if (item.ts < begin || item.ts > end) continue;
        for (const value of item.val) {
          if (value["event-type"] !== eventType) continue;
          let text: string;
          try {
            text = baseRender(storedValue(info.dataType, value.val, fromEsmond(doc)))[0];
          } catch {
            continue; // a value esmond would refuse is not served
          }
          const point = { ts: item.ts, val: text };
          if (pending && pending.ts === point.ts) {
            // SQLite keeps the first numeric point of a second and replaces the others.
            if (!numeric) pending = point;
            continue;
          }
          if (pending) yield pending;
          pending = point;
        }
      }
    }
    if (pending) yield pending;
  }

  /**
   * The points of one row (base or summary) of `record` in `range`, rendered, ascending.
   *
   * @example
   * ```ts
   * import type { PschedulerStore } from "./pscheduler_store.ts";
   * // for await (const p of store.points(record, row, { begin: 0, end: 2e9, limit: 10, offset: 0 })) …
   * ```
   */
  async *points(
    record: MetadataRecord,
    row: EventTypeRow,
    range: SeriesRange,
  ): AsyncIterable<RenderedPoint> {
    const dataType = eventTypeInfo(row.eventType)?.dataType;
    let source: AsyncIterable<RenderedPoint>;
    if (row.summaryType === "base") {
      const wanted = range.offset + range.limit;
      source = this.#basePoints(
        record,
        row.eventType,
        range.begin,
        range.end,
        Number.isFinite(wanted) ? wanted : this.#docPage,
      );
    } else if (dataType === "histogram") {
      source = histogramSummaryBins(
        record,
        row,
        { begin: range.begin, end: range.end },
        (from, to) => this.#basePoints(record, row.eventType, from, to, Infinity),
      );
    } else {
      const info = this.#info.get(record);
      const field = info ? numericFieldOf(info.testType, row.eventType) : undefined;
      if (!info || !field || !dataType) return;
      source = numericSummaryBins((body) => this.#search(body), {
        identity: identityFilter(info.group.identity),
        field,
        dataType,
        row,
        begin: range.begin,
        end: range.end,
      });
    }
    let skipped = 0;
    let taken = 0;
    if (range.limit <= 0) return;
    for await (const point of source) {
      if (point.ts < range.begin || point.ts > range.end) continue;
      if (skipped < range.offset) {
        skipped++;
        continue;
      }
      yield point;
      if (++taken >= range.limit) return;
    }
  }
}
