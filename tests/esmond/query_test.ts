import { assert, assertEquals, assertMatch, assertRejects } from "../harness/mod.ts";
import {
  ApiConnect,
  ApiFilters,
  ArchiveHttpError,
  type ArchiveSource,
  type DataPoint,
  parseDataPage,
  PyFloat,
} from "../../lib/esmond/mod.ts";
import {
  collect,
  json,
  rawJson,
  seriesResponse,
  startStub,
  type StubPoint,
} from "./stub_server.ts";

const KEY = "EC7E5AF67F8746C8AEF41E60288F3F59";

function metadataObject(key: string, n = 0): Record<string, unknown> {
  const p = `/esmond/perfsonar/archive/${key}`;
  return {
    "url": `http://HOST${p}/`,
    "metadata-key": key,
    "subject-type": "point-to-point",
    "event-types": [
      {
        "base-uri": `${p}/throughput/base`,
        "event-type": "throughput",
        "time-updated": 1391606270,
        "summaries": [{
          "uri": `${p}/throughput/averages/86400`,
          "summary-type": "average",
          "summary-window": "86400",
          "time-updated": 1391606270,
        }],
      },
      {
        "base-uri": `${p}/histogram-ttl/base`,
        "event-type": "histogram-ttl",
        "time-updated": null,
        "summaries": [],
      },
    ],
    "source": `198.129.254.${n}`,
    "destination": "198.124.252.141",
    "measurement-agent": "198.129.254.30",
    "tool-name": "bwctl/iperf3",
    "input-source": "lbl-pt1.es.net",
    "input-destination": "chic-pt1.es.net",
    "ip-transport-protocol": "tcp",
    "time-duration": "20",
    "uri": `${p}/`,
  };
}

Deno.test("listMetadata pages with offset until metadata-count-total and exposes properties", async () => {
  const all = Array.from({ length: 7 }, (_, i) => metadataObject(`k${i}`, i));
  await using stub = startStub(({ url }) => {
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const page = all.slice(offset, offset + 3).map((m) => ({ ...m }));
    if (page.length > 0) page[0]["metadata-count-total"] = all.length;
    return json(page);
  });
  using conn = new ApiConnect({
    url: `${stub.url}/esmond/perfsonar/archive/`,
    filters: new ApiFilters({ eventType: "throughput", timeStart: 100, timeEnd: 200 }),
  });
  const got = [];
  for await (const md of conn.listMetadata()) got.push(md);
  assertEquals(got.map((m) => m.metadataKey), all.map((m) => m["metadata-key"]));
  assertEquals(stub.requests.map((r) => r.url.search), [
    "?event-type=throughput&time-start=100&time-end=200",
    "?event-type=throughput&offset=3&time-start=100&time-end=200",
    "?event-type=throughput&offset=6&time-start=100&time-end=200",
  ]);
  assertEquals(stub.requests[0].url.pathname, "/esmond/perfsonar/archive/");
  const md = got[1];
  assertEquals(md.source, "198.129.254.1");
  assertEquals(md.toolName, "bwctl/iperf3");
  assertEquals(md.timeDuration, "20");
  assertEquals(md.ipTransportProtocol, "tcp");
  assertEquals(md.freeform, { "ip-transport-protocol": "tcp", "time-duration": "20" });
  assertEquals(md.eventTypes, ["throughput", "histogram-ttl"]);
  const et = md.getEventType("throughput")!;
  assertEquals(et.dataType, "integer");
  assertEquals(
    et.getSummary("average", 86400)?.uri,
    "/esmond/perfsonar/archive/k1/throughput/averages/86400",
  );
  assertEquals(et.getSummary("average", "3600"), undefined);
  assertEquals(md.getEventType("histogram-ttl")!.dataType, "histogram");
  assertEquals(md.getEventType("histogram-ttl")!.timeUpdated, null);
  assertEquals(String(md), "<Metadata/k1: uri:/esmond/perfsonar/archive/k1/>");
});

Deno.test("an empty search yields nothing after one request", async () => {
  await using stub = startStub(() => json([]));
  using conn = new ApiConnect({ url: stub.url });
  const got = [];
  for await (const md of conn.listMetadata()) got.push(md);
  assertEquals(got.length, 0);
  assertEquals(stub.requests.length, 1);
});

Deno.test("scriptAlias null talks to /perfsonar/archive/", async () => {
  await using stub = startStub(() => json([]));
  using conn = new ApiConnect({ url: `${stub.url}/`, scriptAlias: null });
  for await (const _ of conn.listMetadata()) { /* none */ }
  assertEquals(stub.requests[0].url.pathname, "/perfsonar/archive/");
});

