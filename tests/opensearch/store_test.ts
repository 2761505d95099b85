/**
 * The esmond model over real OpenSearch 2.19 `pscheduler_*` data streams: every series (base
 * and every summary) of every metadata equals what the SQLite archive serves for the same runs
 * posted through the esmond write API; keys, lookups, filters and paging.
 */
import { assert, assertEquals } from "../harness/assert.ts";
import { openSearchNode } from "./node.ts";
import { openSearchClient } from "../../lib/opensearch/connection.ts";
import { installPschedulerTemplate } from "../../lib/opensearch/template.ts";
import { PschedulerStore } from "../../lib/opensearch/pscheduler_store.ts";
import { OpenSearchSource } from "../../lib/opensearch/opensearch_source.ts";
import { metadataKeyOf } from "../../lib/opensearch/metadata_key.ts";
import { ApiConnect, ApiFilters } from "../../lib/esmond/mod.ts";
import { SUMMARY_PLURALS, type SummaryType } from "../../lib/esmond/event_types.ts";
import { indexDocuments, INGEST, sampleDocuments, sqliteArchiveOf } from "./documents.ts";

Deno.test("pscheduler_* store over real OpenSearch equals the SQLite archive", async (t) => {
  await using engine = await openSearchNode();
  if (!engine) return;
  const client = openSearchClient({ url: engine.url });
  try {
    assertEquals((await installPschedulerTemplate(client))[0], "template");
    assertEquals(await installPschedulerTemplate(client), []);
    const docs = sampleDocuments();
    await indexDocuments(client, docs);
    const store = new PschedulerStore({ client, groupPageSize: 2, docPageSize: 4 });
    const sqlite = await sqliteArchiveOf(docs);
    const root = "http://archive.test/esmond/perfsonar/archive/";
    const get = async (path: string) => {
      const r = await sqlite.handler(new Request(`${root}${path}`));
      return await r.text();
    };
    const sqliteList = JSON.parse(await get("?limit=100")) as Record<string, unknown>[];
    const sqliteByTool = new Map(sqliteList.map((m) => [m["tool-name"] as string, m]));

    await t.step("one metadata per test, keys derived and stable", async () => {
      const records = await store.list({});
      assertEquals(records.length, 4);
      const keys = records.map((r) => r.key);
      assertEquals([...keys].sort(), keys);
      const again = await new PschedulerStore({ client }).list({});
      assertEquals(again.map((r) => r.key), keys);
      const tput = records.find((r) => r.subject["tool-name"] === "pscheduler/iperf3")!;
      assertEquals(
        tput.key,
        await metadataKeyOf({
          esmondKey: null,
          checksum: "ab9610b277c1984e6ddfb39418c94c66adf2502d9e6669dae13b823a1cf68049",
          observer: "192.168.1.104",
          source: "192.168.1.104",
          destination: "192.168.1.101",
        }),
      );
      assertEquals((await store.findByKey(tput.key))?.key, tput.key);
      assertEquals(await store.findByKey("0".repeat(32)), undefined);
    });

    await t.step("every series of every metadata: same text as SQLite", async () => {
      let compared = 0;
      for (const record of await store.list({})) {
        const other = sqliteByTool.get(record.subject["tool-name"]!)!;
        assert(other, `SQLite has ${record.subject["tool-name"]}`);
        const key = other["metadata-key"];
        for (const row of record.eventTypes) {
          const tail = row.summaryType === "base"
            ? "base"
            : `${SUMMARY_PLURALS[row.summaryType as SummaryType]}/${row.summaryWindow}`;
          for (const q of ["", "?time-start=1785131000&time-end=1785132800", "?limit=2&offset=1"]) {
            const expected = await get(`${key}/${row.eventType}/${tail}${q}`);
            const params = new URLSearchParams(q.slice(1));
            const range = {
              begin: Number(params.get("time-start") ?? 0),
              end: Number(params.get("time-end") ?? INGEST + 3600),
              limit: Number(params.get("limit") ?? 1500),
              offset: Number(params.get("offset") ?? 0),
            };
            const got: string[] = [];
            for await (const p of store.points(record, row, range)) {
              got.push(`{"ts":${p.ts},"val":${p.val}}`);
            }
            assertEquals(`[${got.join(",")}]`, expected, `${row.eventType}/${tail}${q}`);
            if (expected !== "[]") compared++;
          }
        }
      }
      assert(compared > 40, `compared ${compared} non-empty series`);
    });

    await t.step("filters as esmond: event type, tool, time, parameters", async () => {
      assertEquals((await store.list({ eventType: "histogram-owdelay" })).length, 1);
      assertEquals((await store.list({ eventType: "packet-trace" })).length, 1);
      assertEquals((await store.list({ toolName: "pscheduler/ping" })).length, 1);
      assertEquals(
        (await store.list({ parameters: [["ip-transport-protocol", "tcp"]] })).length,
        1,
      );
      assertEquals((await store.list({ time: { begin: INGEST - 10, end: null } })).length, 4);
      assertEquals((await store.list({ time: { begin: INGEST + 10, end: null } })).length, 0);
      assertEquals(
        (await store.list({ eventType: "failures", time: { begin: 0, end: null } })).length,
        1,
      );
    });

    await t.step("the query library reads the cluster directly", async () => {
      const source = new OpenSearchSource({ url: engine.url, client });
      using conn = new ApiConnect({
        url: engine.url,
        source,
        filters: new ApiFilters({ eventType: "throughput" }),
      });
      const listed = [];
      for await (const md of conn.listMetadata()) listed.push(md);
      assertEquals(listed.length, 1);
      const points = [];
      for await (const p of listed[0].getEventType("throughput")!.data()) points.push(p);
      assertEquals(points.length, 5);
      assertEquals(points[0].val, 942617924);
    });
  } finally {
    await client.close();
  }
});
