// The pure perfSONAR 5 model against every fact testdata/pscheduler/README.md lists, plus the
// spec's worked examples of its building blocks.
import { assert, assertEquals, assertThrows } from "../harness/assert.ts";
import { rubyToF } from "../../lib/pscheduler/histogram_stats.ts";
import { esmondViewOf } from "../../lib/opensearch/mod.ts";
import {
  canonicalJson,
  canonicalNumber,
  endpointHost,
  esmondView,
  histogramStatistics,
  hopChecksum,
  logstashDocument,
  OFFLINE_RESOLVER,
  rubyDurationSeconds,
  RubyException,
  testChecksum,
} from "../../lib/pscheduler/mod.ts";
import { type RunCase, runCases } from "./testdata.ts";

const CASES = new Map(runCases().map((c) => [c.name, c]));

// deno-lint-ignore no-explicit-any
type Json = any;

async function documentOf(name: string): Promise<{ index: string; doc: Json; text: string }> {
  const c = CASES.get(name)!;
  const out = await logstashDocument(c.body, {
    observer: c.headers["x-ps-observer"],
    resolver: c.resolver,
  });
  const text = JSON.stringify(out.document);
  return { index: out.index, doc: JSON.parse(text), text };
}

async function esmondOf(name: string): Promise<{ metadata: Json; values: Map<string, Json> }> {
  const c: RunCase = CASES.get(name)!;
  const view = await esmondView(c.body, {
    resolver: c.resolver,
    measurementAgent: c.measurementAgent,
  });
  const plain = JSON.parse(JSON.stringify(view));
  const values = new Map<string, Json>();
  for (const v of plain.data.data[0].val) values.set(v["event-type"], v.val);
  return { metadata: plain.metadata, values };
}

function eventTypes(metadata: Json): string[] {
  return metadata["event-types"].map((e: Json) => e["event-type"]);
}

Deno.test("common facts of every body", async () => {
  assertEquals(CASES.size, 8);
  for (const [name, c] of CASES) {
    const { index, doc, text } = await documentOf(name);
    const body = c.body as Json;
    assertEquals(index, `pscheduler_${body.test.type}`, name);
    assertEquals(doc["@version"], "1");
    assertEquals(doc.host, "127.0.0.1");
    assert(!Number.isNaN(Date.parse(doc["@timestamp"])));
    assertEquals(doc.schedule.slip, 300, name);
    assert(text.includes('"slip":300.0'), `${name}: slip written as a float`);
    assertEquals(doc.id, body.id);
    assertEquals(doc.reference, null);
    assertEquals(doc.pscheduler.tool, body.tool.name);
    assertEquals(doc.pscheduler.participants, body.participants);
    assertEquals(doc.pscheduler.added, body.run.added);
    assertEquals(doc.pscheduler.start_time, body.run["start-time"]);
    assertEquals(doc.pscheduler.end_time, body.run["end-time"]);
    assertEquals(doc.pscheduler.task_href, body.task.href);
    assertEquals(doc.pscheduler.run_href, body.run.href);
    assertEquals(doc.pscheduler.task_id, body.task.href.split("/tasks/")[1]);
    assertEquals(doc.pscheduler.run_id, body.run.href.split("/runs/")[1]);
    assertEquals(doc.meta.observer, { ip: c.headers["x-ps-observer"], hostname: null }, name);
    assertEquals(doc.meta.ip_version, 4, name);
    assertEquals(doc.meta.source.hostname, doc.meta.source.ip);
    assertEquals(doc.meta.destination.hostname, doc.meta.destination.ip);
    assertEquals(doc.meta.destination.ip, body.test.spec.dest);
    for (const gone of ["run", "task", "tool", "headers", "participants", "tags", "@metadata"]) {
      assert(!(gone in doc), `${name}: ${gone} must not be stored`);
    }
    assertEquals(
      Object.keys(doc).sort(),
      [
        "@timestamp",
        "@version",
        "host",
        "id",
        "meta",
        "pscheduler",
        "reference",
        "result",
        "schedule",
        "test",
      ],
    );
  }
});

