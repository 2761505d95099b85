/**
 * The esmond archive model over perfSONAR 5 `pscheduler_*` documents: metadata listed by a
 * paged composite aggregation (one bucket per metadata identity, newest document per bucket),
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
import { parseMetadataPost } from "../archive/metadata_post.ts";
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
import { esmondMetadataOf } from "./esmond_metadata.ts";
import { histogramSummaryBins, numericSummaryBins, type RenderedPoint } from "./summary_bins.ts";
import { matchesQuery } from "./metadata_filter.ts";
import {
  ESMOND_KEY_FIELD,
  type GroupIdentity,
  IDENTITY_FIELDS,
  identityFilter,
  metadataKeyOf,
} from "./metadata_key.ts";

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

interface Group {
  readonly identity: GroupIdentity;
  readonly key: string;
  readonly newest: PschedulerDocument;
  /** The newest succeeded document (its values tell which event types get written). */
  readonly newestOk?: PschedulerDocument;
  readonly updated: { ok: number | null; failed: number | null; all: number | null };
  /** The esmond metadata stored for the group's esmond key, if any. */
  readonly esmond?: MetadataRecord;
}

interface RecordInfo {
  readonly group: Group;
  readonly testType: string;
}

type Json = Record<string, unknown>;

// The newest document of a bucket by run start time.
const NEWEST = {
  top_hits: {
    size: 1,
    sort: [{ "pscheduler.start_time": { order: "desc", unmapped_type: "date" } }],
  },
};

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

const maxSeconds = (agg: unknown): number | null => {
  const v = (agg as { value?: number | null })?.value;
  return typeof v === "number" ? Math.floor(v / 1000) : null;
};

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

  /** Every metadata group matching `query` (an OpenSearch query), page by page. */
  async *#groups(query: Json): AsyncIterable<Group> {
    let after: Json | undefined;
    while (true) {
      const body: Json = {
        size: 0,
        query,
        aggs: {
          groups: {
            composite: {
              size: this.#groupPage,
              sources: IDENTITY_FIELDS.map(([name, field]) => ({
                [name]: { terms: { field, missing_bucket: true } },
              })),
              ...(after ? { after } : {}),
            },
            aggs: {
              newest: NEWEST,
              all: { max: { field: "@timestamp" } },
              ok: {
                filter: { bool: { must_not: { term: { "result.succeeded": false } } } },
                aggs: { t: { max: { field: "@timestamp" } }, newest: NEWEST },
              },
              failed: {
                filter: { term: { "result.succeeded": false } },
                aggs: { t: { max: { field: "@timestamp" } } },
              },
            },
          },
        },
      };
      const answer = await this.#search(body);
      const agg = (answer.aggregations as Json | undefined)?.groups as
        | { buckets: Json[]; after_key?: Json }
        | undefined;
      const buckets = agg?.buckets ?? [];
      const described = await esmondMetadataOf(
        this.#client,
        buckets.map((b) => (b.key as Record<string, string | null>).esmondKey)
          .filter((k): k is string => typeof k === "string"),
      );
      for (const bucket of buckets) {
        const k = bucket.key as Record<string, string | null>;
        const identity: GroupIdentity = {
          esmondKey: k.esmondKey ?? null,
          checksum: k.checksum ?? null,
          observer: k.observer ?? null,
          source: k.source ?? null,
          destination: k.destination ?? null,
        };
        const top = (agg: unknown) =>
          ((agg as Json | undefined)?.hits as { hits: { _source: Json }[] } | undefined)?.hits[0]
            ?._source;
        yield {
          identity,
          key: await metadataKeyOf(identity),
          newest: top(bucket.newest) ?? {},
          newestOk: top((bucket.ok as Json).newest),
          updated: {
            all: maxSeconds(bucket.all),
            ok: maxSeconds((bucket.ok as Json).t),
            failed: maxSeconds((bucket.failed as Json).t),
          },
          esmond: identity.esmondKey === null ? undefined : described.get(identity.esmondKey),
        };
      }
      if (buckets.length < this.#groupPage || !agg?.after_key) return;
      after = agg.after_key;
    }
  }

  #record(group: Group): MetadataRecord | undefined {
    const run = this.#view(group.newest);
    if (!run) return undefined;
    let desc: Pick<MetadataRecord, "subjectType" | "subject" | "parameters"> & {
      eventTypes: readonly Pick<EventTypeRow, "eventType" | "summaryType" | "summaryWindow">[];
    };
    if (group.esmond) desc = group.esmond; // as the esmond archive described it
    else {
      try {
        desc = parseMetadataPost(parsePyJsonTree(JSON.stringify(run.metadata)));
      } catch {
        return undefined; // a document whose view is not valid esmond metadata is not listed
      }
    }
    // An event type was last written by the newest run that had a value for it: failures by
    // failed runs, the run href by every run, the others by succeeded runs that carry them
    // (judged on the newest succeeded run).
    const written = new Set(
      (group.newestOk ? this.#view(group.newestOk)?.data ?? [] : [])
        .flatMap((item) => item.val.map((v) => v["event-type"])),
    );
    const updated = (eventType: string) =>
      eventType === "failures"
        ? group.updated.failed
        : eventType === "pscheduler-run-href"
        ? group.updated.all
        : written.has(eventType)
        ? group.updated.ok
        : null;
    const order = (a: EventTypeRow, b: EventTypeRow) =>
      a.eventType < b.eventType
        ? -1
        : a.eventType > b.eventType
        ? 1
        : a.summaryType < b.summaryType
        ? -1
        : a.summaryType > b.summaryType
        ? 1
        : a.summaryWindow - b.summaryWindow;
    const rows: EventTypeRow[] = desc.eventTypes.map((e, i) => ({
      id: i + 1,
      eventType: e.eventType,
      summaryType: e.summaryType,
      summaryWindow: e.summaryWindow,
      timeUpdated: updated(e.eventType),
    })).sort(order);
    const record: MetadataRecord = {
      id: 0,
      key: group.key,
      subjectType: desc.subjectType,
      subject: desc.subject,
      parameters: desc.parameters,
      eventTypes: rows,
    };
    const testType = String(pathValue(group.newest, "test.type") ?? "");
    this.#info.set(record, { group, testType });
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
