// Stage 06 (spec §2.7): the per-test-type `result` of the document, on results shaped like
// the tools' (owping/powstream/twping, iperf3/nuttcp/ethr, traceroute/tracepath/paris-traceroute,
// ping, pass-through types), including failed runs and odd values.
import { createHash } from "node:crypto";
import { assert, assertEquals } from "../harness/assert.ts";
import { parseJson } from "../../lib/pscheduler/mod.ts";
import { documentOf, runBody } from "./run_body.ts";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const HOP_PREFIX = "|[@metadata][result][hop][ip]|";

const latencyResult = (over: Record<string, unknown> = {}) => ({
  schema: 1,
  succeeded: true,
  "packets-sent": 100,
  "packets-received": 97,
  "packets-lost": 3,
  "packets-duplicated": 1,
  "packets-reordered": 2,
  "max-clock-error": 1.53,
  "histogram-latency": { "-1.5": 1, "-10.25": 1, "0.5": 2 },
  "histogram-ttl": { "64": 4 },
  ...over,
});
const latency = (result: unknown, type = "latency", tool = "owping") =>
  documentOf(runBody({
    type,
    spec: { source: "192.0.2.4", dest: "192.0.2.1", "packet-count": 100 },
    tool,
    result,
  }));

Deno.test("latency: moves, loss ratio, statistics of both histograms, the rest dropped", async () => {
  for (const [type, tool] of [["latency", "owping"], ["latencybg", "powstream"]]) {
    const { doc, text } = await latency(latencyResult(), type, tool);
    const r = doc.result;
    assertEquals(Object.keys(r).sort(), [
      "latency",
      "max_clock_error",
      "packets",
      "succeeded",
      "ttl",
    ]);
    assertEquals(r.packets, {
      sent: 100,
      received: 97,
      lost: 3,
      duplicated: 1,
      reordered: 2,
      loss: 0.03,
    });
    assertEquals(r.max_clock_error, 1.53);
    // Worked by hand (§2.7.1): N = 4, buckets -10.25, -1.5, 0.5 (×2).
    assertEquals(r.latency.histogram, { values: [-10.25, -1.5, 0.5], counts: [1, 1, 2] });
    assertEquals(r.latency.mean, -2.6875);
    assertEquals([r.latency.min, r.latency.max], [-10.25, 0.5]);
    assertEquals(r.latency.mode, [0.5]);
    assertEquals(r.latency.p_25, -8.0625); // k = 1, d = 0.25: -10.25 + 0.25·8.75
    assertEquals(r.latency.median, -0.5); // k = 2, d = 0.5: interpolated with the next bucket
    assertEquals(r.latency.p_75, 0.5); // sample k+1 in the same bucket
    assertEquals(r.latency.p_95, 0.5); // k ≥ N: the bucket where the count reaches N
    assertEquals(r.latency.variance, 19.73046875);
    assertEquals(r.latency.stddev, Math.sqrt(19.73046875));
    // TTL statistics are floats too; counts stay integers.
    assert(text.includes('"ttl":{"histogram":{"values":[64.0],"counts":[4]}'), text);
    assertEquals(r.ttl.mode, [64]);
    assert(text.includes('"min":64.0'));
  }
});

Deno.test("latency: no loss ratio without both counts or with nothing sent", async () => {
  const zero = await latency(latencyResult({ "packets-sent": 0, "packets-lost": 0 }));
  assertEquals(zero.doc.result.packets.loss, undefined);
  const noLost = latencyResult();
  delete (noLost as Record<string, unknown>)["packets-lost"];
  assertEquals((await latency(noLost)).doc.result.packets.loss, undefined);
  const nullLost = await latency(latencyResult({ "packets-lost": null }));
  assertEquals(nullLost.doc.result.packets, {
    sent: 100,
    received: 97,
    lost: null,
    duplicated: 1,
    reordered: 2,
  });
  const none = await latency(latencyResult({ "packets-lost": 0 }));
  assertEquals(none.doc.result.packets.loss, 0);
  assert(none.text.includes('"loss":0.0'));
});

Deno.test("latency: empty or all-zero histograms write nothing; a list raises, the rest stays", async () => {
  const empty = await latency(
    latencyResult({ "histogram-latency": {}, "histogram-ttl": { "64": 0 } }),
  );
  assertEquals(empty.doc.result.latency, undefined);
  assertEquals(empty.doc.result.ttl, undefined);
  assertEquals(empty.doc.tags, undefined);
  const list = await latency(latencyResult({ "histogram-latency": [1, 2] }));
  assertEquals(list.doc.tags, ["_rubyexception"]);
  assertEquals(list.doc.result.latency, undefined);
  assertEquals(list.doc.result.ttl.mean, 64);
  assertEquals(list.doc.result.packets.loss, 0.03);
});