Deno.test("throughput-tcp-iperf3", async () => {
  const { doc, text } = await documentOf("throughput-tcp-iperf3");
  assertEquals(
    canonicalJson({
      test: (CASES.get("throughput-tcp-iperf3")!.body as Json).test,
      observer_ip: null,
      tool: "iperf3",
    }),
    '{"observer_ip":null,"test":{"spec":{"dest":"192.168.1.101","schema":1,"source":"192.168.1.104"},"type":"throughput"},"tool":"iperf3"}',
  );
  assertEquals(
    doc.pscheduler.test_checksum,
    "ab9610b277c1984e6ddfb39418c94c66adf2502d9e6669dae13b823a1cf68049",
  );
  assertEquals(doc.pscheduler.duration, 19);
  assert(text.includes('"duration":19.0'));
  assertEquals(doc.pscheduler.task_id, "6e1a7bc0-2444-4d37-a00a-7c25f6376c5e");
  assertEquals(doc.pscheduler.run_id, "10e622d9-df6c-4404-b2af-487194ea55db");
  assertEquals(doc.meta.source.ip, "192.168.1.104");
  assertEquals(doc.meta.destination.ip, "192.168.1.101");
  assertEquals(Object.keys(doc.result).sort(), [
    "intervals",
    "retransmits",
    "succeeded",
    "throughput",
  ]);
  assertEquals(doc.result.succeeded, true);
  assertEquals(doc.result.throughput, 942617924.239199);
  assertEquals(doc.result.retransmits, 7);
  const body = CASES.get("throughput-tcp-iperf3")!.body as Json;
  assertEquals(doc.result.intervals.json, JSON.parse(JSON.stringify(body.result.intervals)));
  assertEquals(doc.result.intervals.json.length, 10);

  const { metadata, values } = await esmondOf("throughput-tcp-iperf3");
  assertEquals(metadata["tool-name"], "pscheduler/iperf3");
  assertEquals(metadata["ip-transport-protocol"], "tcp");
  assertEquals(metadata["time-duration"], 19);
  assertEquals(metadata["subject-type"], "point-to-point");
  assertEquals(metadata.source, "192.168.1.104");
  assertEquals(metadata.destination, "192.168.1.101");
  assertEquals(metadata["measurement-agent"], "192.168.1.104");
  assertEquals(eventTypes(metadata), [
    "failures",
    "throughput",
    "throughput-subintervals",
    "packet-retransmits",
    "packet-retransmits-subintervals",
    "pscheduler-run-href",
  ]);
  assertEquals(metadata["event-types"][1].summaries, [
    { "summary-window": 86400, "event-type": "throughput", "summary-type": "average" },
  ]);
  assertEquals(values.get("throughput"), 942617924.239199);
  assertEquals(values.get("packet-retransmits"), 7);
  assertEquals(values.get("throughput-subintervals").length, 10);
  assertEquals(values.get("throughput-subintervals")[0], {
    start: 0,
    duration: 1.001136,
    val: 959405783.4901392,
  });
  assertEquals(values.get("packet-retransmits-subintervals").length, 10);
  assertEquals(values.get("packet-retransmits-subintervals")[0].val, 2);
  assertEquals(values.get("pscheduler-run-href"), { href: body.run.href });
  assertEquals([...values.keys()].at(-1), "pscheduler-run-href");
});

Deno.test("throughput-udp-iperf3", async () => {
  const { doc, text } = await documentOf("throughput-udp-iperf3");
  assertEquals(
    doc.pscheduler.test_checksum,
    "1b96d9d6387c381794efb7ee281e00bb4df3d60255c08ee2213bb4481cfc4849",
  );
  assertEquals(doc.test.spec.duration, 10);
  assert(text.includes('"duration":10.0'));
  assertEquals(doc.result.throughput, 1048481.633493);
  assertEquals(doc.result.packets_sent, 159);
  assertEquals(doc.result.packets_lost, 0);
  assertEquals(doc.result.jitter, 2735.461);
  assertEquals(doc.result.intervals.json.length, 10);
  assert(!("loss" in doc.result) && !("packets" in doc.result));
  const { metadata, values } = await esmondOf("throughput-udp-iperf3");
  assertEquals(metadata["ip-transport-protocol"], "udp");
  assertEquals(eventTypes(metadata), [
    "failures",
    "throughput",
    "throughput-subintervals",
    "packet-loss-rate",
    "packet-count-lost",
    "packet-count-sent",
    "pscheduler-run-href",
  ]);
  assertEquals(values.get("packet-loss-rate"), { numerator: 0, denominator: 159 });
  assertEquals(values.get("packet-count-sent"), 159);
  assertEquals(values.get("packet-count-lost"), 0);
});

