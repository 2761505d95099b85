/**
 * The client library over esmond's own sample data (imported into the real embedded archive),
 * checked against the known answers in `testdata/esmond/README.md`.
 */
import { assert, assertEquals } from "../harness/mod.ts";
import { API_FIXTURE, CLIENT_FIXTURES, startFixtureArchive } from "../archive/fixture_archive.ts";
import {
  ApiConnect,
  ApiFilters,
  type ApiFiltersInit,
  type DataPoint,
  type Metadata,
  orderedEntries,
  pyFloatRepr,
} from "../../lib/esmond/mod.ts";
import { collect } from "./stub_server.ts";

const WINDOW = { timeStart: 1391558400, timeEnd: 1391616000 };

function numberText(p: DataPoint): string {
  return p.valIsFloat ? pyFloatRepr(p.val as number) : String(p.val);
}

Deno.test("client fixtures: the README's known answers through the query side", async (t) => {
  await using fx = await startFixtureArchive(CLIENT_FIXTURES);
  const url = `${fx.archive.url}/esmond/perfsonar/archive/`;

  await t.step("the original search finds EC7E… and its throughput", async () => {
    using conn = new ApiConnect({
      url,
      filters: new ApiFilters({
        source: "198.129.254.30",
        destination: "198.124.252.141",
        eventType: "throughput",
        ...WINDOW,
      }),
    });
    const found = await collect(conn.listMetadata());
    assertEquals(found.map((m) => m.metadataKey), ["EC7E5AF67F8746C8AEF41E60288F3F59"]);
    const md = found[0];
    assertEquals(
      [md.inputSource, md.inputDestination, md.toolName, md.timeDuration, md.metadataCountTotal],
      ["lbl-pt1.es.net", "chic-pt1.es.net", "bwctl/iperf3", "20", 1],
    );
    const data = (await md.getEventType("throughput")!.getData()).data;
    assertEquals(data.length, 4);
    assertEquals([data[0].tsEpoch, numberText(data[0])], [1391563070, "5524593445.0"]);
    assertEquals([data[3].tsEpoch, numberText(data[3])], [1391606270, "7549113664.0"]);
    assertEquals(data[0].ts.toISOString(), "2014-02-05T01:17:50.000Z");
  });

  // The owamp metadata is found with this window only because its rows were updated inside it.
  using conn = new ApiConnect({
    url,
    filters: new ApiFilters({ toolName: "owamp/powstream", ...WINDOW }),
  });
  const [owamp] = await collect(conn.listMetadata());

  await t.step("owamp series in the window: counts, first and last points", async () => {
    assertEquals(owamp.metadataKey, "0CB19291FB6D40EAA1955376772BF5D2");
    const want: [string, number, number, string, number, string][] = [
      ["packet-duplicates", 960, 1391558413, "281.0", 1391615953, "379.0"],
      ["packet-count-sent", 960, 1391558435, "431.0", 1391615975, "505.0"],
      ["packet-count-lost", 960, 1391558410, "95.0", 1391615950, "312.0"],
    ];
    for (const [name, n, firstTs, firstVal, lastTs, lastVal] of want) {
      const data = (await owamp.getEventType(name)!.getData()).data;
      assertEquals(data.length, n, name);
      assertEquals([data[0].tsEpoch, numberText(data[0])], [firstTs, firstVal], name);
      assertEquals([data.at(-1)!.tsEpoch, numberText(data.at(-1)!)], [lastTs, lastVal], name);
    }
  });

  await t.step("histograms keep the archive's bucket order", async () => {
    const ttl = (await owamp.getEventType("histogram-ttl")!.getData()).data;
    assertEquals(ttl.length, 960);
    assertEquals([ttl[0].tsEpoch, orderedEntries(ttl[0].val)], [1391558439, [["10", 600]]]);
    assertEquals(orderedEntries(ttl.at(-1)!.val), [["9", 114], ["10", 486]]);
    const owd = (await owamp.getEventType("histogram-owdelay")!.getData()).data;
    assertEquals(owd.length, 960);
    assertEquals(orderedEntries(owd[0].val), [
      ["472", 3],
      ["800", 41],
      ["15", 5],
      ["263", 281],
      ["241", 49],
      ["505", 30],
      ["232", 191],
    ]);
    assertEquals(orderedEntries(owd.at(-1)!.val), [
      ["309", 1],
      ["763", 1],
      ["45", 11],
      ["182", 3],
      ["473", 3],
      ["427", 1],
      ["362", 99],
      ["424", 9],
      ["430", 472],
    ]);
    const daily = owamp.getEventType("histogram-owdelay")!.getSummary("aggregation", 86400)!;
    const agg = (await daily.getData()).data;
    assertEquals(agg.map((p) => p.tsEpoch), [1391613631]);
  });

  await t.step("a full day of minute data pages (1000 per page) without loss", async () => {
    const day = new ApiFilters({ timeStart: 1391547600, timeEnd: 1391637600 });
    for (const name of ["packet-count-sent", "histogram-ttl", "histogram-owdelay"]) {
      const pages = await collect(owamp.getEventType(name)!.pages(day, { pageSize: 1000 }));
      assertEquals(pages.map((p) => p.length), [1000, 440], name);
      const ts = pages.flat().map((p) => p.tsEpoch);
      assertEquals(new Set(ts).size, 1440, name);
      assert(ts.every((x, i) => i === 0 || x > ts[i - 1]), name);
    }
  });
});

Deno.test("API fixture: the server tests' search counts through ApiFilters, paged by 5", async () => {
  await using fx = await startFixtureArchive(API_FIXTURE);
  const count = async (init: ApiFiltersInit) => {
    using conn = new ApiConnect({
      url: fx.archive.url,
      filters: new ApiFilters(init),
      metadataPageSize: 5,
    });
    const all: Metadata[] = await collect(conn.listMetadata());
    assertEquals(new Set(all.map((m) => m.metadataKey)).size, all.length);
    return all.length;
  };
  const cases: [ApiFiltersInit, number][] = [
    [{}, 16],
    [{ eventType: "packet-trace" }, 4],
    [{ eventType: "throughput", summaryType: "average" }, 5],
    [{ eventType: "throughput", summaryType: "average", summaryWindow: 86400 }, 4],
    [{ source: "198.129.254.30" }, 4],
    [{ source: "2001:400:201:1150::3" }, 2],
    [{ time: 1398798965 }, 1],
    [{ timeEnd: 1398798900 }, 12],
    [{ timeStart: 1398798900 }, 4],
    [{ timeStart: 1398798840, timeEnd: 1398798960 }, 2],
  ];
  for (const [init, want] of cases) assertEquals(await count(init), want, JSON.stringify(init));
});
