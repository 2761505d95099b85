/**
 * Logstash-shaped `pscheduler_*` documents for the OpenSearch tests (spec §2.9), built from
 * the facts of `testdata/pscheduler/README.md`, and helpers to index them and to load the same
 * runs into a SQLite archive through the esmond write API.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";
import { addToken, createArchiveHandler, openArchiveDb } from "../../lib/archive/mod.ts";
import type { ArchiveDb } from "../../lib/archive/mod.ts";
import {
  esmondViewOf,
  pathValue,
  type PschedulerDocument,
} from "../../lib/opensearch/document_view.ts";
import { metadataKeyOf } from "../../lib/opensearch/metadata_key.ts";
import { metadataChecksum, parseMetadataPost } from "../../lib/archive/metadata_post.ts";
import { insertMetadata } from "../../lib/archive/metadata_store.ts";
import { parsePyJsonTree } from "../../lib/esmond/py_json/tree.ts";
import { inTransaction } from "../../lib/archive/write_handlers.ts";
import { logstashDocument } from "../../lib/pscheduler/logstash_document.ts";
import { runCases } from "../pscheduler/testdata.ts";

const iso = (ts: number) => new Date(ts * 1000).toISOString().replace(".000Z", "+00:00");

/** Common fields of a document of `type` started at `ts`. */
function base(type: string, ts: number, spec: Record<string, unknown>, tool: string, n: number) {
  return {
    "@timestamp": new Date(INGEST * 1000).toISOString(),
    "@version": "1",
    host: "127.0.0.1",
    id: `run-${type}-${n}`,
    reference: null,
    schedule: { slip: 300.0 },
    test: { type, spec },
    pscheduler: {
      added: iso(ts - 60),
      start_time: iso(ts),
      end_time: iso(ts + 19),
      duration: 19.0,
      participants: ["lima-perfsonar-vm"],
      tool,
      task_href: `https://ps/pscheduler/tasks/t-${type}`,
      run_href: `https://ps/pscheduler/tasks/t-${type}/runs/r-${n}`,
      task_id: `t-${type}`,
      run_id: `r-${n}`,
      test_checksum: CHECKSUMS[type] ?? "0".repeat(64),
    },
    meta: {
      observer: { ip: "192.168.1.104", hostname: null },
      source: { ip: spec.source ?? "192.168.1.104", hostname: spec.source ?? "192.168.1.104" },
      destination: { ip: spec.dest, hostname: spec.dest },
      ip_version: 4,
    },
  };
}

/** The ingest time written to every document (and pinned as the SQLite archive's clock). */
export const INGEST = 1785153000;

/** Test checksums of the synthetic series (not those of the real bodies, which differ in spec). */
export const CHECKSUMS: Record<string, string> = {
  throughput: "5a0000000000000000000000000000000000000000000000000000000000000",
  latency: "5b0000000000000000000000000000000000000000000000000000000000000",
  rtt: "5c0000000000000000000000000000000000000000000000000000000000000",
  trace: "5d0000000000000000000000000000000000000000000000000000000000000",
};

/** `n` documents per test type, 600 s apart from `start`, a failed run among the throughput. */
export function sampleDocuments(start = 1785130000, n = 6): PschedulerDocument[] {
  const docs: PschedulerDocument[] = [];
  for (let i = 0; i < n; i++) {
    const ts = start + i * 600;
    const tspec = { dest: "10.9.0.2", schema: 1, source: "10.9.0.1" };
    docs.push({
      ...base("throughput", ts, tspec, "iperf3", i),
      result: i === 3
        ? { succeeded: false, error: "iperf3 returned an error: unable to connect to server" }
        : {
          succeeded: true,
          throughput: 942617924.239199 + i * 1000.5,
          retransmits: 7 + i,
          intervals: {
            json: [0, 1, 2].map((k) => ({
              summary: {
                start: k,
                end: k + 1.001136,
                "throughput-bits": 959405783.4901392 + k,
                retransmits: k,
              },
              streams: [],
            })),
          },
        },
    });
    const lspec = { dest: "10.9.0.2", source: "10.9.0.1", schema: 4 };
    docs.push({
      ...base("latency", ts + 5, lspec, "twping", i),
      result: {
        succeeded: true,
        max_clock_error: 27.47 + i / 100,
        packets: { sent: 100, received: 100 - i, lost: i, duplicated: 0, reordered: 0 },
        latency: {
          histogram: { values: [-15.5, -13.4, -11.71 + i / 100], counts: [10, 80, 10] },
          mean: -13.39,
        },
        ttl: { histogram: { values: [255.0], counts: [100] } },
      },
    });
    const rspec = { dest: "1.0.0.1", schema: 1 };
    docs.push({
      ...base("rtt", ts + 7, rspec, "ping", i),
      result: {
        succeeded: true,
        packets: {
          sent: 5,
          received: 5,
          lost: 0,
          loss: 0.0,
          duplicated: 0,
          reordered: 0,
          json: [0.008612, 0.009783, 0.009059].map((s, k) => ({
            seq: k + 1,
            ip: "1.1.1.1",
            length: 64,
            ttl: 57,
            rtt: `PT${s}S`,
          })),
        },
        rtt: { min: 0.008612, max: 0.009783, mean: 0.009059, stddev: 0.000404 },
      },
    });
    docs.push({
      ...base("trace", ts + 9, { dest: "1.0.0.1", schema: 1 }, "traceroute", i),
      result: {
        succeeded: true,
        json: [[{ ip: "192.168.1.1", rtt: "PT0.0014S" }, {}, {
          ip: "1.1.1.1",
          rtt: "PT0.0101S",
          as: { number: 13335, owner: "CLOUDFLARENET" },
        }]],
        hop: { count: 3, success_count: 2, error_count: 1, ip: ["192.168.1.1", "1.1.1.1"] },
      },
    });
  }
  return docs;
}

