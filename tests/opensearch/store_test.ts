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
import {
  CHECKSUMS,
  indexDocuments,
  INGEST,
  metadataIdentity,
  realDocuments,
  sampleDocuments,
  sqliteArchiveOf,
} from "./documents.ts";
import { renderMetadata } from "../../lib/archive/render.ts";
import { buildQuery } from "../../lib/archive/read_handlers.ts";

Deno.test("pscheduler_* store over real OpenSearch equals the SQLite archive", async (t) => {
  await using engine = await openSearchNode();
  if (!engine) return;
  const client = openSearchClient({ url: engine.url });
  try {
    assertEquals((await installPschedulerTemplate(client))[0], "template");
    assertEquals(await installPschedulerTemplate(client), []);
    const docs = [...sampleDocuments(), ...await realDocuments()];
    await indexDocuments(client, docs);
    const store = new PschedulerStore({ client, groupPageSize: 2, docPageSize: 4 });
    const sqlite = await sqliteArchiveOf(docs);
    const root = "http://archive.test/esmond/perfsonar/archive/";
    const get = async (path: string) => {
      const r = await sqlite.handler(new Request(`${root}${path}`));
      return await r.text();
    };
    const sqliteList = JSON.parse(await get("?limit=100")) as Record<string, unknown>[];
    const sqliteById = new Map(sqliteList.map((m) => [metadataIdentity(m), m]));
    const mount = { origin: "http://archive.test", archivePath: "/esmond/perfsonar/archive/" };

    await t.step("one metadata per test, keys derived and stable", async () => {
      const records = await store.list({});
      assertEquals(records.length, sqliteList.length);
      assert(records.length >= 10, `${records.length} metadata`);
      const keys = records.map((r) => r.key);
      assertEquals([...keys].sort(), keys);
      const again = await new PschedulerStore({ client }).list({});
      assertEquals(again.map((r) => r.key), keys);
      const tput = records.find((r) =>
        r.key.startsWith("5a00000000000000") && r.subject["tool-name"] === "pscheduler/iperf3"
      )!;
      assertEquals(
        tput.key,
        await metadataKeyOf({
          esmondKey: null,
          checksum: CHECKSUMS.throughput,
          observer: "192.168.1.104",
          source: "10.9.0.1",
          destination: "10.9.0.2",
        }),
      );
      assertEquals((await store.findByKey(tput.key))?.key, tput.key);
      assertEquals(await store.findByKey("0".repeat(32)), undefined);
    });

    await t.step("every series of every metadata: same text as SQLite", async () => {
      let compared = 0;
      for (const record of await store.list({})) {
        const rendered = renderMetadata(mount, record);
        const other = sqliteById.get(metadataIdentity(JSON.parse(rendered)))!;
        assert(
          other,
          `SQLite has ${metadataIdentity(JSON.parse(rendered))} among ${
            [...sqliteById.keys()].filter((k) => k.includes("udp")).join("\n")
          }`,
        );
        // The whole metadata object is the same but for the key.
        assertEquals(
          rendered.replaceAll(record.key, "KEY"),
          JSON.stringify({
            ...other,
            "metadata-count-total": undefined,
            "metadata-previous-page": undefined,
            "metadata-next-page": undefined,
          }).replaceAll(other["metadata-key"] as string, "KEY"),
        );
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

    await t.step("filters as esmond: same metadata as the SQLite archive", async () => {
      const queries = [
        "event-type=histogram-owdelay",
        "event-type=packet-trace",
        "event-type=failures&time-start=0",
        "tool-name=pscheduler/ping",
        "ip-transport-protocol=tcp",
        "ip-transport-protocol=udp&event-type=packet-loss-rate",
        "source=10.9.0.1",
        "destination=1.1.1.1",
        "measurement-agent=192.168.1.104&subject-type=point-to-point",
        "input-destination=1.0.0.1",
        "summary-type=statistics&summary-window=3600",
        "summary-type=aggregation&event-type=packet-count-lost-bidir",
        `time-start=${INGEST - 10}`,
        `time-start=${INGEST + 10}`,
        `time-end=${INGEST - 10}`,
        `time=${INGEST}&event-type=histogram-rtt`,
        "pscheduler-test-type=latencybg",
        "event-type=no-such-type",
      ];
      for (const q of queries) {
        const expected = (JSON.parse(await get(`?limit=1000&${q}`)) as Record<string, unknown>[])
          .map(metadataIdentity).sort();
        const got = (await store.list(await buildQuery(new URLSearchParams(q), INGEST)))
          .map((r) => metadataIdentity(JSON.parse(renderMetadata(mount, r)))).sort();
        assertEquals(got, expected, q);
      }
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
      assertEquals(listed.length, 4);
      const md = listed.find((m) => m.source === "10.9.0.1")!;
      const points = [];
      for await (const p of md.getEventType("throughput")!.data()) points.push(p);
      assertEquals(points.length, 5);
      assertEquals(points[0].val, 942617924);
    });
  } finally {
    await client.close();
  }
});
