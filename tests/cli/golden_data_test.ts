// Golden outputs written by hand from the clients spec §3/§5 rules (not copied from our output).
import { assertEquals } from "../harness/mod.ts";
import {
  type PointLike,
  pointRows,
  seriesColumns,
  type SeriesContext,
} from "../../cli/format/data_rows.ts";
import { createRenderer, type OutputFormat } from "../../cli/format/renderers.ts";
import type { FormatFamily } from "../../lib/esmond/event_types.ts";
import { PyFloat } from "../../cli/format/py_text.ts";

function context(
  family: FormatFamily | null,
  eventType: string,
  extra: Partial<SeriesContext> = {},
) {
  return {
    source: "198.129.254.30",
    destination: "198.124.252.141",
    eventType,
    tool: "bwctl/iperf3",
    summaryType: "base",
    summaryWindow: 0,
    bucketWidth: null,
    family,
    statistics: false,
    humanTrace: false,
    hostName: (a: string) => a,
    ...extra,
  } satisfies SeriesContext;
}

function render(
  format: OutputFormat,
  ctx: SeriesContext,
  points: PointLike[],
  finalNewline = true,
) {
  const c = { ...ctx, humanTrace: format === "human" };
  const renderer = createRenderer(format, { columns: seriesColumns(c), finalNewline });
  let out = "";
  for (const p of points) out += renderer.write(pointRows(c, p));
  return out + renderer.end();
}

const P = "198.129.254.30,198.124.252.141";
const HEAD = "source,destination,event_type,tool,summary_type,summary_window,timestamp";

Deno.test("numeric: csv, human, json (integer event type comes back as floats)", () => {
  const ctx = context("numeric", "throughput");
  const points = [
    { tsEpoch: 1391563070, val: 5524593445, valIsFloat: true },
    { tsEpoch: 1391606270, val: 7549113664, valIsFloat: true },
  ];
  assertEquals(
    render("csv", ctx, points),
    `${HEAD},value\r\n` +
      `${P},throughput,bwctl/iperf3,base,0,2014-02-05 01:17:50,5524593445.0\r\n` +
      `${P},throughput,bwctl/iperf3,base,0,2014-02-05 13:17:50,7549113664.0\r\n\n`,
  );
  assertEquals(
    render("human", ctx, points.slice(0, 1)),
    "source: 198.129.254.30\ndestination: 198.124.252.141\nevent_type: throughput\n" +
      "tool: bwctl/iperf3\nsummary_type: base\nsummary_window: 0\n" +
      "timestamp: 2014-02-05 01:17:50\nvalue: 5524593445.0\n\n",
  );
  const human2 = render("human", ctx, points);
  assertEquals(human2.split("= + = + = + = + = + =\n").length, 2);
  assertEquals(human2.endsWith("value: 7549113664.0\n\n"), true);
  assertEquals(
    render("json", ctx, points.slice(0, 1)),
    '[{"source": "198.129.254.30", "destination": "198.124.252.141", "event_type": "throughput", ' +
      '"tool": "bwctl/iperf3", "summary_type": "base", "summary_window": 0, ' +
      '"timestamp": "2014-02-05 01:17:50", "value": 5524593445.0}]\n',
  );
  // packet-loss-rate is a ratio float; small values use the exponent form.
  const loss = context("numeric", "packet-loss-rate");
  assertEquals(
    render("csv", loss, [{ tsEpoch: 0, val: 0.00001, valIsFloat: true }]).split("\r\n")[1],
    `${P},packet-loss-rate,bwctl/iperf3,base,0,1970-01-01 00:00:00,1e-05`,
  );
});

Deno.test("empty results in the three formats", () => {
  const ctx = context("numeric", "throughput");
  assertEquals(render("human", ctx, []), "No data found.\n");
  assertEquals(render("json", ctx, []), '[{"msg": "No data found."}]\n');
  assertEquals(
    render("csv", ctx, []),
    `${HEAD},value\r\n` + "No data,".repeat(7) + "No data\r\n\n",
  );
});

Deno.test("histogram: bucket width and the dict repr quoted in csv", () => {
  const ctx = context("histogram", "histogram-owdelay", {
    bucketWidth: ".0001",
    tool: "owamp/powstream",
  });
  const point = { tsEpoch: 1391559550, val: { "41.00": 98, "41.10": 2 } };
  assertEquals(
    render("csv", ctx, [point]),
    `${HEAD},bucket,value\r\n` +
      `${P},histogram-owdelay,owamp/powstream,base,0,2014-02-05 00:19:10,.0001,"{'41.00': 98, '41.10': 2}"\r\n\n`,
  );
  assertEquals(
    render("json", ctx, [point]).endsWith(
      '"timestamp": "2014-02-05 00:19:10", "bucket": ".0001", "value": {"41.00": 98, "41.10": 2}}]\n',
    ),
    true,
  );
  const noWidth = context("histogram", "histogram-ttl");
  assertEquals(
    render("human", noWidth, [point]).includes("bucket: None\nvalue: {'41.00': 98, '41.10': 2}\n"),
    true,
  );
});