Deno.test("latency: bucket names read like String#to_f, mode keeps every tie ascending", async () => {
  const { doc } = await latency(latencyResult({
    "histogram-latency": { "2.50": 3, "1": 3, "abc": 1, "3.0ms": 3 },
  }));
  assertEquals(doc.result.latency.histogram.values, [0, 1, 2.5, 3]);
  assertEquals(doc.result.latency.mode, [1, 2.5, 3]);
  assertEquals(doc.result.latency.min, 0);
});

Deno.test("latency: a failed run keeps succeeded and error only; nothing movable, no result", async () => {
  const failed = await latency({
    succeeded: false,
    error: "owping: unable to contact peer",
    schema: 1,
  });
  assertEquals(failed.doc.result, { succeeded: false, error: "owping: unable to contact peer" });
  const nothing = await latency({ schema: 1, diags: "x" });
  assert(!("result" in nothing.doc));
  const notObject = await latency("no result");
  assert(!("result" in notObject.doc));
});

const tcpSummary = (over: Record<string, unknown> = {}) => ({
  start: 0,
  end: 10.000123,
  "throughput-bits": 9400000000.5,
  "throughput-bytes": 11750000000,
  retransmits: 12,
  "receiver-throughput-bits": 9390000000.25,
  rtt: 420,
  "tcp-window-size": 3145728,
  ...over,
});
const interval = (start: number, end: number) => ({
  summary: { start, end, "throughput-bits": 9.4e9, retransmits: 1, omitted: false },
  streams: [
    { "stream-id": 5, start, end, "throughput-bits": 4.7e9, retransmits: 0, omitted: false },
    { "stream-id": 7, start, end, "throughput-bits": 4.7e9, retransmits: 1, omitted: false },
  ],
});

Deno.test("throughput: parallel 2 keeps the streams; rtt moves, tcp-window-size does not", async () => {
  const streams = [
    { "stream-id": 5, ...tcpSummary({ "throughput-bits": 4.7e9 }) },
    { "stream-id": 7, ...tcpSummary({ "throughput-bits": 4.7e9 }) },
  ];
  const result = {
    succeeded: true,
    summary: { summary: tcpSummary(), streams },
    intervals: [interval(0, 1), interval(1, 2)],
    diags: "iperf3 ...",
    mss: 1448,
    mtu: 1500,
  };
  const { doc } = await documentOf(runBody({
    type: "throughput",
    spec: { source: "192.0.2.4", dest: "192.0.2.1", parallel: 2, duration: "PT10S" },
    tool: "iperf3",
    result,
  }));
  assertEquals(doc.result, {
    succeeded: true,
    throughput: 9400000000.5,
    rtt: 420,
    retransmits: 12,
    mss: 1448,
    mtu: 1500,
    streams: { json: streams },
    intervals: { json: result.intervals },
  });
  const single = await documentOf(runBody({
    type: "throughput",
    spec: { source: "192.0.2.4", dest: "192.0.2.1", parallel: 1 },
    tool: "nuttcp",
    result,
  }));
  assertEquals(single.doc.result.streams, undefined);
  const floatParallel = await documentOf(runBody({
    type: "throughput",
    spec: { source: "192.0.2.4", dest: "192.0.2.1", parallel: 2.0 },
    tool: "ethr",
    result,
  }));
  assertEquals(floatParallel.doc.result.streams.json.length, 2);
});

Deno.test("throughput UDP: sent/lost/jitter renamed, no loss ratio", async () => {
  const { doc } = await documentOf(runBody({
    type: "throughput",
    spec: { source: "192.0.2.4", dest: "192.0.2.1", udp: true, bandwidth: 1000000 },
    tool: "iperf3",
    result: {
      succeeded: true,
      summary: {
        summary: {
          start: 0,
          end: 10,
          "throughput-bits": 1048481.6,
          sent: 159,
          lost: 4,
          jitter: 2.7,
        },
        streams: [{ "stream-id": 5, start: 0, end: 10, sent: 159, lost: 4 }],
      },
      intervals: [],
    },
  }));
  assertEquals(doc.result, {
    succeeded: true,
    throughput: 1048481.6,
    packets_sent: 159,
    packets_lost: 4,
    jitter: 2.7,
    intervals: { json: [] },
  });
});

