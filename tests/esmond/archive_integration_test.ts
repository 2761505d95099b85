/**
 * The client library against the real embedded archive (`esmond-ps-archive serve` as a
 * subprocess): post metadata, event types, summaries and data of every data type, single and
 * bulk, then read everything back through the query side with each filter.
 */
import { assert, assertEquals, assertRejects } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import {
  ApiConnect,
  ApiFilters,
  type ApiFiltersInit,
  ArchiveHttpError,
  type DataPoint,
  EventTypeBulkPost,
  EventTypePost,
  type Metadata,
  MetadataPost,
  orderedEntries,
  PyFloat,
  pyFloatRepr,
} from "../../lib/esmond/mod.ts";
import { collect } from "./stub_server.ts";

const T0 = 1_700_000_400; // a multiple of 3600 + 400 s: bins are easy to predict
const IPERF = {
  subjectType: "point-to-point",
  source: "10.0.0.1",
  destination: "10.0.0.2",
  toolName: "bwctl/iperf3",
  measurementAgent: "10.0.0.1",
  inputSource: "a.example.net",
  inputDestination: "b.example.net",
  timeDuration: 20,
  ipTransportProtocol: "tcp",
};
const OWAMP = {
  subjectType: "point-to-point",
  source: "2001:db8::1",
  destination: "2001:db8::2",
  toolName: "owamp/powstream",
  measurementAgent: "2001:db8::2",
  inputSource: "c.example.net",
  inputDestination: "d.example.net",
};

/** Values posted per event type: [ts, val] pairs, the val as it should come back (JSON text). */
const SERIES: Record<string, { posted: unknown[]; back: string[] }> = {
  "throughput": {
    posted: [5978580000, 5413040000, "7964590000"],
    back: ["5978580000.0", "5413040000.0", "7964590000.0"],
  },
  "time-error-estimates": { posted: [0.001, 0.003, "0.002"], back: ["0.001", "0.003", "0.002"] },
  "packet-loss-rate": {
    posted: [
      { numerator: 4, denominator: 100 },
      { numerator: 50, denominator: 200 },
      { numerator: "1", denominator: "10" },
    ],
    back: ["0.04", "0.25", "0.1"],
  },
  "histogram-owdelay": {
    posted: [
      { "41.00": 98, "41.10": 98, "41.20": 3, "50.0": 1 },
      { "9": 77, "10": 523 },
      // Bucket order as the tool wrote it; a plain JS object would sort these keys.
      new Map([["400", 2], ["646", 3], ["196", 113]]),
    ],
    back: [
      '{"41.00":98,"41.10":98,"41.20":3,"50.0":1}',
      '{"9":77,"10":523}',
      '{"400":2,"646":3,"196":113}',
    ],
  },
  "throughput-subintervals": {
    posted: [
      [{ start: new PyFloat(0), duration: 1.0001, val: new PyFloat(9000) }],
      [{ start: "0.0", duration: "1.5", val: "12" }],
      [{ start: 1, duration: 2, val: 3 }],
    ],
    back: [
      '[{"start":0.0,"duration":1.0001,"val":9000.0}]',
      '[{"start":"0.0","duration":"1.5","val":"12"}]',
      '[{"start":1,"duration":2,"val":3}]',
    ],
  },
  "failures": {
    posted: [{ error: "unable to connect" }, { error: "naïve ✓ ünïcode" }, { error: "x" }],
    back: ['{"error":"unable to connect"}', '{"error":"naïve ✓ ünïcode"}', '{"error":"x"}'],
  },
  "packet-trace": {
    posted: [
      [{
        ttl: "1",
        query: "1",
        success: 1,
        ip: "10.0.0.9",
        rtt: "0.246",
        mtu: "9000",
        error_message: null,
      }],
      [{
        ttl: "1",
        query: "1",
        success: 0,
        ip: null,
        rtt: null,
        mtu: null,
        error_message: "requestTimedOut",
      }],
      [],
    ],
    back: [
      '[{"ttl":"1","query":"1","success":1,"ip":"10.0.0.9","rtt":"0.246","mtu":"9000","error_message":null}]',
      '[{"ttl":"1","query":"1","success":0,"ip":null,"rtt":null,"mtu":null,"error_message":"requestTimedOut"}]',
      "[]",
    ],
  },
  "streams-throughput": {
    posted: [[new PyFloat(1000), 2000.5], [1, 2], [3]],
    back: ["[1000.0,2000.5]", "[1,2]", "[3]"],
  },
  "streams-throughput-subintervals": {
    posted: [[[{ start: 0, duration: 1, val: 5 }]], [[]], [[{
      start: 1e-5,
      duration: 1,
      val: 1e20,
    }]]],
    back: [
      '[[{"start":0,"duration":1,"val":5}]]',
      "[[]]",
      '[[{"start":1e-05,"duration":1,"val":100000000000000000000}]]',
    ],
  },
};