Deno.test("histogram statistics columns, mode list joined", () => {
  const ctx = context("histogram", "histogram-rtt", {
    statistics: true,
    summaryType: "statistics",
  });
  const val = {
    "maximum": new PyFloat(50),
    "mean": 41.097,
    "median": 41.1,
    "minimum": new PyFloat(41),
    "mode": [41.1, new PyFloat(41)],
    "percentile-25": new PyFloat(41),
    "percentile-75": 41.1,
    "percentile-95": 41.1,
    "standard-deviation": 0.6333174559413313,
    "variance": 0.40109100000000003,
  };
  assertEquals(
    render("csv", ctx, [{ tsEpoch: 1398798900, val }]),
    `${HEAD},min,median,max,mean,mode,standard_deviation,variance,percentile_25,percentile_75,percentile_95\r\n` +
      `${P},histogram-rtt,bwctl/iperf3,statistics,0,2014-04-29 19:15:00,41.0,41.1,50.0,41.097,"41.1, 41.0",` +
      `0.6333174559413313,0.40109100000000003,41.0,41.1,41.1\r\n\n`,
  );
  assertEquals(render("human", ctx, [{ tsEpoch: 0, val }]).includes("\nmode: 41.1, 41.0\n"), true);
  assertEquals(render("json", ctx, [{ tsEpoch: 0, val }]).includes('"mode": [41.1, 41.0]'), true);
});

Deno.test("failures: msg column, quoting of commas and quotes", () => {
  const ctx = context("failures", "failures");
  assertEquals(
    render("csv", ctx, [{ tsEpoch: 1391563070, val: { error: 'Unable to connect, "refused"' } }]),
    `${HEAD},msg\r\n${P},failures,bwctl/iperf3,base,0,2014-02-05 01:17:50,"Unable to connect, ""refused"""\r\n\n`,
  );
  assertEquals(
    render("csv", ctx, [{ tsEpoch: 0, val: { error: "line1\nline2" } }]).split("\r\n")[1],
    `${P},failures,bwctl/iperf3,base,0,1970-01-01 00:00:00,"line1\nline2"`,
  );
});

const hops = [
  {
    ttl: "1",
    query: "1",
    success: 1,
    ip: "198.124.238.65",
    rtt: "0.246",
    mtu: "9000",
    error_message: null,
  },
  { ttl: "2", query: "1", success: 0, ip: null, rtt: null, mtu: null, error_message: "timeout" },
];

Deno.test("packet_trace: human header block then hop blocks; csv/json one row per hop", () => {
  const ctx = context("packet_trace", "packet-trace", { tool: "bwctl/tracepath,traceroute" });
  const point = { tsEpoch: 1398798965, val: hops };
  assertEquals(
    render("human", ctx, [point]),
    "source: 198.129.254.30\ndestination: 198.124.252.141\nevent_type: packet-trace\n" +
      "tool: bwctl/tracepath,traceroute\nsummary_type: base\nsummary_window: 0\n" +
      "timestamp: 2014-04-29 19:16:05\n= + = + = + = + = + =\n" +
      "ttl: 1\nquery: 1\nsuccess: 1\nip: 198.124.238.65\nrtt: 0.246\nmtu: 9000\nerror_message: None\n" +
      "= + = + = + = + = + =\n" +
      "ttl: 2\nquery: 1\nsuccess: 0\nip: None\nrtt: None\nmtu: None\nerror_message: timeout\n\n",
  );
  assertEquals(
    render("csv", ctx, [point]),
    `${HEAD},ttl,query,success,ip,rtt,mtu,error_message\r\n` +
      `${P},packet-trace,"bwctl/tracepath,traceroute",base,0,2014-04-29 19:16:05,1,1,1,198.124.238.65,0.246,9000,\r\n` +
      `${P},packet-trace,"bwctl/tracepath,traceroute",base,0,2014-04-29 19:16:05,2,1,0,,,,timeout\r\n\n`,
  );
  assertEquals(
    render("json", ctx, [point]).includes(
      '"timestamp": "2014-04-29 19:16:05", "ttl": "1", "query": "1", "success": 1, "ip": "198.124.238.65", ' +
        '"rtt": "0.246", "mtu": "9000", "error_message": null}, {',
    ),
    true,
  );
  const named = { ...ctx, hostName: (a: string) => (a === "198.124.238.65" ? "hop1.es.net" : a) };
  assertEquals(render("csv", named, [point]).includes(",hop1.es.net,0.246,"), true);
});

