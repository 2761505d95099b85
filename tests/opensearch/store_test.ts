/**
 * The esmond model over real OpenSearch 2.19 `pscheduler_*` data streams: every series (base
 * and every summary) of every metadata equals what the SQLite archive serves for the same runs
 * posted through the esmond write API; keys, lookups, filters and paging.
 */
import { assert, assertEquals } from "../harness/assert.ts";
import { OPENSEARCH_NODE_PROGRAMS, openSearchNode } from "./node.ts";
import { requirePrograms } from "../harness/programs.ts";
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
import { createArchiveHandler } from "../../lib/archive/router.ts";
import { openSearchReadStore } from "../../lib/archive/opensearch_read_store.ts";

Deno.test(requirePrograms(OPENSEARCH_NODE_PROGRAMS, {
  name: "pscheduler_* store over real OpenSearch equals the SQLite archive",
  async fn(t) {
    await using engine = await openSearchNode();
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
        const tput = records.find((r) => r.key.startsWith("5a00000000000000"))!;
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
            for (
              const q of ["", "?time-start=1785131000&time-end=1785132800", "?limit=2&offset=1"]
            ) {
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

      await t.step("every esmond read route: same status and bytes on both backends", async () => {
        const os = createArchiveHandler({
          store: openSearchReadStore(new PschedulerStore({ client })),
          now: () => INGEST,
        });
        // SQLite key → OpenSearch key, matched on the metadata itself.
        const rename = new Map<string, string>();
        for (const record of await store.list({})) {
          const other = sqliteById.get(
            metadataIdentity(JSON.parse(renderMetadata(mount, record))),
          )!;
          rename.set(other["metadata-key"] as string, record.key);
        }
        const mapKeys = (text: string) => {
          for (const [a, b] of rename) text = text.replaceAll(a, b);
          return text;
        };
        const paths = [
          "",
          "?limit=3",
          "?limit=3&offset=3",
          "?limit=5&offset=100",
          "?event-type=packet-trace&limit=1",
          "?tool-name=pscheduler/iperf3&ip-transport-protocol=udp",
          `?time-start=${INGEST}&time-end=${INGEST}`,
          "?time-start=5&time-end=1",
          "?summary-window=x",
          "?dns-match-rule=only-v6&source=10.9.0.1",
        ];
        for (const [sqliteKey] of rename) {
          const md = JSON.parse(await get(`${sqliteKey}/`));
          paths.push(`${sqliteKey}/`, sqliteKey, `${sqliteKey}/no-such/`);
          for (const et of md["event-types"] as Record<string, unknown>[]) {
            const name = et["event-type"];
            paths.push(`${sqliteKey}/${name}/`, `${sqliteKey}/${name}/base`);
            paths.push(`${sqliteKey}/${name}/base?limit=1&time-start=${1785130000 + 600}`);
            for (const sum of et.summaries as Record<string, string>[]) {
              const tail = sum.uri.split(`${sqliteKey}/`)[1];
              paths.push(`${sqliteKey}/${tail}`, `${sqliteKey}/${tail.replace(/\/\d+$/, "/")}`);
            }
          }
        }
        paths.push(
          "0123456789abcdef0123456789abcdef/",
          "x/throughput/base",
          "x/throughput/averages/y",
        );
        for (const path of paths) {
          const url = `${root}${path}`;
          const a = await sqlite.handler(new Request(url));
          const b = await os(new Request(mapKeys(url)));
          const [ta, tb] = [await a.text(), await b.text()];
          if (b.status !== a.status || tb !== mapKeys(ta)) {
            throw new Error(
              `${path}: ${b.status} ${tb.slice(0, 400)}\n  SQLite: ${a.status} ${ta.slice(0, 400)}`,
            );
          }
          for (const h of ["content-type", "link", "location", "allow"]) {
            assertEquals(
              b.headers.get(h),
              a.headers.get(h) && mapKeys(a.headers.get(h)!),
              `${h} ${path}`,
            );
          }
        }
        assert(paths.length > 150, `${paths.length} requests`);
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
  },
}));