/** The Logstash document of every `testdata/pscheduler` body, received at {@linkcode INGEST}. */
export async function realDocuments(): Promise<PschedulerDocument[]> {
  const docs: PschedulerDocument[] = [];
  for (const c of runCases()) {
    const { document } = await logstashDocument(c.body, {
      observer: c.headers["x-ps-observer"],
      resolver: c.resolver,
      receivedAt: new Date(INGEST * 1000),
    });
    docs.push(document);
  }
  return docs;
}

/**
 * A metadata object without what depends on the archive (key, URLs, paging), for matching a
 * metadata of one backend with the other's.
 */
export function metadataIdentity(md: Record<string, unknown>): string {
  const drop = new Set([
    "url",
    "uri",
    "metadata-key",
    "event-types",
    "metadata-count-total",
    "metadata-previous-page",
    "metadata-next-page",
  ]);
  const kept = Object.entries(md).filter(([k]) => !drop.has(k)).sort(([a], [b]) => a < b ? -1 : 1);
  return JSON.stringify(kept);
}

/** Indexes `docs` into their data streams with `create`, then refreshes. */
export async function indexDocuments(client: Client, docs: PschedulerDocument[]): Promise<void> {
  const body: unknown[] = [];
  for (const doc of docs) {
    body.push({ create: { _index: `pscheduler_${(doc.test as { type: string }).type}` } });
    body.push(doc);
  }
  const answer = await client.bulk({ body, refresh: true } as never);
  const result = answer.body as unknown as { errors: boolean; items: unknown[] };
  if (result.errors) throw new Error(`bulk errors: ${JSON.stringify(result.items).slice(0, 500)}`);
  await client.indices.refresh({ index: "pscheduler_*" });
}

/**
 * A SQLite archive handler holding the esmond views of `docs`: each metadata stored under the
 * key the OpenSearch backend derives, the data PUT through the esmond write API. Its clock
 * stands at {@linkcode INGEST} unless `now` is given (epoch seconds).
 */
export async function sqliteArchiveOf(
  docs: PschedulerDocument[],
  options: { now?: () => number } = {},
): Promise<
  { db: ArchiveDb; handler: (r: Request) => Promise<Response>; keys: Map<string, string> }
> {
  const db = openArchiveDb(":memory:");
  const token = await addToken(db, "test");
  const handler = createArchiveHandler({ db, now: options.now ?? (() => INGEST) });
  const root = "http://archive.test/esmond/perfsonar/archive/";
  const headers = { "content-type": "application/json", authorization: `Token ${token}` };
  const keys = new Map<string, string>(); // sqlite key → description text
  const sorted = [...docs].sort((a, b) =>
    String((a.pscheduler as Record<string, unknown>).start_time) <
        String((b.pscheduler as Record<string, unknown>).start_time)
      ? -1
      : 1
  );
  for (const doc of sorted) {
    // The document as it comes back from OpenSearch (`_source` parsed as plain JSON).
    const run = esmondViewOf(JSON.parse(JSON.stringify(doc)));
    if (!run) continue;
    // The key the OpenSearch backend derives, so both archives list in the same order.
    const desc = parseMetadataPost(parsePyJsonTree(JSON.stringify(run.metadata)));
    const at = (path: string) => (pathValue(doc, path) as string | undefined) ?? null;
    const derived = await metadataKeyOf({
      esmondKey: null,
      checksum: at("pscheduler.test_checksum"),
      observer: at("meta.observer.ip"),
      source: at("meta.source.ip"),
      destination: at("meta.destination.ip"),
    });
    const checksum = await metadataChecksum(desc);
    const { record } = inTransaction(db, () => insertMetadata(db, desc, checksum, derived));
    const key = record.key;
    keys.set(key, JSON.stringify(run.metadata));
    const put = await handler(
      new Request(`${root}${key}/`, {
        method: "PUT",
        headers,
        body: JSON.stringify({ data: run.data }),
      }),
    );
    if (put.status !== 201) throw new Error(`data PUT ${put.status} ${await put.text()}`);
    await put.body?.cancel();
  }
  return { db, handler, keys };
}