Deno.test("latency-twamp", async () => {
  const { doc, text } = await documentOf("latency-twamp");
  assertEquals(
    doc.pscheduler.test_checksum,
    "60130a72122e5ce41e0b9ebcb1eca7c30886d55a7e37b9dcb9e1bffa9c49b6d6",
  );
  assertEquals(doc.result.packets, {
    sent: 100,
    received: 100,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    loss: 0,
  });
  assert(text.includes('"loss":0.0'));
  assertEquals(doc.result.max_clock_error, 27.47);
  const l = doc.result.latency;
  assertEquals(l.min, -15.5);
  assertEquals(l.max, -11.71);
  assertEquals(l.mean, -13.390500000000001);
  assertEquals(l.median, -13.145);
  assertEquals(l.p_25, -14.424999999999999);
  assertEquals(l.p_75, -12.3925);
  assertEquals(l.p_95, -11.8405);
  assertEquals(l.variance, 1.2909947499999992);
  assertEquals(l.stddev, 1.1362194990405678);
  assertEquals(l.mode.length, 11);
  assertEquals(l.mode[0], -15.23);
  assertEquals(l.mode.at(-1), -11.77);
  assertEquals(l.mode, [...l.mode].sort((a: number, b: number) => a - b));
  assertEquals(l.histogram.values.length, 89);
  assertEquals(l.histogram.counts.reduce((a: number, b: number) => a + b, 0), 100);
  const t = doc.result.ttl;
  for (const k of ["min", "max", "mean", "median", "p_25", "p_75", "p_95"]) assertEquals(t[k], 255);
  assertEquals(t.histogram, { values: [255], counts: [100] });
  assert(text.includes('"ttl":{"histogram":{"values":[255.0],"counts":[100]}'));
  const body = CASES.get("latency-twamp")!.body as Json;
  const { values } = await esmondOf("latency-twamp");
  assertEquals(values.get("histogram-owdelay"), body.result["histogram-latency"]);
  assert(Object.hasOwn(values.get("histogram-owdelay"), "-12.30"));
  assertEquals(values.get("histogram-ttl"), { "255": 100 });
  assertEquals(values.get("time-error-estimates"), 27.47);
  assertEquals(values.get("packet-loss-rate"), { numerator: 0, denominator: 100 });
});

Deno.test("latencybg-powstream", async () => {
  const { index, doc } = await documentOf("latencybg-powstream");
  assertEquals(index, "pscheduler_latencybg");
  assertEquals(
    doc.pscheduler.test_checksum,
    "dbbb502d2043e6903daabeeab8020440667c0923c0b1a803b9a862aedbbe4609",
  );
  const l = doc.result.latency;
  assertEquals(
    [l.mean, l.median, l.mode, l.min, l.max, l.p_25, l.p_75, l.p_95, l.variance, l.stddev],
    [
      39.498733333333334,
      39.52,
      [39.52],
      39.39,
      39.57,
      39.48,
      39.52,
      39.54,
      0.0012220622222222826,
      0.03495800655389667,
    ],
  );
  assertEquals(l.histogram.values.length, 19);
  assertEquals(doc.result.ttl.mean, 247);
  assertEquals(doc.result.packets.loss, 0);
  const { metadata, values } = await esmondOf("latencybg-powstream");
  assertEquals(metadata["time-probe-interval"], 0.001);
  assertEquals(values.get("packet-loss-rate"), { numerator: 0, denominator: 600 });
});

Deno.test("rtt-ping", async () => {
  const { doc } = await documentOf("rtt-ping");
  assertEquals(
    doc.pscheduler.test_checksum,
    "b8834f45975ba7c45edad959caf379bca1db251c98f75e736acec2734131b10a",
  );
  assertEquals(doc.meta.source.ip, "192.168.1.104");
  assertEquals(doc.result.rtt, { min: 0.008612, max: 0.009783, mean: 0.009059, stddev: 0.000404 });
  const body = CASES.get("rtt-ping")!.body as Json;
  assertEquals(doc.result.packets, {
    sent: 5,
    received: 5,
    lost: 0,
    loss: 0,
    duplicated: 0,
    reordered: 0,
    json: body.result.roundtrips,
  });
  const { metadata, values } = await esmondOf("rtt-ping");
  assertEquals(metadata["input-source"], "lima-perfsonar-vm");
  assertEquals(metadata.source, "192.168.1.104");
  assertEquals(values.get("histogram-rtt"), {
    "8.61": 1,
    "8.79": 1,
    "8.96": 1,
    "9.16": 1,
    "9.78": 1,
  });
  assertEquals(values.get("histogram-ttl-reverse"), { "57": 5 });
  assertEquals(values.get("packet-loss-rate-bidir"), { numerator: 0, denominator: 5 });
});