Deno.test("throughput: a failed run is succeeded and error only", async () => {
  const { doc } = await documentOf(runBody({
    type: "throughput",
    spec: { source: "192.0.2.4", dest: "192.0.2.1" },
    tool: "iperf3",
    result: { succeeded: false, error: "iperf3 returned an error: the server is busy", diags: "" },
  }));
  assertEquals(doc.result, {
    succeeded: false,
    error: "iperf3 returned an error: the server is busy",
  });
});

const hop = (ip: string, rtt: string, extra: Record<string, unknown> = {}) => ({
  ip,
  hostname: `h-${ip}`,
  rtt,
  ...extra,
});

Deno.test("trace: first path analysed hop by hop, every path kept, minimum mtu", async () => {
  const paths = [
    [
      hop("192.0.2.254", "PT0.0004S", { as: { number: 64500, owner: "EXAMPLE-A" }, mtu: 1500 }),
      {},
      hop("198.51.100.1", "PT0.0051S", { as: { number: 64501 }, mtu: 1400, error: "unreachable" }),
      { error: "no reply" },
      hop("203.0.113.9", "PT0.0102S", { as: { owner: "EXAMPLE-C" } }),
    ],
    [hop("192.0.2.253", "PT0.0005S", { mtu: 1200 })],
  ];
  const { doc } = await documentOf(runBody({
    type: "trace",
    spec: { dest: "203.0.113.9", algorithm: "paris-traceroute" },
    tool: "paris-traceroute",
    result: { schema: 1, succeeded: true, paths },
  }));
  const ips = ["192.0.2.254", "198.51.100.1", "203.0.113.9"];
  assertEquals(doc.result, {
    hop: {
      count: 5,
      success_count: 3,
      error_count: 2,
      ip: ips,
      ip_str: ips.join(" "),
      as_number: [64500, 64501],
      as_number_str: "64500 64501",
      as_organization: ["EXAMPLE-A", "EXAMPLE-C"],
      as_organization_str: "EXAMPLE-A EXAMPLE-C",
      checksum: sha256(`${HOP_PREFIX}["192.0.2.254", "198.51.100.1", "203.0.113.9"]|`),
    },
    // The second path's 1200 is not looked at.
    mtu: 1400,
    json: paths,
    succeeded: true,
  });
});

Deno.test("trace: failed run, no paths, an empty first path", async () => {
  const failed = await documentOf(runBody({
    type: "trace",
    spec: { dest: "203.0.113.9" },
    tool: "tracepath",
    result: { succeeded: false, error: "tracepath: no reply" },
  }));
  assertEquals(failed.doc.result, {
    hop: { checksum: "973c1f8975a6725458af783b85adb029994ad69bbd4843ffb0dcf3ab44df3196" },
    succeeded: false,
    error: "tracepath: no reply",
  });
  assertEquals(failed.doc.result.hop.checksum, sha256(`${HOP_PREFIX}|`));
  const noPaths = await documentOf(runBody({
    type: "trace",
    spec: { dest: "203.0.113.9" },
    tool: "traceroute",
    result: { succeeded: true, paths: [] },
  }));
  assertEquals(noPaths.doc.result, {
    hop: { checksum: sha256(`${HOP_PREFIX}|`) },
    succeeded: true,
  });
  const emptyFirst = await documentOf(runBody({
    type: "trace",
    spec: { dest: "203.0.113.9" },
    tool: "traceroute",
    result: { succeeded: true, paths: [[]] },
  }));
  assertEquals(emptyFirst.doc.result.hop, {
    count: 0,
    success_count: 0,
    error_count: 0,
    ip: [],
    ip_str: "",
    as_number: [],
    as_number_str: "",
    as_organization: [],
    as_organization_str: "",
    checksum: sha256(`${HOP_PREFIX}[]|`),
  });
  assertEquals(emptyFirst.doc.result.mtu, undefined);
});

Deno.test("rtt: a failed run and a run where nothing came back", async () => {
  const failed = await documentOf(runBody({
    type: "rtt",
    spec: { dest: "192.0.2.1" },
    tool: "ping",
    result: { succeeded: false, error: "ping: unknown host", schema: 1 },
  }));
  assertEquals(failed.doc.result, { succeeded: false, error: "ping: unknown host" });
  const lost = await documentOf(runBody({
    type: "rtt",
    spec: { dest: "192.0.2.1", count: 3 },
    tool: "twping",
    result: {
      succeeded: true,
      sent: 3,
      received: 0,
      lost: 3,
      loss: 1.0,
      duplicates: 0,
      reorders: 0,
      roundtrips: [{ seq: 1, error: "timeout" }, { seq: 2, error: "timeout" }, {
        seq: 3,
        error: "timeout",
      }],
    },
  }));
  assertEquals(lost.doc.result.packets.json[0], { seq: 1, error: "timeout" });
  assertEquals(lost.doc.result.packets.loss, 1);
  assertEquals(lost.doc.result.rtt, undefined);
});