Deno.test("subintervals, number_list, subinterval_list", () => {
  const sub = context("subintervals", "throughput-subintervals");
  const items = [{ start: new PyFloat(0), duration: 1.00012, val: new PyFloat(9.4e8) }, {
    start: "1.0",
    duration: "1.0",
    val: 941621248,
  }];
  assertEquals(
    render("csv", sub, [{ tsEpoch: 0, val: items }]),
    `${HEAD},start,duration,value\r\n` +
      `${P},throughput-subintervals,bwctl/iperf3,base,0,1970-01-01 00:00:00,0.0,1.00012,940000000.0\r\n` +
      `${P},throughput-subintervals,bwctl/iperf3,base,0,1970-01-01 00:00:00,1.0,1.0,941621248\r\n\n`,
  );
  const list = context("number_list", "streams-throughput");
  assertEquals(
    render("csv", list, [{ tsEpoch: 0, val: [new PyFloat(5e8), 4.5e8] }]),
    `${HEAD},stream_num,value\r\n` +
      `${P},streams-throughput,bwctl/iperf3,base,0,1970-01-01 00:00:00,0,500000000.0\r\n` +
      `${P},streams-throughput,bwctl/iperf3,base,0,1970-01-01 00:00:00,1,450000000\r\n\n`,
  );
  const lists = context("subinterval_list", "streams-throughput-subintervals");
  const val = [[{ start: 0, duration: 1, val: 10 }], [{ start: 0, duration: 1, val: 20 }, {
    start: 1,
    duration: 1,
    throughput: 30,
  }]];
  assertEquals(
    render("csv", lists, [{ tsEpoch: 0, val }]),
    `${HEAD},stream_num,start,duration,value\r\n` +
      `${P},streams-throughput-subintervals,bwctl/iperf3,base,0,1970-01-01 00:00:00,0,0,1,10\r\n` +
      `${P},streams-throughput-subintervals,bwctl/iperf3,base,0,1970-01-01 00:00:00,1,0,1,20\r\n` +
      `${P},streams-throughput-subintervals,bwctl/iperf3,base,0,1970-01-01 00:00:00,1,1,1,\r\n\n`,
  );
  assertEquals(
    render("human", lists, [{ tsEpoch: 0, val }]).endsWith(
      "start: 1\nduration: 1\nvalue: None\n\n",
    ),
    true,
  );
});

Deno.test("event types without a family become raw JSON rows", () => {
  const raw = context(null, "pscheduler-raw");
  const val = { "schema": 1, "succeeded": true, "result": { "x": [1.5, "é"] } };
  assertEquals(
    render("csv", raw, [{ tsEpoch: 0, val }]),
    `${HEAD},value\r\n` +
      `${P},pscheduler-raw,bwctl/iperf3,base,0,1970-01-01 00:00:00,` +
      `"{""schema"": 1, ""succeeded"": true, ""result"": {""x"": [1.5, ""\\u00e9""]}}"\r\n\n`,
  );
  assertEquals(
    render("json", raw, [{ tsEpoch: 0, val }]).endsWith(
      '"value": {"schema": 1, "succeeded": true, "result": {"x": [1.5, "\\u00e9"]}}}]\n',
    ),
    true,
  );
});

Deno.test("bulk files end without the print newline; timestamps clamp", () => {
  const ctx = context("numeric", "throughput");
  const point = { tsEpoch: 1e15, val: 1, valIsFloat: false };
  assertEquals(
    render("csv", ctx, [point], false),
    `${HEAD},value\r\n${P},throughput,bwctl/iperf3,base,0,9999-12-29 23:59:59.999999,1\r\n`,
  );
  assertEquals(render("json", ctx, [point], false).endsWith('"value": 1}]'), true);
});

Deno.test("list fields are decided on the first row", () => {
  const r = createRenderer("csv", { columns: ["a", "b"] });
  const out = r.write([{ a: [1, 2], b: "x" }, { a: [3], b: [4, 5] }]) + r.end();
  assertEquals(out, 'a,b\r\n"1, 2",x\r\n3,"[4, 5]"\r\n\n');
});