Deno.test("rtt-ping-total-loss", async () => {
  const { doc } = await documentOf("rtt-ping-total-loss");
  assertEquals(doc.result, {
    succeeded: true,
    packets: { sent: 5, received: 0, lost: 5, loss: 1, duplicated: 0, reordered: 0, json: [] },
  });
  const { values } = await esmondOf("rtt-ping-total-loss");
  assert(!values.has("histogram-rtt") && !values.has("histogram-ttl-reverse"));
  assertEquals(values.get("packet-count-lost-bidir"), 5);
  assertEquals(values.get("packet-loss-rate-bidir"), { numerator: 5, denominator: 5 });
});

Deno.test("trace-traceroute", async () => {
  const { doc } = await documentOf("trace-traceroute");
  assertEquals(
    doc.pscheduler.test_checksum,
    "6f6770053ee6e1d90783fed7d08e68e22394de983422a9dafa6a2700bbd3125b",
  );
  const hop = doc.result.hop;
  assertEquals(hop.count, 8);
  assertEquals(hop.success_count, 2);
  assertEquals(hop.error_count, 6);
  assertEquals(hop.ip, ["192.168.1.1", "1.1.1.1"]);
  assertEquals(hop.ip_str, "192.168.1.1 1.1.1.1");
  assertEquals(hop.as_number, [13335]);
  assertEquals(hop.as_organization, ["CLOUDFLARENET - Cloudflare, Inc., US"]);
  assertEquals(hop.checksum, "1f57ff123794e168ffbc301c67ad613bfabcf855edd181cfc19bcc68dc26983f");
  assert(!("mtu" in doc.result));
  const body = CASES.get("trace-traceroute")!.body as Json;
  assertEquals(doc.result.json, body.result.paths);
  assertEquals(doc.result.json.length, 1);
  const { values } = await esmondOf("trace-traceroute");
  const trace = values.get("packet-trace");
  assertEquals(trace.length, 8);
  assertEquals(trace.map((h: Json) => h.ttl), [1, 2, 3, 4, 5, 6, 7, 8]);
  for (let i = 1; i <= 6; i++) assertEquals(trace[i], { ttl: i + 1, query: 1, success: 1 });
  assertEquals(trace[0].rtt, 1.4);
  assertEquals(trace[7].rtt, 10.1);
  assert(!values.has("path-mtu"));
});

Deno.test("throughput-failed-iperf3", async () => {
  const { doc } = await documentOf("throughput-failed-iperf3");
  const error = "iperf3 returned an error: unable to connect to server: Connection refused";
  assertEquals(doc.result, { succeeded: false, error });
  const { values } = await esmondOf("throughput-failed-iperf3");
  assertEquals([...values.keys()], ["failures", "pscheduler-run-href"]);
  assertEquals(values.get("failures"), { error });
});

Deno.test("without header or name table the observer stays unset; the task href is used", async () => {
  const c = CASES.get("rtt-ping")!;
  const offline = await logstashDocument(c.body, { resolver: OFFLINE_RESOLVER });
  const meta = offline.document.meta as Json;
  assertEquals(meta?.observer, undefined);
  assertEquals(meta?.source, undefined);
  const named = await logstashDocument(c.body, { resolver: c.resolver });
  assertEquals((named.document.meta as Json).observer, {
    ip: "240b:11:c1e3:d100:5055:55ff:fe24:f200",
    hostname: "lima-perfsonar-vm",
  });
  await assertRejectsEsmond(c);
});

async function assertRejectsEsmond(c: RunCase) {
  // The esmond archiver cannot resolve its lead participant offline: no source address.
  const view = await esmondView(c.body, { resolver: OFFLINE_RESOLVER });
  assertEquals(view.metadata.source, null);
  assertEquals(view.metadata["measurement-agent"], null);
}

