// Golden tests of every read endpoint against esmond's own fixtures (spec §3, §4, §8 and
// testdata/esmond/README.md), through real HTTP.
import { assert, assertEquals, assertMatch } from "../harness/mod.ts";
import {
  API_FIXTURE,
  CLIENT_FIXTURES,
  ESMOND_DATA,
  startFixtureArchive,
} from "./fixture_archive.ts";

const THROUGHPUT_KEY = "EC7E5AF67F8746C8AEF41E60288F3F59";
const OWAMP_KEY = "0CB19291FB6D40EAA1955376772BF5D2";
const WINDOW = "time-start=1391558400&time-end=1391616000";

async function get(url: string): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, text, headers: response.headers };
}

async function getJson(url: string) {
  const r = await get(url);
  assertEquals(r.headers.get("content-type"), "application/json", url);
  return { ...r, body: JSON.parse(r.text) };
}

Deno.test("fixtures: client metadata and series match the spec's examples", async (t) => {
  await using fx = await startFixtureArchive(CLIENT_FIXTURES);
  const root = fx.archive.archiveUrl;
  const host = new URL(fx.archive.url).host;

  await t.step("search example (§8) byte for byte", async () => {
    const r = await get(
      `${root}?source=198.129.254.30&destination=198.124.252.141&event-type=throughput&${WINDOW}`,
    );
    assertEquals(r.status, 200);
    assertEquals(r.headers.get("content-type"), "application/json");
    assertEquals(r.headers.get("link"), null);
    const p = `/esmond/perfsonar/archive/${THROUGHPUT_KEY}/`;
    assertEquals(
      r.text,
      `[{"url":"http://${host}${p}","metadata-key":"${THROUGHPUT_KEY}",` +
        `"subject-type":"point-to-point","event-types":[{"base-uri":"${p}throughput/base",` +
        `"event-type":"throughput","time-updated":1391606270,"summaries":[]}],` +
        `"source":"198.129.254.30","destination":"198.124.252.141",` +
        `"measurement-agent":"198.129.254.30","tool-name":"bwctl/iperf3",` +
        `"input-source":"lbl-pt1.es.net","input-destination":"chic-pt1.es.net",` +
        `"ip-transport-protocol":"tcp","time-duration":"20","time-interval":"21600",` +
        `"time-interval-randomization":"10","uri":"${p}","metadata-count-total":1,` +
        `"metadata-previous-page":null,"metadata-next-page":null}]`,
    );
  });

  await t.step("base numeric series (§8)", async () => {
    const r = await get(`${root}${THROUGHPUT_KEY}/throughput/base?${WINDOW}&limit=1000`);
    assertEquals(
      r.text,
      '[{"ts":1391563070,"val":5524593445.0},{"ts":1391577470,"val":4019110988.0},' +
        '{"ts":1391591870,"val":9764400993.0},{"ts":1391606270,"val":7549113664.0}]',
    );
  });

  await t.step("histogram base keeps bucket order (§8)", async () => {
    const r = await get(
      `${root}${OWAMP_KEY}/histogram-ttl/base?time-start=1391558400&time-end=1391558520`,
    );
    assertEquals(
      r.text,
      '[{"ts":1391558439,"val":{"10":600}},{"ts":1391558499,"val":{"9":77,"10":523}}]',
    );
  });

  await t.step("aggregation summary (§8)", async () => {
    const r = await get(`${root}${OWAMP_KEY}/histogram-owdelay/aggregations/86400?${WINDOW}`);
    assertEquals(
      r.text,
      '[{"ts":1391613631,"val":{"623":206173,"203":330,"833":175,"863":6,"193":5,"713":85,' +
        '"928":575408,"341":1402,"265":93,"224":25810,"544":1}}]',
    );
  });

  await t.step("every series in the known-answer window equals the dump", async () => {
    const cases: [string, string, number][] = [
      ["throughput_data.json", `${THROUGHPUT_KEY}/throughput/base`, 4],
      ["packet_duplicates_data.json", `${OWAMP_KEY}/packet-duplicates/base`, 960],
      ["packet_count_sent_data.json", `${OWAMP_KEY}/packet-count-sent/base`, 960],
      ["packet_count_lost_data.json", `${OWAMP_KEY}/packet-count-lost/base`, 960],
      ["histogram_ttl_data.json", `${OWAMP_KEY}/histogram-ttl/base`, 960],
      ["histogram_owdelay_minute_data.json", `${OWAMP_KEY}/histogram-owdelay/base`, 960],
    ];
    for (const [file, path, count] of cases) {
      const dump = JSON.parse(await Deno.readTextFile(new URL(file, ESMOND_DATA))) as {
        ts: number;
        val: unknown;
      }[];
      const expected = dump.map((p) => ({ ts: Math.floor(p.ts / 1000), val: p.val }))
        .filter((p) => p.ts >= 1391558400 && p.ts <= 1391616000);
      const r = await getJson(`${root}${path}?${WINDOW}&limit=1000`);
      assertEquals(r.body.length, count, path);
      assertEquals(r.body, expected, path);
      if (typeof expected[0].val === "number") {
        // integer event types are served as floats, like esmond
        assertMatch(r.text, /^\[\{"ts":\d+,"val":\d+\.0\}/);
      }
    }
  });

  await t.step("data paging: default page 1500 with Link, limit/offset", async () => {
    const full = "time-start=1391540000&time-end=1391640000";
    const all = await getJson(`${root}${OWAMP_KEY}/packet-count-sent/base?${full}`);
    assertEquals(all.body.length, 1440);
    assertEquals(all.headers.get("link"), null);
    const page = await getJson(`${root}${OWAMP_KEY}/packet-count-sent/base?${full}&limit=1000`);
    assertEquals(page.body.length, 1000);
    const rest = await getJson(
      `${root}${OWAMP_KEY}/packet-count-sent/base?${full}&limit=1000&offset=1000`,
    );
    assertEquals(rest.body.length, 440);
    assertEquals([...page.body, ...rest.body], all.body);
    const one = await getJson(`${root}${OWAMP_KEY}/packet-count-sent/base?time=1391558435`);
    assertEquals(one.text, '[{"ts":1391558435,"val":431.0}]');
  });

  await t.step("time-range and open ends", async () => {
    const r = await getJson(
      `${root}${THROUGHPUT_KEY}/throughput/base?time-end=1391616000&time-range=57600`,
    );
    assertEquals(r.body.length, 4);
    const none = await getJson(`${root}${THROUGHPUT_KEY}/throughput/base?time-range=3600`);
    assertEquals(none.body, []);
  });
});

Deno.test("fixtures: esmond's REST test expectations for metadata search", async (t) => {
  await using fx = await startFixtureArchive(API_FIXTURE);
  const root = fx.archive.archiveUrl;
  const count = async (query: string) => {
    const r = await getJson(`${root}?${query}`);
    const total = r.body.length ? r.body[0]["metadata-count-total"] : 0;
    assertEquals(total, r.body.length, query);
    return r.body.length;
  };

  await t.step("filter counts", async () => {
    assertEquals(await count(""), 16);
    assertEquals(await count("event-type=packet-trace"), 4);
    assertEquals(await count("event-type=throughput&summary-type=average"), 5);
    assertEquals(await count("event-type=throughput&summary-type=average&summary-window=86400"), 4);
    assertEquals(await count("source=198.129.254.30"), 4);
    assertEquals(await count("source=2001:400:201:1150::3"), 2);
    assertEquals(await count("source=2001:0400:0201:1150:0000:0000:0000:0003"), 2);
    assertEquals(await count("time=1398798965"), 1);
    assertEquals(await count("time-end=1398798900"), 12);
    assertEquals(await count("time-start=1398798900"), 4);
    assertEquals(await count("time-start=1398798840&time-end=1398798960"), 2);
    assertEquals(
      await count("source=198.129.254.30&destination=198.124.238.66&event-type=throughput"),
      1,
    );
    assertEquals(await count("tool-name=bwctl/tracepath"), 4);
    assertEquals(
      await count("ip-transport-protocol=tcp&bw-parallel-streams=2"),
      await count(
        "bw-parallel-streams=2",
      ),
    );
    assert(await count("bw-parallel-streams=2") > 0);
    assertEquals(await count("no-such-parameter=1"), 0);
    assertEquals(await count("metadata-key=e99bbc44b7b041c7ad9e51dc6a053b8c"), 1);
    assertEquals(await count("subject-type=network-element"), 0);
  });

  await t.step("metadata paging: count, links, sorted keys", async () => {
    const all = (await getJson(root)).body;
    const keys = all.map((m: { "metadata-key": string }) => m["metadata-key"]);
    assertEquals(keys, [...keys].sort());
    const page = await getJson(`${root}?limit=5&offset=10&time-end=1398816000`);
    const links = page.headers.get("link")!;
    assertMatch(links, /<[^>]*\?limit=5&offset=15&time-end=1398816000>; rel="next"/);
    assertMatch(links, /<[^>]*\?limit=5&offset=5&time-end=1398816000>; rel="prev"/);
    assertEquals(page.body[0]["metadata-count-total"], 16);
    assert(!("metadata-count-total" in page.body[1]));
    assertEquals(
      page.body.map((m: { "metadata-key": string }) => m["metadata-key"]),
      keys.slice(10, 15),
    );
    const last = await getJson(`${root}?limit=5&offset=15`);
    assertEquals(last.body.length, 1);
    assertEquals(last.body[0]["metadata-next-page"], null);
    assertMatch(last.body[0]["metadata-previous-page"], /\?limit=5&offset=10$/);
    assertEquals((await getJson(`${root}?offset=99`)).body, []);
  });

  await t.step("detail, event type, summary listing (§8)", async () => {
    const key = "e99bbc44b7b041c7ad9e51dc6a053b8c";
    const md = (await getJson(`${root}${key}/`)).body;
    assertEquals(md["event-types"].map((e: { "event-type": string }) => e["event-type"]), [
      "failures",
      "packet-retransmits",
      "streams-retransmits",
      "streams-throughput",
      "streams-throughput-subintervals",
      "throughput",
      "throughput-subintervals",
    ]);
    assertEquals(md["event-types"][0]["time-updated"], null);
    assertEquals(
      [md["bw-parallel-streams"], md["ip-tos"], md["ip-transport-protocol"], md["time-duration"]],
      ["2", "32", "tcp", "20"],
    );
    assert(!("metadata-count-total" in md));
    const et = await get(`${root}${key}/throughput/`);
    const p = `/esmond/perfsonar/archive/${key}/throughput`;
    assertEquals(
      et.text,
      `[{"base-uri":"${p}/base","event-type":"throughput","time-updated":1398785369,` +
        `"summaries":[{"uri":"${p}/averages/3600","summary-type":"average",` +
        `"summary-window":"3600","time-updated":1398785369}]}]`,
    );
    assertEquals((await get(`${root}${key}/throughput`)).text, et.text);
    assertEquals(
      (await get(`${root}${key}/throughput/averages/`)).text,
      `[{"uri":"${p}/averages/3600","summary-type":"average","summary-window":"3600",` +
        `"time-updated":1398785369}]`,
    );
  });

  await t.step("errors and empty answers", async () => {
    const key = "e99bbc44b7b041c7ad9e51dc6a053b8c";
    const cases: [string, number, string][] = [
      [`${root}nosuchkey/`, 404, '{"detail":"Not found."}'],
      [`${root}nosuchkey/throughput/`, 200, "[]"],
      [`${root}${key}/packet-loss-rate/`, 200, "[]"],
      [`${root}${key}/throughput/aggregations/`, 404, '{"detail":"Not found."}'],
      [`${root}${key}/throughput/medians/`, 400, `{"detail":"Invalid summary type 'medians'"}`],
      [`${root}${key}/bogus/base`, 400, `{"detail":"Unsupported event type 'bogus' provided"}`],
      [
        `${root}${key}/throughput/averages/x`,
        400,
        '{"detail":"Summary window parameter must be an integer"}',
      ],
      [
        `${root}${key}/throughput/base?time=1.5`,
        400,
        '{"detail":"Time parameter must be an integer"}',
      ],
      [
        `${root}?time-start=10&time-end=5`,
        400,
        '{"detail":"Requested start time must be less than end time"}',
      ],
      [
        `${root}?dns-match-rule=v6-only`,
        400,
        '{"detail":"Invalid dns-match-rule parameter v6-only"}',
      ],
      [`${root}${key}/throughput/averages/86400`, 200, "[]"],
      [`${root}nosuchkey/throughput/base`, 200, "[]"],
      [
        `${root}?source=no-such-host.invalid`,
        400,
        '{"detail":"Unable to find address for host no-such-host.invalid"}',
      ],
      [`${root}?source=localhost&dns-match-rule=only-v4`, 200, "[]"],
    ];
    for (const [url, status, text] of cases) {
      const r = await get(url);
      assertEquals([r.status, r.text], [status, text], url);
      assertEquals(r.headers.get("content-type"), "application/json", url);
    }
    const redirect = await fetch(root.replace(/\/$/, ""), { redirect: "manual" });
    await redirect.body?.cancel();
    assertEquals(redirect.status, 301);
    assertEquals(redirect.headers.get("location"), root);
    const detailAllow = await fetch(`${root}${key}/`);
    await detailAllow.body?.cancel();
    assertEquals(detailAllow.headers.get("allow"), "GET, PUT, HEAD, OPTIONS");
    assertEquals(detailAllow.headers.get("vary"), "Accept");
    const head = await fetch(`${root}${key}/`, { method: "HEAD" });
    assertEquals([head.status, await head.text()], [200, ""]);
    assertEquals(head.headers.get("content-type"), "application/json");
    const api = await getJson(root.replace(/archive\/$/, ""));
    assertEquals(api.body, { archive: root });
    const del = await fetch(`${root}${key}/`, { method: "DELETE" });
    assertEquals([del.status, await del.text()], [
      405,
      '{"detail":"Method \\"DELETE\\" not allowed."}',
    ]);
  });
});
