// The write API through real HTTP: validation, atomic bulk writes, summaries, limits.
import { assert, assertEquals, assertMatch } from "../harness/mod.ts";
import { startArchive, type TestArchive } from "../archive_server.ts";
import { expectStatus, getText, send } from "./http_helpers.ts";
import { testDataUrl } from "../harness/test_data.ts";

async function createOwamp(archive: TestArchive): Promise<string> {
  const r = await send(archive, "", {
    "subject-type": "point-to-point",
    "source": "198.129.252.142",
    "destination": "198.124.252.154",
    "measurement-agent": "198.129.252.142",
    "tool-name": "owamp/powstream",
    "input-source": "lbl-owamp.es.net",
    "input-destination": "chic-owamp.es.net",
    "sample-bucket-width": ".0001",
    "event-types": [
      {
        "event-type": "histogram-owdelay",
        "summaries": [
          { "summary-type": "aggregation", "summary-window": "86400" },
          { "summary-type": "statistics", "summary-window": 86400 },
          { "summary-type": "statistics", "summary-window": 0 },
        ],
      },
      {
        "event-type": "packet-loss-rate",
        "summaries": [{ "summary-type": "aggregation", "summary-window": 86400 }],
      },
      {
        "event-type": "time-error-estimates",
        "summaries": [
          { "summary-type": "average", "summary-window": 86400 },
          { "summary-type": "aggregation", "summary-window": 86400 },
        ],
      },
      { "event-type": "packet-count-sent" },
      { "event-type": "failures", "summaries": [] },
    ],
  });
  assertEquals(r.status, 201);
  return (await r.json())["metadata-key"];
}

Deno.test("write API: summaries on write for every numeric data type", async () => {
  await using archive = await startArchive();
  const key = await createOwamp(archive);
  const T = 1398902400 + 3600;
  const bulk = {
    data: [
      { numerator: 4, denominator: 100 },
      { numerator: 50, denominator: 200 },
      { numerator: 1, denominator: 10 },
      { numerator: 15, denominator: 40 },
    ].map((val, i) => ({
      ts: T + 60 * i,
      val: [
        { "event-type": "packet-loss-rate", val },
        { "event-type": "time-error-estimates", val: [0.001, 0.003, 0.002, 0.003][i] },
      ],
    })),
  };
  bulk.data.push({ ts: T + 240, val: [{ "event-type": "time-error-estimates", val: 0.001 }] });
  await expectStatus(await send(archive, `${key}/`, bulk, { method: "PUT" }), 201);
  assertEquals(
    await getText(archive, `${key}/packet-loss-rate/base`),
    `[{"ts":${T},"val":0.04},{"ts":${T + 60},"val":0.25},{"ts":${T + 120},"val":0.1},` +
      `{"ts":${T + 180},"val":0.375}]`,
  );
  // Σn/Σd = 70/350
  assertEquals(
    await getText(archive, `${key}/packet-loss-rate/aggregations/86400`),
    `[{"ts":1398902400,"val":0.2}]`,
  );
  assertEquals(
    await getText(archive, `${key}/time-error-estimates/averages/86400`),
    `[{"ts":1398902400,"val":0.002}]`,
  );
  assertEquals(
    await getText(archive, `${key}/time-error-estimates/aggregations/86400`),
    `[{"ts":1398902400,"val":0.01}]`,
  );
  assertEquals(
    await getText(archive, `${key}/time-error-estimates/base?limit=1`),
    `[{"ts":${T},"val":0.001}]`,
  );

  // histograms: the esmond test data, posted as esmond's test does
  const hists = [{ "41.00": 98, "41.10": 2 }, { "41.00": 98, "41.10": 2 }, {
    "41.10": 96,
    "41.20": 3,
    "50.0": 1,
  }];
  await expectStatus(
    await send(archive, `${key}/histogram-owdelay/base`, { ts: T, val: hists[0] }),
    201,
  );
  // same second again: histograms are replaced, and the aggregate must not count it twice
  await expectStatus(
    await send(archive, `${key}/histogram-owdelay/base`, { ts: T, val: hists[1] }),
    201,
  );
  await expectStatus(
    await send(archive, `${key}/histogram-owdelay/base`, { ts: T + 60, val: hists[2] }),
    201,
  );
  assertEquals(
    await getText(archive, `${key}/histogram-owdelay/aggregations/86400`),
    '[{"ts":1398902400,"val":{"41.00":98,"41.10":98,"41.20":3,"50.0":1}}]',
  );
  const daily = JSON.parse(await getText(archive, `${key}/histogram-owdelay/statistics/86400`));
  assertEquals(daily.length, 1);
  assertEquals(daily[0].val.median, 41.1);
  assertEquals(daily[0].val["percentile-25"], 41.0);
  assertEquals(daily[0].val.variance, 0.40109100000000003);
  assertEquals(daily[0].val.minimum, 41.0);
  assertEquals(daily[0].val.maximum, 50.0);
  const perPoint = JSON.parse(await getText(archive, `${key}/histogram-owdelay/statistics/0`));
  assertEquals(perPoint.map((p: { ts: number }) => p.ts), [T, T + 60]);
  assertEquals(perPoint[1].val.minimum, 41.1);
  assertMatch(await getText(archive, `${key}/histogram-owdelay/statistics/0`), /"maximum":50\.0/);

  // json values come back exactly as posted (key order, floats)
  await expectStatus(
    // sent as text: JSON.stringify would turn 1.0 into 1
    await send(
      archive,
      `${key}/failures/base`,
      `{"ts":${T},"val":{"error":"unreachable ☹","n":1.0}}`,
    ),
    201,
  );
  assertEquals(
    await getText(archive, `${key}/failures/base`),
    `[{"ts":${T},"val":{"error":"unreachable ☹","n":1.0}}]`,
  );
  const md = JSON.parse(await getText(archive, `${key}/`));
  const updated = md["event-types"].map((e: { "time-updated": number | null }) =>
    e["time-updated"]
  );
  assertEquals(updated.filter((u: number | null) => u === null).length, 1); // packet-count-sent
});