function throughputStub(points: StubPoint[], maxPage?: number) {
  return startStub(({ url }) => {
    if (url.pathname.endsWith("/archive/")) {
      return json([{ ...metadataObject(KEY), "metadata-count-total": 1 }]);
    }
    return seriesResponse(points, url, { maxPage });
  });
}

async function readAll(conn: ApiConnect, pageSize: number): Promise<DataPoint[]> {
  const out: DataPoint[] = [];
  for await (const md of conn.listMetadata()) {
    for await (const page of md.getEventType("throughput")!.pages(undefined, { pageSize })) {
      out.push(...page);
    }
  }
  return out;
}

Deno.test("paging returns every point once when a page boundary falls in a run of equal timestamps", async () => {
  // 5 distinct seconds, the third one repeated 7 times: with pages of 3 the boundary falls
  // inside the run twice.
  const points: StubPoint[] = [
    { ts: 10, val: "1.0" },
    { ts: 11, val: "2.0" },
    ...Array.from({ length: 7 }, (_, i) => ({ ts: 12, val: `${100 + i}.0` })),
    { ts: 13, val: "3.0" },
    { ts: 14, val: "4.0" },
  ];
  await using stub = throughputStub(points);
  using conn = new ApiConnect({
    url: stub.url,
    filters: new ApiFilters({ timeStart: 10, timeEnd: 14 }),
  });
  const got = await readAll(conn, 3);
  assertEquals(got.map((p) => [p.tsEpoch, p.val]), points.map((p) => [p.ts, Number(p.val)]));
  assert(got.every((p) => p.valIsFloat));
  // The last request is the empty page that ends the loop.
  const dataRequests = stub.requests.filter((r) => r.url.pathname.endsWith("/base"));
  assertEquals(dataRequests.at(-1)!.url.search, "?time-start=14&time-end=14&limit=3&offset=1");
});

Deno.test("paging keeps the point at exactly time-end and survives a server page cap", async () => {
  const points: StubPoint[] = Array.from(
    { length: 1001 },
    (_, i) => ({ ts: 1000 + i, val: `${i}` }),
  );
  await using stub = throughputStub(points, 400);
  using conn = new ApiConnect({
    url: stub.url,
    filters: new ApiFilters({ timeStart: 1000, timeEnd: 2000 }),
  });
  const got = await readAll(conn, 1000);
  assertEquals(got.length, 1001);
  assertEquals(got.at(-1)!.tsEpoch, 2000);
  assertEquals(got[5].val, 5);
  assertEquals(got[5].valIsFloat, false);
  assertEquals(got[5].ts.toISOString(), new Date(1005_000).toISOString());
});

Deno.test("getData collects; data() streams; summaries read their own URI", async () => {
  await using stub = startStub(({ url }) => {
    if (url.pathname.endsWith("/archive/")) {
      return json([{ ...metadataObject(KEY), "metadata-count-total": 1 }]);
    }
    if (url.pathname.endsWith("/averages/86400")) {
      return seriesResponse([{ ts: 1391558400, val: "6575755000.0" }], url);
    }
    return seriesResponse([{ ts: 1391563070, val: "5524593445.0" }, {
      ts: 1391577470,
      val: "1e-05",
    }], url);
  });
  using conn = new ApiConnect({
    url: stub.url,
    filters: new ApiFilters({ timeStart: 0, timeEnd: 2e9 }),
  });
  for await (const md of conn.listMetadata()) {
    const et = md.getEventType("throughput")!;
    const payload = await et.getData();
    assertEquals(payload.dataType, "integer");
    assertEquals(payload.data.map((p) => [p.val, p.valIsFloat]), [[5524593445, true], [
      0.00001,
      true,
    ]]);
    const streamed = [];
    for await (const p of et.data()) streamed.push(p.tsEpoch);
    assertEquals(streamed, [1391563070, 1391577470]);
    const avg = await et.getSummary("average", 86400)!.getData();
    assertEquals(avg.data.map((p) => p.val), [6575755000]);
  }
});

Deno.test("nested floats become PyFloat, histogram buckets stay strings", async () => {
  await using stub = startStub(({ url }) =>
    url.pathname.endsWith("/archive/")
      ? json([{ ...metadataObject(KEY), "metadata-count-total": 1 }])
      : seriesResponse([
        { ts: 1, val: '{"9":77,"10":523}' },
        { ts: 2, val: '{"minimum":41.0,"mode":[41.1,41.0],"mean":41.097}' },
      ], url)
  );
  using conn = new ApiConnect({ url: stub.url });
  for await (const md of conn.listMetadata()) {
    const pts = (await md.getEventType("histogram-ttl")!.getData()).data;
    assertEquals(pts[0].val, { "9": 77, "10": 523 });
    const stats = pts[1].val as Record<string, unknown>;
    assert(stats.minimum instanceof PyFloat);
    assertEquals(String(stats.minimum), "41.0");
    assertEquals((stats.mode as unknown[])[0], 41.1);
    assertEquals((stats.mode as unknown[])[1] instanceof PyFloat, true);
    assertEquals(stats.mean, 41.097);
  }
});

