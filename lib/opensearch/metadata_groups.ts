/**
 * Metadata over `pscheduler_*`: one group per metadata identity (a paged composite
 * aggregation, never one aggregation over the whole listing), each with its newest document
 * and last-update times, and the esmond metadata record a group stands for. Kept apart from
 * the series reads, which page through a group's documents.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { parseMetadataPost } from "../archive/metadata_post.ts";
import type { EventTypeRow, MetadataRecord } from "../archive/metadata_store.ts";
import { parsePyJsonTree } from "../esmond/py_json/tree.ts";
import type { EsmondView, PschedulerDocument } from "./document_view.ts";
import { esmondMetadataOf } from "./esmond_metadata.ts";
import { type GroupIdentity, IDENTITY_FIELDS, metadataKeyOf } from "./metadata_key.ts";

type Json = Record<string, unknown>;

/** The documents of one metadata identity, as the listing aggregation sums them up. */
export interface MetadataGroup {
  /** The identity fields the documents share. */
  readonly identity: GroupIdentity;
  /** The metadata key derived from the identity. */
  readonly key: string;
  /** The newest document by run start time. */
  readonly newest: PschedulerDocument;
  /** The newest succeeded document (its values tell which event types get written). */
  readonly newestOk?: PschedulerDocument;
  /** Receipt time (epoch seconds) of the newest succeeded, failed and any document. */
  readonly updated: { ok: number | null; failed: number | null; all: number | null };
  /** The esmond metadata stored for the group's esmond key, if any. */
  readonly esmond?: MetadataRecord;
}

/** Options of {@linkcode metadataGroups}. */
export interface MetadataGroupsOptions {
  /** The cluster (for the esmond metadata of migrated groups). */
  readonly client: Client;
  /** Runs one search over the store's indices; throws on a partial answer. */
  readonly search: (body: Json) => Promise<Json>;
  /** Buckets per composite page. */
  readonly pageSize: number;
}

// The newest document of a bucket by run start time.
const NEWEST = {
  top_hits: {
    size: 1,
    sort: [{ "pscheduler.start_time": { order: "desc", unmapped_type: "date" } }],
  },
};

const maxSeconds = (agg: unknown): number | null => {
  const v = (agg as { value?: number | null })?.value;
  return typeof v === "number" ? Math.floor(v / 1000) : null;
};

const topSource = (agg: unknown) =>
  ((agg as Json | undefined)?.hits as { hits: { _source: Json }[] } | undefined)?.hits[0]
    ?._source;

/**
 * Every metadata group whose documents match `query` (an OpenSearch query), one composite
 * page at a time, in the aggregation's order.
 *
 * @example
 * ```ts
 * import { metadataGroups } from "./metadata_groups.ts";
 * // for await (const group of metadataGroups({ match_all: {} }, { client, search, pageSize: 500 })) …
 * ```
 */
export async function* metadataGroups(
  query: Json,
  options: MetadataGroupsOptions,
): AsyncIterable<MetadataGroup> {
  let after: Json | undefined;
  while (true) {
    const body: Json = {
      size: 0,
      query,
      aggs: {
        groups: {
          composite: {
            size: options.pageSize,
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
    const answer = await options.search(body);
    const agg = (answer.aggregations as Json | undefined)?.groups as
      | { buckets: Json[]; after_key?: Json }
      | undefined;
    const buckets = agg?.buckets ?? [];
    const described = await esmondMetadataOf(
      options.client,
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
      yield {
        identity,
        key: await metadataKeyOf(identity),
        newest: topSource(bucket.newest) ?? {},
        newestOk: topSource((bucket.ok as Json).newest),
        updated: {
          all: maxSeconds(bucket.all),
          ok: maxSeconds((bucket.ok as Json).t),
          failed: maxSeconds((bucket.failed as Json).t),
        },
        esmond: identity.esmondKey === null ? undefined : described.get(identity.esmondKey),
      };
    }
    if (buckets.length < options.pageSize || !agg?.after_key) return;
    after = agg.after_key;
  }
}

const byEventType = (a: EventTypeRow, b: EventTypeRow) =>
  a.eventType < b.eventType
    ? -1
    : a.eventType > b.eventType
    ? 1
    : a.summaryType < b.summaryType
    ? -1
    : a.summaryType > b.summaryType
    ? 1
    : a.summaryWindow - b.summaryWindow;

/**
 * The esmond metadata record of a group (as the esmond archive described it for migrated
 * data, else from the view of its newest document), or undefined when the group's view is
 * not valid esmond metadata (such a group is not listed).
 *
 * @example
 * ```ts
 * import { groupRecord } from "./metadata_groups.ts";
 * import { esmondViewOf } from "./document_view.ts";
 * import assert from "node:assert/strict";
 * const identity = { esmondKey: null, checksum: null, observer: null, source: null, destination: null };
 * const group = { identity, key: "k", newest: {}, updated: { ok: null, failed: null, all: null } };
 * assert.equal(groupRecord(group, esmondViewOf), undefined); // no test type: no esmond view
 * ```
 */
export function groupRecord(group: MetadataGroup, view: EsmondView): MetadataRecord | undefined {
  const run = view(group.newest);
  if (!run) return undefined;
  let desc: Pick<MetadataRecord, "subjectType" | "subject" | "parameters"> & {
    eventTypes: readonly Pick<EventTypeRow, "eventType" | "summaryType" | "summaryWindow">[];
  };
  if (group.esmond) desc = group.esmond;
  else {
    try {
      desc = parseMetadataPost(parsePyJsonTree(JSON.stringify(run.metadata)));
    } catch {
      return undefined;
    }
  }
  // An event type was last written by the newest run that had a value for it: failures by
  // failed runs, the run href by every run, the others by succeeded runs that carry them
  // (judged on the newest succeeded run).
  const written = new Set(
    (group.newestOk ? view(group.newestOk)?.data ?? [] : [])
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
  const rows: EventTypeRow[] = desc.eventTypes.map((e, i) => ({
    id: i + 1,
    eventType: e.eventType,
    summaryType: e.summaryType,
    summaryWindow: e.summaryWindow,
    timeUpdated: updated(e.eventType),
  })).sort(byEventType);
  return {
    id: 0,
    key: group.key,
    subjectType: desc.subjectType,
    subject: desc.subject,
    parameters: desc.parameters,
    eventTypes: rows,
  };
}