Deno.test("pass-through types keep the result exactly as sent (ISO strings stay strings)", async () => {
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
    ["disk-to-disk", "curl", { source: "ftp://192.0.2.4/f", dest: "file:///var/data/f" }, {
      succeeded: true,
      time: "PT5.002407S",
      "bytes-sent": 1048576,
      throughput: 1676083.3,
    }],
    ["s3throughput", "s3-benchmark", { url: "https://s3.example.net", "object-size": 1024 }, {
      succeeded: true,
      time: "PT1.5S",
      throughput: 1.0e9,
    }],
    ["simplestream", "simplestreamer", { dest: "192.0.2.1", dawdle: "PT1S" }, {
      succeeded: true,
      received: "Data",
      "dawdled": "PT0.5S",
    }],
    ["idle", "snooze", { duration: "PT2S" }, { succeeded: true, "duration-slept": "PT2S" }],
    ["clock", "psclock", { dest: "192.0.2.1" }, {
      succeeded: true,
      local: { time: "2026-07-27T06:02:10+00:00", synchronized: true },
      difference: "PT0.000123S",
    }],
    ["mtu", "fwmtu", { dest: "192.0.2.1" }, { succeeded: true, mtu: 1500, time: "PT0.2S" }],
  ];
  for (const [type, tool, spec, result] of cases) {
    const { doc, index } = await documentOf(runBody({ type, spec, tool, result }));
    assertEquals(index, `pscheduler_${type}`);
    assertEquals(doc.result, result, type);
    assertEquals(doc.test.spec, spec, type);
  }
});

Deno.test("_rubyexception inside stage 06: what was done stays, the event carries on", async () => {
  // A first path that is no list of hops: the hop analysis raises; checksum and moves remain.
  const trace = await documentOf(runBody({
    type: "trace",
    spec: { dest: "203.0.113.9" },
    tool: "traceroute",
    result: { succeeded: true, paths: [{ ip: "192.0.2.254" }] },
  }));
  assertEquals(trace.doc.tags, ["_rubyexception"]);
  assertEquals(trace.doc.result, { hop: { checksum: sha256(`${HOP_PREFIX}|`) }, succeeded: true });
  const badHop = await documentOf(runBody({
    type: "trace",
    spec: { dest: "203.0.113.9" },
    tool: "traceroute",
    result: { succeeded: true, paths: [[{ ip: "192.0.2.254" }, null]] },
  }));
  assertEquals(badHop.doc.tags, ["_rubyexception"]);
  assertEquals(badHop.doc.result.json, undefined);
  // Counts that are not numbers: no loss ratio, the histograms still done.
  const lat = await latency(latencyResult({ "packets-sent": "100" }));
  assertEquals(lat.doc.tags, ["_rubyexception"]);
  assertEquals(lat.doc.result.packets.sent, "100");
  assertEquals(lat.doc.result.packets.loss, undefined);
  assertEquals(lat.doc.result.latency.mean, -2.6875);
  assertEquals(lat.doc.index, undefined);
  assertEquals(lat.index, "pscheduler_latency");
});

Deno.test("trace: odd hop values print as Ruby prints them (join flattens, inspect nests)", async () => {
  const result = parseJson(`{"succeeded": true, "paths": [[
    {"ip": "192.0.2.1", "as": {"number": 64500.0, "owner": "A"}},
    {"ip": ["198.51.100.1", "198.51.100.2"], "as": {"number": 1e16, "owner": "B \\"q\\""}},
    {"ip": 7, "as": {"number": 64501}}
  ]]}`);
  const { doc } = await documentOf(runBody({
    type: "trace",
    spec: { dest: "203.0.113.9" },
    tool: "traceroute",
    result,
  }));
  const hop = doc.result.hop;
  assertEquals(hop.ip_str, "192.0.2.1 198.51.100.1 198.51.100.2 7");
  assertEquals(hop.as_number_str, "64500.0 1.0e+16 64501");
  assertEquals(hop.as_organization_str, 'A B "q"');
  assertEquals(
    hop.checksum,
    sha256(`${HOP_PREFIX}["192.0.2.1", ["198.51.100.1", "198.51.100.2"], 7]|`),
  );
});