Deno.test("metadataTimeMatch 'data' searches without time filters and probes the window", async () => {
  await using stub = startStub(({ url }) => {
    if (url.pathname.endsWith("/archive/")) {
      return json([
        { ...metadataObject("a"), "metadata-count-total": 2 },
        metadataObject("b"),
      ]);
    }
    const pts = url.pathname.includes("/a/")
      ? [{ ts: 150, val: "1.0" }]
      : [{ ts: 500, val: "1.0" }];
    return seriesResponse(pts, url);
  });
  using conn = new ApiConnect({
    url: stub.url,
    filters: new ApiFilters({ eventType: "throughput", timeStart: 100, timeEnd: 200 }),
    metadataTimeMatch: "data",
  });
  const keys = [];
  for await (const md of conn.listMetadata()) keys.push(md.metadataKey);
  assertEquals(keys, ["a"]);
  assertEquals(stub.requests[0].url.search, "?event-type=throughput");
});

Deno.test("a server that ignores the paging parameters gives a clear error instead of a loop", async () => {
  await using stub = startStub(({ url }) =>
    url.pathname.endsWith("/archive/")
      ? json([{ ...metadataObject(KEY), "metadata-count-total": 1 }])
      : rawJson('[{"ts":1,"val":1.0},{"ts":2,"val":2.0}]')
  );
  using conn = new ApiConnect({ url: stub.url });
  for await (const md of conn.listMetadata()) {
    await assertRejects(
      () => md.getEventType("throughput")!.getData(undefined, { pageSize: 2 }),
      (e: Error) => {
        assert(e instanceof ArchiveHttpError);
        assertMatch(e.message, /ignored time-start=2/);
        return true;
      },
    );
  }
});

Deno.test("series without URIs in the metadata are read from their conventional paths", async () => {
  await using stub = startStub(({ url }) =>
    url.pathname.endsWith("/archive/")
      ? json([{
        "metadata-key": "abc",
        "metadata-count-total": 1,
        "event-types": [{
          "event-type": "throughput",
          "time-updated": "1398785369",
          "summaries": [{ "summary-type": "average", "summary-window": 86400 }],
        }],
      }])
      : seriesResponse([{ ts: 5, val: "1.0" }], url)
  );
  using conn = new ApiConnect({ url: stub.url, scriptAlias: "/x" });
  for await (const md of conn.listMetadata()) {
    const et = md.getEventType("throughput")!;
    assertEquals(et.timeUpdated, 1398785369);
    assertEquals(et.getSummary("average", "86400")?.summaryWindow, "86400");
    assertEquals((await et.getData()).data.length, 1);
    assertEquals((await et.getSummary("average", 86400)!.getData()).data.length, 1);
  }
  assertEquals(
    [...new Set(stub.requests.map((r) => r.url.pathname))],
    [
      "/x/perfsonar/archive/",
      "/x/perfsonar/archive/abc/throughput/base",
      "/x/perfsonar/archive/abc/throughput/averages/86400",
    ],
  );
});

Deno.test("ApiConnect works over any ArchiveSource (not welded to HTTP esmond)", async () => {
  const seen: string[] = [];
  const source: ArchiveSource = {
    description: "memory",
    async *listMetadata(filters) {
      seen.push(`list ${filters.metadataSearchParams().toString()}`);
      yield {
        "metadata-key": "m1",
        "source": "10.0.0.1",
        "event-types": [{ "event-type": "packet-loss-rate", "summaries": [] }],
      };
    },
    async *readSeries(series, filters) {
      seen.push(`read ${series.metadataKey}/${series.eventType}/${series.summaryType}`);
      const w = filters.timeWindow(0);
      yield parseDataPage(`[{"ts":${w.begin},"val":0.04},{"ts":${w.end},"val":0.25}]`);
    },
    close() {
      seen.push("close");
    },
  };
  {
    using conn = new ApiConnect({
      url: "http://unused",
      source,
      filters: new ApiFilters({ source: "10.0.0.1", timeStart: 5, timeEnd: 9 }),
    });
    const [md] = await collect(conn.listMetadata());
    const data = (await md.getEventType("packet-loss-rate")!.getData()).data;
    assertEquals(data.map((p) => [p.tsEpoch, p.val, p.valIsFloat]), [[5, 0.04, true], [
      9,
      0.25,
      true,
    ]]);
  }
  // A source passed in belongs to the caller: the connection does not close it.
  assertEquals(seen, [
    "list source=10.0.0.1&time-start=5&time-end=9",
    "read m1/packet-loss-rate/base",
  ]);
});