Deno.test("write API: bad input is refused with 400 and writes nothing", async () => {
  await using archive = await startArchive({ extraArgs: ["--max-body", "4096"] });
  const key = await createOwamp(archive);
  const T = 1398902400;
  const bad = {
    data: [
      { ts: T, val: [{ "event-type": "packet-count-sent", val: 10 }] },
      { ts: T + 60, val: [{ "event-type": "packet-count-sent", val: "ten" }] },
    ],
  };
  await expectStatus(
    await send(archive, `${key}/`, bad, { method: "PUT" }),
    400,
    /Value must be an integer/,
  );
  assertEquals(await getText(archive, `${key}/packet-count-sent/base`), "[]");
  const undeclared = {
    data: [{
      ts: T,
      val: [
        { "event-type": "packet-count-sent", val: 10 },
        { "event-type": "throughput", val: 10 },
      ],
    }],
  };
  await expectStatus(
    await send(archive, `${key}/`, undeclared, { method: "PUT" }),
    400,
    /throughput/,
  );
  assertEquals(await getText(archive, `${key}/packet-count-sent/base`), "[]");
  // a duplicate inside a bulk write rolls back the points before it
  await expectStatus(
    await send(archive, `${key}/packet-count-sent/base`, { ts: T + 120, val: 1 }),
    201,
  );
  const dup = {
    data: [
      { ts: T, val: [{ "event-type": "packet-count-sent", val: 10 }] },
      { ts: T + 120, val: [{ "event-type": "packet-count-sent", val: 11 }] },
    ],
  };
  await expectStatus(await send(archive, `${key}/`, dup, { method: "PUT" }), 409);
  // the same second twice in one request is a duplicate too
  const twice = {
    data: [
      { ts: T + 600, val: [{ "event-type": "packet-count-sent", val: 10 }] },
      { ts: T + 600, val: [{ "event-type": "packet-count-sent", val: 11 }] },
    ],
  };
  await expectStatus(
    await send(archive, `${key}/`, twice, { method: "PUT" }),
    409,
    `Time series value already exists with event type packet-count-sent at time ${T + 600}`,
  );
  assertEquals(
    await getText(archive, `${key}/packet-count-sent/base`),
    `[{"ts":${T + 120},"val":1.0}]`,
  );
  const md = JSON.parse(await getText(archive, `${key}/`));
  const sent = md["event-types"].find((e: { "event-type": string }) =>
    e["event-type"] === "packet-count-sent"
  );
  assert(sent["time-updated"] !== null);
  const lossBefore = md["event-types"].find((e: { "event-type": string }) =>
    e["event-type"] === "packet-loss-rate"
  );
  assertEquals(lossBefore["time-updated"], null);

  const base = `${key}/packet-count-sent/base`;
  const cases: [string, unknown, string, number?][] = [
    [base, "", "No data payload POSTed."],
    [
      base,
      "{not json",
      "POST data payload could not be decoded to a JSON object - given: {not json",
    ],
    [base, { val: 1 }, "Required field ts not provided in request"],
    [base, { ts: "yesterday", val: 1 }, "Time must be a unix timestamp"],
    [base, { ts: T }, "Required field val not provided in request"],
    [`${key}/nonsense/base`, { ts: T, val: 1 }, "Invalid event type nonsense"],
    [
      `${key}/packet-count-sent/averages`,
      { ts: T, val: 1 },
      "Only base summary-type allowed for writing. Cannot use averages",
    ],
    [
      `${key}/packet-loss-rate/base`,
      { ts: T, val: { numerator: 1 } },
      "Missing required field 'denominator'",
    ],
    [`${key}/`, { nodata: [] }, "Request must contain 'data' element"],
    [`${key}/`, { data: {} }, "The 'data' element must be an array"],
    [`${key}/`, { data: [{ val: [] }] }, "Missing ts field in provided data list at position 1"],
    [
      `${key}/`,
      { data: [{ ts: 1, val: 3 }] },
      "'val' field must be an array in provided data list at position 1",
    ],
    [
      `${key}/`,
      { data: [{ ts: 1, val: [{ val: 3 }] }] },
      "Missing event-type field at data item 1 in value 1 ",
    ],
    ["", { "subject-type": "point-to-point" }, "Missing event-types field in request"],
    ["", { "event-types": [] }, "Missing subject-type field in request"],
    ["", { "subject-type": "bogus", "event-types": [] }, "Invalid subject type bogus"],
    ["", { "subject-type": "point-to-point", "event-types": {} }, "event_types must be a list"],
    [
      "",
      { "subject-type": "point-to-point", "metadata-key": "x", "event-types": [] },
      "metadata-key is not allowed to be specified",
    ],
  ];
  for (const [path, body, message] of cases) {
    const method = path === `${key}/` ? "PUT" : "POST";
    await expectStatus(await send(archive, path, body, { method }), 400, message);
  }
  const subject = {
    "subject-type": "point-to-point",
    "source": "10.0.0.1",
    "destination": "10.0.0.2",
    "measurement-agent": "10.0.0.1",
    "tool-name": "x",
    "input-source": "a",
    "input-destination": "b",
  };
  const metadataCases: [unknown, string][] = [
    [[{ summaries: [] }], "No event-type defined"],
    [[{ "event-type": "nope" }], "Invalid event-type nope"],
    [
      [{ "event-type": "throughput", summaries: [{ "summary-window": 1 }] }],
      "Summary must contain summary-type",
    ],
    [[{
      "event-type": "throughput",
      summaries: [{ "summary-type": "median", "summary-window": 1 }],
    }], "Invalid summary type 'median'"],
    [[{
      "event-type": "throughput",
      summaries: [{ "summary-type": "statistics", "summary-window": 1 }],
    }], "Summary type statistics not allowed for event-type throughput"],
    [
      [{ "event-type": "throughput", summaries: [{ "summary-type": "average" }] }],
      "Summary must contain summary-window",
    ],
    [[{
      "event-type": "throughput",
      summaries: [{ "summary-type": "average", "summary-window": "x" }],
    }], "Summary window must be an integer"],
  ];
  for (const [eventTypes, message] of metadataCases) {
    await expectStatus(
      await send(archive, "", { ...subject, "event-types": eventTypes }),
      400,
      message,
    );
  }
  await expectStatus(
    await send(archive, base, { ts: T, val: 1 }, { contentType: "text/plain" }),
    400,
    "Must post content-type: application/json header and json-formatted payload.",
  );
  await expectStatus(
    await send(archive, `${key}/`, { data: [], pad: "x".repeat(5000) }, { method: "PUT" }),
    413,
    /larger than 4096 bytes/,
  );
  await expectStatus(
    await send(archive, "0123456789abcdef/throughput/base", { ts: 1, val: 1 }),
    404,
  );
  // nothing from all of the above landed
  assertEquals(JSON.parse(await getText(archive, "")).length, 1);
  assertEquals(
    await getText(archive, `${key}/packet-count-sent/base`),
    `[{"ts":${T + 120},"val":1.0}]`,
  );
});