/** Compact JSON with Python's number spelling (what the archive sent, token for token). */
function pyJson(v: unknown): string {
  if (v instanceof PyFloat) return v.toString();
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v).toString() : pyFloatRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${orderedEntries(v).map(([k, x]) => `${JSON.stringify(k)}:${pyJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** The value as the Python tools would see its JSON text. */
function valText(p: DataPoint): string {
  if (typeof p.val === "number") return p.valIsFloat ? pyFloatRepr(p.val) : String(p.val);
  return pyJson(p.val);
}

Deno.test("post every data type (single and bulk) to the real archive and read it all back", async (t) => {
  await using archive = await startArchive();
  const client = { url: archive.archiveUrl, apiKey: archive.token, username: "test" };

  using iperf = new MetadataPost({ ...client, ...IPERF });
  for (const name of Object.keys(SERIES)) iperf.addEventType(name);
  iperf.addSummaryType("throughput", "average", 86400);
  iperf.addSummaryType("throughput", "aggregation", [3600, 86400]);
  iperf.addSummaryType("time-error-estimates", "average", 3600);
  iperf.addSummaryType("packet-loss-rate", "aggregation", 3600);
  iperf.addSummaryType("histogram-owdelay", "aggregation", 3600);
  iperf.addSummaryType("histogram-owdelay", "statistics", [0, 3600]);
  iperf.addFreeformKeyValue("bw-parallel-streams", 2);
  const md = await iperf.postMetadata();
  assert(/^[0-9a-f]{32}$/.test(md.metadataKey), md.metadataKey);
  assertEquals(md.timeDuration, "20");
  assertEquals((await iperf.postMetadata()).metadataKey, md.metadataKey, "identical re-post");

  using owamp = new MetadataPost({
    ...client,
    ...OWAMP,
    freeform: { "sample-bucket-width": ".0001" },
  });
  owamp.addSummaryType("histogram-owdelay", "aggregation", 86400);
  owamp.addEventType("packet-count-sent");
  const md2 = await owamp.postMetadata();
  assert(md2.metadataKey !== md.metadataKey);

  // Points 0 and 1 of every series one by one, point 2 of all series in one bulk PUT.
  using bulk = new EventTypeBulkPost({ ...client, metadataKey: md.metadataKey });
  for (const [eventType, { posted }] of Object.entries(SERIES)) {
    using single = new EventTypePost({ ...client, metadataKey: md.metadataKey, eventType });
    single.addDataPoint(T0, posted[0]).addDataPoint(T0 + 60, posted[1]);
    await single.postData();
    assertEquals(single.postedCount, 2);
    bulk.addDataPoint(eventType, T0 + 120, posted[2]);
  }
  await bulk.postData();

  const window = { timeStart: T0, timeEnd: T0 + 120 };
  using conn = new ApiConnect({
    url: `${archive.url}/`,
    filters: new ApiFilters({ metadataKey: md.metadataKey }),
  });
  // The search must not carry the data window: it would be matched against time-updated.
  const listed = async () =>
    (await collect(conn.listMetadata()))[0].withFilters(new ApiFilters(window));

  await t.step("every base series comes back value-for-value", async () => {
    const found = await listed();
    assertEquals(found.eventTypes, Object.keys(SERIES).sort());
    for (const [eventType, { back }] of Object.entries(SERIES)) {
      const et = found.getEventType(eventType)!;
      const payload = await et.getData();
      assertEquals(payload.data.map((p) => p.tsEpoch), [T0, T0 + 60, T0 + 120], eventType);
      assertEquals(payload.data.map(valText), back, eventType);
    }
  });

  await t.step("summaries come back through getSummary", async () => {
    const found = await listed();
    const tp = found.getEventType("throughput")!;
    assertEquals(tp.summaries.map((s) => `${s.summaryType}/${s.summaryWindow}`), [
      "aggregation/3600",
      "aggregation/86400",
      "average/86400",
    ]);
    const wide = new ApiFilters({ timeStart: 0, timeEnd: T0 + 86400 });
    const agg = await tp.getSummary("aggregation", 86400)!.getData(wide);
    assertEquals(agg.data.map(valText), ["19356210000.0"]);
    const avg = await tp.getSummary("average", "86400")!.getData(wide);
    assertEquals(avg.data.map(valText), ["6452070000.0"]);
    const loss = await found.getEventType("packet-loss-rate")!.getSummary("aggregation", 3600)!
      .getData(wide);
    assertEquals(loss.data.map(valText), [String(55 / 310)]);
    const stats = await found.getEventType("histogram-owdelay")!.getSummary("statistics", 0)!
      .getData(wide);
    const first = stats.data[0].val as Record<string, unknown>;
    assertEquals(String(first.minimum), "41.0");
    assertEquals(String(first.maximum), "50.0");
    // esmond computes 41.097 here; the embedded archive's summation gives 41.09700000000001.
    assert(Math.abs((first.mean as number) - 41.097) < 1e-9, String(first.mean));
    assertEquals((first.mode as unknown[]).map(String).sort(), ["41.0", "41.1"]);
  });

  await t.step("each filter selects the right metadata", async () => {
    const now = Math.floor(Date.now() / 1000);
    const keysFor = async (init: ApiFiltersInit) => {
      using c = new ApiConnect({ url: archive.url, filters: new ApiFilters(init) });
      return (await collect(c.listMetadata())).map((m: Metadata) => m.metadataKey).sort();
    };
    const one = [md.metadataKey];
    const two = [md.metadataKey, md2.metadataKey].sort();
    const cases: [ApiFiltersInit, string[]][] = [
      [{}, two],
      [{ source: "10.0.0.1" }, one],
      [{ source: "2001:db8::1" }, [md2.metadataKey]],
      [{ destination: "10.0.0.2" }, one],
      [{ measurementAgent: "2001:db8::2" }, [md2.metadataKey]],
      [{ inputSource: "a.example.net" }, one],
      [{ inputDestination: "d.example.net" }, [md2.metadataKey]],
      [{ toolName: "bwctl/iperf3" }, one],
      [{ eventType: "histogram-owdelay" }, two],
      [{ eventType: "histogram-owdelay", summaryType: "aggregation", summaryWindow: 86400 }, [
        md2.metadataKey,
      ]],
      [{ eventType: "throughput", summaryType: "average" }, one],
      [{ summaryType: "statistics" }, one],
      [{ subjectType: "point-to-point" }, two],
      [{ metadataKey: md2.metadataKey }, [md2.metadataKey]],
      [{ extra: { "ip-transport-protocol": "tcp" } }, one],
      [{ extra: { "bw-parallel-streams": 2 } }, one],
      [{ extra: { "sample-bucket-width": ".0001" } }, [md2.metadataKey]],
      // Metadata time filters select by time-updated (the last write), not by data time:
      // the data are from 2023 but were written just now.
      [{ eventType: "throughput", timeStart: now - 600, timeEnd: now + 600 }, one],
      [{ eventType: "throughput", ...window }, []],
      [{ eventType: "packet-count-sent", timeRange: 3600 }, []], // never written
      [{ source: "10.0.0.99" }, []],
    ];
    for (const [init, want] of cases) assertEquals(await keysFor(init), want, JSON.stringify(init));
  });

  await t.step("metadataTimeMatch 'data' selects by data time instead", async () => {
    using c = new ApiConnect({
      url: archive.url,
      filters: new ApiFilters({ eventType: "throughput", ...window }),
      metadataTimeMatch: "data",
    });
    assertEquals((await collect(c.listMetadata())).map((m) => m.metadataKey), [md.metadataKey]);
  });

  await t.step("data time filters: time, start/end inclusive, range", async () => {
    const found = await listed();
    const tp = found.getEventType("throughput")!;
    const ts = async (init: ApiFiltersInit) =>
      (await tp.getData(new ApiFilters(init))).data.map((p) => p.tsEpoch);
    assertEquals(await ts({ time: T0 + 60 }), [T0 + 60]);
    assertEquals(await ts({ timeStart: T0 + 60, timeEnd: T0 + 120 }), [T0 + 60, T0 + 120]);
    assertEquals(await ts({ timeEnd: T0 + 119, timeRange: 119 }), [T0, T0 + 60]);
    assertEquals(await ts({ timeStart: T0 + 121 }), []);
  });

  await t.step("a numeric duplicate is a 409 ArchiveHttpError, or skipped on request", async () => {
    using dup = new EventTypePost({
      ...client,
      metadataKey: md.metadataKey,
      eventType: "throughput",
    });
    dup.addDataPoint(T0, 1);
    await assertRejects(() => dup.postData(), (e: Error) => {
      assert(e instanceof ArchiveHttpError);
      assertEquals(e.status, 409);
      return true;
    });
    using skip = new EventTypePost({
      ...client,
      metadataKey: md.metadataKey,
      eventType: "throughput",
      onDuplicate: "skip",
    });
    skip.addDataPoint(T0, 1).addDataPoint(T0 + 180, 2);
    await skip.postData();
    assertEquals([skip.postedCount, skip.duplicateCount], [1, 1]);
  });

  await t.step("writes without a token are refused with 401", async () => {
    using anon = new EventTypePost({
      url: archive.url,
      metadataKey: md.metadataKey,
      eventType: "throughput",
    });
    anon.addDataPoint(T0 + 240, 1);
    await assertRejects(() => anon.postData(), (e: Error) => {
      assert(e instanceof ArchiveHttpError);
      assertEquals(e.status, 401);
      return true;
    });
  });
});

Deno.test("paging through the real archive returns every point once", async () => {
  await using archive = await startArchive();
  const client = { url: archive.url, apiKey: archive.token };
  using post = new MetadataPost({ ...client, ...IPERF });
  post.addEventType("packet-count-sent");
  const md = await post.postMetadata();
  using bulk = new EventTypeBulkPost({ ...client, metadataKey: md.metadataKey });
  const n = 2_345;
  for (let i = 0; i < n; i++) bulk.addDataPoint("packet-count-sent", T0 + i, i);
  await bulk.postData();
  using conn = new ApiConnect({
    url: archive.url,
    filters: new ApiFilters({ metadataKey: md.metadataKey }),
  });
  const [listed] = await collect(conn.listMetadata());
  const found = listed.withFilters(new ApiFilters({ timeStart: T0, timeEnd: T0 + n - 1 }));
  const pages = await collect(
    found.getEventType("packet-count-sent")!.pages(undefined, { pageSize: 1000 }),
  );
  assertEquals(pages.map((p) => p.length), [1000, 1000, 345]);
  const all = pages.flat();
  assertEquals(all.map((p) => p.val), Array.from({ length: n }, (_, i) => i));
  assertEquals(all.at(-1)!.tsEpoch, T0 + n - 1);
  assert(all.every((p) => p.valIsFloat));
});

Deno.test("bulk writes larger than the archive's body limit go through in chunks", async () => {
  await using archive = await startArchive({ extraArgs: ["--max-body", "4000"] });
  const client = { url: archive.url, apiKey: archive.token };
  using post = new MetadataPost({ ...client, ...IPERF });
  post.addEventType("throughput");
  const md = await post.postMetadata();
  const fill = (bulk: EventTypeBulkPost) => {
    for (let i = 0; i < 500; i++) bulk.addDataPoint("throughput", T0 + i, 1_000_000_000 + i);
  };
  using whole = new EventTypeBulkPost({ ...client, metadataKey: md.metadataKey });
  fill(whole);
  await assertRejects(() => whole.postData(), (e: Error) => {
    assert(e instanceof ArchiveHttpError);
    assertEquals(e.status, 413);
    return true;
  });
  using chunked = new EventTypeBulkPost({
    ...client,
    metadataKey: md.metadataKey,
    maxValuesPerRequest: 40,
  });
  fill(chunked);
  await chunked.postData();
  assertEquals(chunked.requestCount, 13);
  using conn = new ApiConnect({
    url: archive.url,
    filters: new ApiFilters({ metadataKey: md.metadataKey }),
  });
  const [listed] = await collect(conn.listMetadata());
  const data = await listed.getEventType("throughput")!.getData(
    new ApiFilters({ timeStart: T0, timeEnd: T0 + 499 }),
  );
  assertEquals(
    data.data.map((p) => p.val),
    Array.from({ length: 500 }, (_, i) => 1_000_000_000 + i),
  );
});