Deno.test("checksum: canonical numbers and the spec's example", () => {
  assertEquals(canonicalNumber(0.30000000000000004), "0.3");
  assertEquals(canonicalNumber(1234567890123456789), "1234567890123457000");
  assertEquals(canonicalNumber(30), "30");
  assertEquals(canonicalNumber(12.5), "12.5");
  assertEquals(canonicalNumber(0.001), "0.001");
  assertEquals(canonicalNumber(1e21), "1e+21");
  assertEquals(canonicalNumber(1e-7), "1e-7");
  assertEquals(canonicalNumber(1.5e-7), "1.5e-7");
  assertEquals(canonicalNumber(-0), "0");
  assertEquals(canonicalNumber(-5), "-5");
  assertEquals(
    canonicalJson({ b: "\n/é", a: [1.5, null, true] }),
    '{"a":[1.5,null,true],"b":"\\n/é"}',
  );
  assertEquals(
    testChecksum({ type: "rtt", spec: { dest: "1.1.1.1", schema: 1 } }, null, "ping"),
    "b8834f45975ba7c45edad959caf379bca1db251c98f75e736acec2734131b10a",
  );
});

Deno.test("ISO 8601 durations as the Ruby stage reads them", () => {
  assertEquals(rubyDurationSeconds("PT21S"), 21);
  assertEquals(rubyDurationSeconds("P0D"), 0);
  assertEquals(rubyDurationSeconds("PT"), 0);
  assertEquals(rubyDurationSeconds("PT1H2M3.5S"), 3723.5);
  assertEquals(rubyDurationSeconds("P2W"), undefined);
  assertEquals(rubyDurationSeconds("PT.5S"), undefined);
  assertEquals(rubyDurationSeconds("P1M"), undefined);
  assertEquals(rubyDurationSeconds("R5/PT1S"), undefined);
  assertEquals(rubyDurationSeconds(null), undefined);
  assertThrows(() => rubyDurationSeconds(5), RubyException);
});

Deno.test("endpoint extraction (Ruby URI semantics)", () => {
  assertEquals(endpointHost("1.1.1.1:80"), "1.1.1.1");
  assertEquals(endpointHost("host.example.net"), "host.example.net");
  assertEquals(endpointHost("2001:db8::1"), "2001:db8::1");
  assertEquals(endpointHost("[2001:db8::1]:443"), "2001:db8::1:443");
  assertEquals(endpointHost("https://[2001:db8::1]:443/x"), "2001:db8::1");
  assertEquals(endpointHost("https://ps.example.net/pscheduler/tasks/x"), "ps.example.net");
  assertEquals(endpointHost("file:///p"), "");
  assertEquals(endpointHost(undefined), undefined);
  for (const bad of ["host:5201", "fe80::1", "a:", "/var/data/x"]) {
    assertThrows(() => endpointHost(bad), RubyException, bad);
  }
});

Deno.test("a local path as dest: _rubyexception, no meta, result unchanged", async () => {
  const body = {
    test: {
      type: "disk-to-disk",
      spec: { source: "http://192.0.2.1/f", dest: "/var/data/test.out" },
    },
    tool: { name: "curl" },
    result: { succeeded: true, time: "PT5.002407S" },
  };
  const { index, document } = await logstashDocument(body, {
    observer: "192.0.2.9",
    resolver: OFFLINE_RESOLVER,
  });
  assertEquals(index, "pscheduler_disk-to-disk");
  assertEquals(document.tags, ["_rubyexception"]);
  assertEquals(document.meta, undefined);
  assertEquals(document.result, { succeeded: true, time: "PT5.002407S" });
});

Deno.test("dns: time converted, only meta.observer", async () => {
  const { document } = await logstashDocument({
    test: { type: "dns", spec: { query: "example.net", record: "a" } },
    tool: { name: "dnspy" },
    result: { succeeded: true, time: "PT0.031422S", record: [{ address: "192.0.2.7" }] },
  }, { observer: "192.0.2.9", resolver: OFFLINE_RESOLVER });
  assertEquals(document.result, {
    succeeded: true,
    time: 0.031422,
    record: [{ address: "192.0.2.7" }],
  });
  assertEquals(document.meta, { observer: { ip: "192.0.2.9", hostname: null } });
  const view = await esmondView({
    test: { type: "dns", spec: { query: "example.net" } },
    tool: { name: "dnspy" },
    schedule: { start: "2026-07-27T05:45:23+00:00", duration: "PT1S" },
    participants: ["192.0.2.9"],
    result: { succeeded: true, time: "PT0.031422S" },
  }, { resolver: OFFLINE_RESOLVER });
  assertEquals(view.metadata["subject-type"], "network-element");
  assertEquals(view.metadata["pscheduler-dns-query"], "example.net");
  assertEquals(view.data.data[0].val, [{
    "event-type": "pscheduler-raw",
    val: { succeeded: true, time: "PT0.031422S" },
  }]);
});