Deno.test("write API: histogram summaries are the same written one by one or in bulk", async () => {
  await using archive = await startArchive();
  const text = await Deno.readTextFile(
    testDataUrl("esmond", "histogram_owdelay_minute_data.json"),
  );
  const rows = JSON.parse(text) as { ts: number }[];
  // bucket order matters: take each `val` as the text it is in the file
  const vals = [...text.matchAll(/"val": (\{[^}]*\})/g)].map((m) => m[1]).slice(0, 150);
  const points = vals.map((val, i) => ({ ts: rows[i].ts / 1000, val }));
  const keys: string[] = [];
  for (const tag of ["single", "bulk"]) {
    const r = await send(archive, "", {
      "subject-type": "point-to-point",
      "source": "10.0.0.1",
      "destination": "10.0.0.2",
      "measurement-agent": "10.0.0.1",
      "tool-name": "owamp/powstream",
      "input-source": "a",
      "input-destination": "b",
      "tag": tag,
      "event-types": [{
        "event-type": "histogram-owdelay",
        "summaries": [
          { "summary-type": "aggregation", "summary-window": 3600 },
          { "summary-type": "statistics", "summary-window": 3600 },
          { "summary-type": "statistics", "summary-window": 86400 },
          { "summary-type": "statistics", "summary-window": 0 },
        ],
      }],
    });
    keys.push((await r.json())["metadata-key"]);
  }
  for (const p of points) {
    await expectStatus(
      await send(archive, `${keys[0]}/histogram-owdelay/base`, `{"ts":${p.ts},"val":${p.val}}`),
      201,
    );
  }
  // in bulk, with the first point sent twice: the second copy replaces it, counted once
  const items = [points[0], ...points].map((p) =>
    `{"ts":${p.ts},"val":[{"event-type":"histogram-owdelay","val":${p.val}}]}`
  );
  await expectStatus(
    await send(archive, `${keys[1]}/`, `{"data":[${items.join(",")}]}`, { method: "PUT" }),
    201,
  );
  for (const path of ["aggregations/3600", "statistics/3600", "statistics/86400", "statistics/0"]) {
    const [one, bulk] = await Promise.all(
      keys.map((k) => getText(archive, `${k}/histogram-owdelay/${path}?time-start=0&limit=100000`)),
    );
    assertEquals(bulk, one, path);
    assert(JSON.parse(one).length > 0, path);
  }
  // the aggregate holds every sample exactly once
  const agg = JSON.parse(
    await getText(archive, `${keys[1]}/histogram-owdelay/aggregations/3600?time-start=0`),
  ) as { val: Record<string, number> }[];
  const total = agg.reduce((s, p) => s + Object.values(p.val).reduce((a, b) => a + b, 0), 0);
  const expected = points.reduce(
    (s, p) =>
      s + Object.values(JSON.parse(p.val) as Record<string, number>).reduce((a, b) => a + b, 0),
    0,
  );
  assertEquals(total, expected);
});
