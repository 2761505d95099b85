/**
 * Paging without loss or repeats past OpenSearch's 10,000-hit window: more than 10,000
 * metadata (composite-aggregation pages) and a long series (search_after inside a point in
 * time), bulk-loaded directly. Sizes: `PAGING_METADATA` (default 10,050) and `PAGING_POINTS`
 * (default 60,000; set 1000000 for the full check, about ten minutes on a loaded machine).
 */
import { assert, assertEquals } from "../harness/mod.ts";
import { OPENSEARCH_NODE_PROGRAMS, openSearchNode } from "./node.ts";
import { requirePrograms } from "../harness/programs.ts";
import { openSearchClient } from "../../lib/opensearch/connection.ts";
import { installPschedulerTemplate } from "../../lib/opensearch/template.ts";
import { PschedulerStore } from "../../lib/opensearch/pscheduler_store.ts";
import { createArchiveHandler } from "../../lib/archive/router.ts";
import { openSearchReadStore } from "../../lib/archive/opensearch_read_store.ts";

const METADATA = Number(Deno.env.get("PAGING_METADATA") ?? 10_050);
const POINTS = Number(Deno.env.get("PAGING_POINTS") ?? 60_000);
const START = 1700000000;
const iso = (ts: number) => new Date(ts * 1000).toISOString();

function doc(n: number, ts: number, dest: string) {
  return {
    "@timestamp": iso(START + 10_000_000),
    "@version": "1",
    test: { type: "throughput", spec: { source: "10.0.0.1", dest } },
    pscheduler: {
      start_time: iso(ts),
      duration: 10.5,
      tool: "iperf3",
      run_href: `https://h/pscheduler/tasks/t/runs/${n}`,
      test_checksum: dest.replaceAll(".", "").padStart(64, "0"),
    },
    meta: {
      observer: { ip: "10.0.0.1" },
      source: { ip: "10.0.0.1" },
      destination: { ip: dest },
    },
    result: { succeeded: true, throughput: 1000 + n },
  };
}

Deno.test(requirePrograms(OPENSEARCH_NODE_PROGRAMS, {
  name: "paging past 10,000 metadata and a long series",
  async fn() {
    await using engine = await openSearchNode();
    const client = openSearchClient({ url: engine.url, timeoutMs: 120_000 });
    try {
      await installPschedulerTemplate(client);
      const bulk = async (docs: unknown[]) => {
        const body: unknown[] = [];
        for (const d of docs) body.push({ create: { _index: "pscheduler_throughput" } }, d);
        const r = await client.bulk({ body } as never);
        assert(!(r.body as unknown as { errors: boolean }).errors, "bulk errors");
      };
      let batch: unknown[] = [];
      // One long series on 10.1.0.0, and METADATA - 1 one-point metadata.
      for (let i = 0; i < POINTS; i++) {
        batch.push(doc(i, START + i, "10.1.0.0"));
        if (batch.length === 5000) (await bulk(batch), batch = []);
      }
      for (let m = 1; m < METADATA; m++) {
        batch.push(doc(POINTS + m, START, `10.2.${m >> 8}.${m & 255}`));
        if (batch.length === 5000) (await bulk(batch), batch = []);
      }
      if (batch.length) await bulk(batch);
      await client.indices.refresh({ index: "pscheduler_*" });

      const store = new PschedulerStore({ client, groupPageSize: 1000, docPageSize: 5000 });
      const records = await store.list({});
      assertEquals(records.length, METADATA);
      assertEquals(new Set(records.map((r) => r.key)).size, METADATA);

      const handler = createArchiveHandler({ store: openSearchReadStore(store), now: () => START });
      const root = "http://a/esmond/perfsonar/archive/";
      const tail = await (await handler(new Request(`${root}?limit=1000&offset=${METADATA - 50}`)))
        .json();
      assertEquals(tail.length, 50);
      assertEquals(tail[0]["metadata-count-total"], METADATA);

      const long = records.find((r) => r.subject.destination === "10.1.0.0")!;
      const row = long.eventTypes.find((r) =>
        r.eventType === "throughput" && r.summaryType === "base"
      )!;
      let count = 0;
      let last = -1;
      for await (
        const p of store.points(long, row, {
          begin: 0,
          end: 2e9,
          limit: Number.MAX_SAFE_INTEGER,
          offset: 0,
        })
      ) {
        assert(p.ts > last, `ts ${p.ts} after ${last}`);
        assertEquals(p.val, `${1000 + count}.0`);
        last = p.ts;
        count++;
      }
      assertEquals(count, POINTS);
      // The daily average by aggregation over the whole series.
      const avg = long.eventTypes.find((r) => r.summaryType === "average")!;
      let bins = 0;
      for await (
        const _ of store.points(long, avg, {
          begin: 0,
          end: 2e9,
          limit: Number.MAX_SAFE_INTEGER,
          offset: 0,
        })
      ) bins++;
      assertEquals(bins, Math.floor((START + POINTS - 1) / 86400) - Math.floor(START / 86400) + 1);
    } finally {
      await client.close();
    }
  },
}));