Deno.test("histogram statistics: the spec's examples; failed trace checksum", () => {
  const a = histogramStatistics({ "1": 1, "2": 1, "3": 1 })!;
  assertEquals(
    JSON.parse(JSON.stringify([a.mean, a.median, a.p_25, a.p_75, a.p_95, a.mode, a.variance])),
    [2, 2, 1, 3, 3, [1, 2, 3], 0.6666666666666666],
  );
  const b = histogramStatistics({ "0.10": 2, "0.20": 5, "0.35": 3 })!;
  assertEquals([b.mean, b.median, b.p_25, b.p_75], [0.225, 0.2, 0.17500000000000002, 0.35]);
  assertEquals(b.mode, [0.2]);
  assertEquals(histogramStatistics({}), undefined);
  assertEquals(histogramStatistics({ "5": 0 }), undefined);
  assertEquals(
    hopChecksum(undefined),
    "973c1f8975a6725458af783b85adb029994ad69bbd4843ffb0dcf3ab44df3196",
  );
});

Deno.test("esmond view of a stored document: elmond's gaps filled where the document allows", async () => {
  const view = async (name: string) => {
    const { doc } = await documentOf(name);
    const v = JSON.parse(JSON.stringify(esmondViewOf(doc)));
    const values = new Map<string, Json>();
    for (const x of v.data[0].val) values.set(x["event-type"], x.val);
    return { metadata: v.metadata, values };
  };
  // The stored view lists every event type with its summaries (as the esmond API serves them);
  // the archiver's POST body names the event type in each summary and omits empty lists.
  const served = (metadata: Json): Json => ({
    ...metadata,
    "event-types": metadata["event-types"].map((e: Json) => ({
      "event-type": e["event-type"],
      summaries: (e.summaries ?? []).map(({ "event-type": _, ...s }: Json) => s),
    })),
  });
  const tcp = await view("throughput-tcp-iperf3");
  const fromBody = await esmondOf("throughput-tcp-iperf3");
  assertEquals(tcp.metadata, served(fromBody.metadata));
  assertEquals(tcp.values, fromBody.values);
  const udp = await view("throughput-udp-iperf3");
  assertEquals(udp.values.get("packet-loss-rate"), { numerator: 0, denominator: 159 });
  assertEquals(udp.values.get("packet-count-sent"), 159);
  const rtt = await view("rtt-ping");
  assertEquals(rtt.values, (await esmondOf("rtt-ping")).values);
  assertEquals(rtt.metadata.source, "192.168.1.104");
  const trace = await view("trace-traceroute");
  assertEquals(trace.values, (await esmondOf("trace-traceroute")).values);
  const latency = await view("latency-twamp");
  const body = CASES.get("latency-twamp")!.body as Json;
  // Bucket keys come back with two decimals, as twping wrote them.
  assertEquals(latency.values.get("histogram-owdelay"), body.result["histogram-latency"]);
  assertEquals(latency.values.get("histogram-ttl"), { "255": 100 });
  assertEquals(latency.values.get("packet-loss-rate"), { numerator: 0, denominator: 100 });
  const failed = await view("throughput-failed-iperf3");
  assertEquals([...failed.values.keys()], ["failures", "pscheduler-run-href"]);
});

Deno.test("rubyToF: Ruby's String#to_f, plain bucket names and the rest", () => {
  const cases: [string, number][] = [
    ["-11.71", -11.71],
    ["007", 7],
    ["-0", -0],
    ["12.50", 12.5],
    ["1.", 1],
    [".5", 0.5],
    ["-", 0],
    ["", 0],
    ["1e5", 100000],
    [" 3x", 3],
    ["1_000.5", 1000.5],
    ["abc", 0],
  ];
  for (const [text, expected] of cases) assert(Object.is(rubyToF(text), expected), text);
});
