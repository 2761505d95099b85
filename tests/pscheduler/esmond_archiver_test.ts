// pScheduler's esmond archiver mapping (spec §4.1) per test type, on bodies shaped like
// pScheduler's: metadata parameters, event types, summaries, data values, failures.
import { assertEquals, assertRejects } from "../harness/assert.ts";
import {
  esmondView,
  EsmondViewError,
  OFFLINE_RESOLVER,
  parseJson,
  tableResolver,
  UNSPECIFIED_FAILURE,
} from "../../lib/pscheduler/mod.ts";
import { HREFS, runBody } from "./run_body.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function esmond(
  body: unknown,
  options: { measurementAgent?: string } = {},
): Promise<{ metadata: Json; values: Map<string, Json>; order: string[]; ts: number }> {
  const view = await esmondView(body, {
    resolver: tableResolver({
      forward: {
        "ps1.example.net": { ipv4: ["192.0.2.9"], ipv6: ["2001:db8::9"] },
        "ps2.example.net": { ipv4: ["198.51.100.2"] },
      },
    }),
    ...options,
  });
  const plain = JSON.parse(JSON.stringify(view));
  const values = new Map<string, Json>();
  for (const v of plain.data.data[0].val) values.set(v["event-type"], v.val);
  return {
    metadata: plain.metadata,
    values,
    order: plain.data.data[0].val.map((v: Json) => v["event-type"]),
    ts: plain.data.data[0].ts,
  };
}
const eventTypes = (m: Json) => m["event-types"].map((e: Json) => e["event-type"]);
const summariesOf = (m: Json, et: string) =>
  m["event-types"].find((e: Json) => e["event-type"] === et)?.summaries?.map((
    s: Json,
  ) => `${s["summary-type"]}/${s["summary-window"]}`);

Deno.test("common metadata: ts, duration, tool, lead as input-source, resolved pair", async () => {
  const { metadata, ts, values } = await esmond(runBody({
    type: "latencybg",
    spec: { dest: "ps2.example.net", "packet-count": 600 },
    tool: "powstream",
    result: { succeeded: false, error: "" },
  }));
  assertEquals(ts, Date.parse("2026-07-27T06:02:10+00:00") / 1000);
  assertEquals(metadata["time-duration"], 20);
  assertEquals(metadata["tool-name"], "pscheduler/powstream");
  assertEquals(metadata["subject-type"], "point-to-point");
  assertEquals(metadata["input-source"], "ps1.example.net");
  assertEquals(metadata["input-destination"], "ps2.example.net");
  // Only IPv4 is common to both: the pair is IPv4, the agent the lead's IPv4 address.
  assertEquals([metadata.source, metadata.destination], ["192.0.2.9", "198.51.100.2"]);
  assertEquals(metadata["measurement-agent"], "192.0.2.9");
  assertEquals(metadata["pscheduler-test-type"], "latencybg");
  assertEquals(metadata["sample-size"], 600);
  // A failed run without an error text: the archiver's default text, then the run href.
  assertEquals([...values.entries()], [
    ["failures", { error: UNSPECIFIED_FAILURE }],
    ["pscheduler-run-href", { href: HREFS.run }],
  ]);
});

Deno.test("common metadata: a configured measurement agent in the family of the source", async () => {
  const { metadata } = await esmond(
    runBody({
      type: "rtt",
      spec: { source: "2001:db8::4", dest: "2001:db8::1" },
      tool: "ping",
      result: { succeeded: true, sent: 1, lost: 0 },
    }),
    { measurementAgent: "ps1.example.net" },
  );
  assertEquals(metadata.source, "2001:db8::4");
  assertEquals(metadata["measurement-agent"], "2001:db8::9");
});

Deno.test("common metadata: reference flattened, private keys skipped", async () => {
  const { metadata } = await esmond(runBody({
    type: "rtt",
    spec: { dest: "198.51.100.2" },
    tool: "ping",
    result: { succeeded: true },
    reference: { psconfig: { created: { by: "pscheduler-agent" } }, tags: ["a", "b"], _secret: 1 },
  }));
  assertEquals(metadata["pscheduler-reference-psconfig-created-by"], "pscheduler-agent");
  assertEquals(metadata["pscheduler-reference-tags-0"], "a");
  assertEquals(metadata["pscheduler-reference-tags-1"], "b");
  assertEquals(metadata["pscheduler-reference-_secret"], undefined);
});

Deno.test("a mapped type without spec.dest cannot be archived", async () => {
  await assertRejects(
    () => esmond(runBody({ type: "latency", spec: { source: "192.0.2.4" }, tool: "owping" })),
    EsmondViewError,
  );
});

Deno.test("latency: parameters, event types with their summaries, values", async () => {
  const { metadata, values, order } = await esmond(runBody({
    type: "latency",
    spec: {
      source: "192.0.2.4",
      dest: "198.51.100.2",
      "packet-count": 100,
      "bucket-width": 0.001,
      "packet-interval": 0.1,
      "packet-timeout": 2,
      "ip-tos": 32,
      flip: true,
      "packet-padding": 20,
      "single-participant-mode": false,
    },
    tool: "owping",
    result: {
      succeeded: true,
      "packets-sent": 100,
      "packets-received": 97,
      "packets-lost": 3,
      "packets-duplicated": 0,
      "packets-reordered": 1,
      "max-clock-error": 1.53,
      "histogram-latency": { "10.20": 60, "10.30": 37 },
      "histogram-ttl": { "62": 97 },
    },
  }));
  for (
    const [k, v] of Object.entries({
      "sample-size": 100,
      "sample-bucket-width": 0.001,
      "time-probe-interval": 0.1,
      "time-probe-timeout": 2,
      "ip-tos": 32,
      "mode-flip": true,
      "ip-packet-padding": 20,
      "mode-single-participant": false,
    })
  ) assertEquals(metadata[k], v, k);
  assertEquals(eventTypes(metadata), [
    "failures",
    "packet-count-sent",
    "histogram-owdelay",
    "histogram-ttl",
    "packet-duplicates",
    "packet-loss-rate",
    "packet-count-lost",
    "packet-reorders",
    "time-error-estimates",
    "pscheduler-run-href",
  ]);
  assertEquals(summariesOf(metadata, "packet-loss-rate"), [
    "aggregation/300",
    "aggregation/3600",
    "aggregation/86400",
  ]);
  assertEquals(summariesOf(metadata, "histogram-owdelay")?.sort(), [
    "aggregation/300",
    "aggregation/3600",
    "aggregation/86400",
    "statistics/0",
    "statistics/300",
    "statistics/3600",
    "statistics/86400",
  ]);
  assertEquals(summariesOf(metadata, "failures"), undefined);
  assertEquals(values.get("histogram-owdelay"), { "10.20": 60, "10.30": 37 });
  assertEquals(values.get("histogram-ttl"), { "62": 97 });
  assertEquals(values.get("packet-count-sent"), 100);
  assertEquals(values.get("packet-count-lost"), 3);
  assertEquals(values.get("packet-reorders"), 1);
  assertEquals(values.get("packet-duplicates"), 0);
  assertEquals(values.get("time-error-estimates"), 1.53);
  assertEquals(values.get("packet-loss-rate"), { numerator: 3, denominator: 100 });
  assertEquals(order.at(-1), "pscheduler-run-href");
});

Deno.test("latency: no loss rate when nothing was sent; an empty histogram is skipped", async () => {
  const { values } = await esmond(runBody({
    type: "latency",
    spec: { source: "192.0.2.4", dest: "198.51.100.2" },
    tool: "owping",
    result: { succeeded: true, "packets-sent": 0, "packets-lost": 0, "histogram-latency": {} },
  }));
  assertEquals(values.has("packet-loss-rate"), false);
  assertEquals(values.has("histogram-owdelay"), false);
  assertEquals(values.get("packet-count-sent"), 0);
});

Deno.test("throughput TCP, 2 streams: stream series sorted by stream-id, subintervals", async () => {
  const stream = (id: number, bits: number, retransmits: number) => ({
    "stream-id": id,
    start: 0,
    end: 2,
    "throughput-bits": bits,
    retransmits,
    rtt: 400 + id,
    "tcp-window-size": 1000 * id,
  });
  const iv = (start: number, end: number) => ({
    summary: { start, end, "throughput-bits": 3e9, retransmits: 1, rtt: 410, omitted: start === 0 },
    streams: [
      { "stream-id": 7, start, end, "throughput-bits": 2e9, retransmits: 1, omitted: false },
      { "stream-id": 5, start, end, "throughput-bits": 1e9, retransmits: 0, omitted: false },
    ],
  });
  const { metadata, values } = await esmond(runBody({
    type: "throughput",
    spec: {
      source: "192.0.2.4",
      dest: "198.51.100.2",
      parallel: 2,
      omit: "PT1S",
      "window-size": 4194304,
      tos: 32,
      bandwidth: 5000000000,
    },
    tool: "iperf3",
    result: {
      succeeded: true,
      summary: {
        summary: {
          start: 0,
          end: 2,
          "throughput-bits": 3e9,
          retransmits: 1,
          rtt: 410,
          "tcp-window-size": 6000,
        },
        streams: [stream(7, 2e9, 1), stream(5, 1e9, 0)],
      },
      intervals: [iv(0, 1), iv(1, 2.5)],
    },
  }));
  assertEquals(metadata["ip-transport-protocol"], "tcp");
  assertEquals(metadata["bw-parallel-streams"], 2);
  assertEquals(metadata["bw-ignore-first-seconds"], "PT1S");
  assertEquals(metadata["tcp-window-size"], 4194304);
  assertEquals(metadata["ip-tos"], 32);
  assertEquals(metadata["bw-target-bandwidth"], 5000000000);
  assertEquals(eventTypes(metadata), [
    "failures",
    "throughput",
    "throughput-subintervals",
    "streams-throughput",
    "streams-throughput-subintervals",
    "packet-retransmits",
    "packet-retransmits-subintervals",
    "streams-packet-retransmits",
    "streams-packet-retransmits-subintervals",
    "pscheduler-run-href",
  ]);
  assertEquals(summariesOf(metadata, "throughput"), ["average/86400"]);
  assertEquals(values.get("throughput"), 3e9);
  assertEquals(values.get("packet-retransmits"), 1);
  assertEquals(values.get("packet-rtt"), 410);
  assertEquals(values.get("tcp-windowsize"), 6000);
  assertEquals(values.get("streams-throughput"), [1e9, 2e9]);
  // Only truthy values: stream 5's 0 retransmits is left out.
  assertEquals(values.get("streams-packet-retransmits"), [1]);
  assertEquals(values.get("streams-packet-rtt"), [405, 407]);
  assertEquals(values.get("streams-tcp-windowsize"), [5000, 7000]);
  // Omitted intervals are included.
  assertEquals(values.get("throughput-subintervals"), [
    { start: 0, duration: 1, val: 3e9 },
    { start: 1, duration: 1.5, val: 3e9 },
  ]);
  assertEquals(values.get("packet-retransmits-subintervals").length, 2);
  assertEquals(values.get("packet-rtt-subintervals")[1], { start: 1, duration: 1.5, val: 410 });
  assertEquals(values.get("streams-throughput-subintervals"), [
    [{ start: 0, duration: 1, val: 1e9 }, { start: 1, duration: 1.5, val: 1e9 }],
    [{ start: 0, duration: 1, val: 2e9 }, { start: 1, duration: 1.5, val: 2e9 }],
  ]);
});

Deno.test("throughput UDP: packet counts and loss rate, no retransmit types", async () => {
  const { metadata, values } = await esmond(runBody({
    type: "throughput",
    spec: { source: "192.0.2.4", dest: "198.51.100.2", udp: true },
    tool: "iperf3",
    result: {
      succeeded: true,
      summary: {
        summary: {
          start: 0,
          end: 10,
          "throughput-bits": 1048481.6,
          sent: 159,
          lost: 2,
          jitter: 2.7,
        },
      },
      intervals: [],
    },
  }));
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
  assertEquals(values.get("packet-count-sent"), 159);
  assertEquals(values.get("packet-count-lost"), 2);
  assertEquals(values.get("packet-loss-rate"), { numerator: 2, denominator: 159 });
  assertEquals(values.has("packet-retransmits"), false);
});

Deno.test("trace, paris-traceroute: hops of the first path, mtu inherited, all paths", async () => {
  const paths = [
    [
      {
        ip: "192.0.2.254",
        hostname: "gw",
        rtt: "PT0.0014S",
        as: { number: 64500, owner: "A" },
        mtu: 1500,
      },
      {},
      { ip: "198.51.100.1", rtt: "PT0.0101S", error: "network-unreachable" },
    ],
    [{ ip: "192.0.2.253", rtt: "PT0.002S", mtu: 1280 }, { ip: "203.0.113.9", rtt: "PT0.003S" }],
  ];
  const { metadata, values } = await esmond(runBody({
    type: "trace",
    spec: {
      dest: "198.51.100.2",
      algorithm: "paris-traceroute",
      "first-ttl": 1,
      hops: 30,
      queries: 1,
      "probe-type": "udp",
      sendwait: "PT0.05S",
      wait: "PT5S",
      length: 60,
    },
    tool: "paris-traceroute",
    result: { succeeded: true, paths },
  }));
  assertEquals(metadata["trace-algorithm"], "paris-traceroute");
  assertEquals(metadata["trace-first-ttl"], 1);
  assertEquals(metadata["trace-max-ttl"], 30);
  assertEquals(metadata["trace-num-queries"], 1);
  assertEquals(metadata["ip-transport-protocol"], "udp");
  assertEquals(metadata["ip-packet-size"], 60);
  assertEquals(metadata["time-probe-interval"], 0.05);
  assertEquals(metadata["time-test-timeout"], 5);
  assertEquals(eventTypes(metadata), [
    "failures",
    "packet-trace",
    "path-mtu",
    "packet-trace-multi",
    "pscheduler-run-href",
  ]);
  const first = [
    {
      ttl: 1,
      query: 1,
      success: 1,
      ip: "192.0.2.254",
      hostname: "gw",
      as: { number: 64500, owner: "A" },
      rtt: 1.4,
      mtu: 1500,
    },
    { ttl: 2, query: 1, success: 1, mtu: 1500 },
    {
      ttl: 3,
      query: 1,
      success: 0,
      "error-message": "network-unreachable",
      ip: "198.51.100.1",
      rtt: 10.1,
      mtu: 1500,
    },
  ];
  assertEquals(values.get("packet-trace"), first);
  assertEquals(values.get("path-mtu"), 1280);
  const multi = values.get("packet-trace-multi");
  assertEquals(multi.length, 2);
  assertEquals(multi[0], first);
  // The second path's last hop inherits the mtu seen last (1280).
  assertEquals(multi[1][1], { ttl: 2, query: 1, success: 1, ip: "203.0.113.9", rtt: 3, mtu: 1280 });
});

Deno.test("trace without mtus: no path-mtu; traceroute: no packet-trace-multi", async () => {
  const { metadata, values } = await esmond(runBody({
    type: "trace",
    spec: { dest: "198.51.100.2" },
    tool: "traceroute",
    result: { succeeded: true, paths: [[{ ip: "198.51.100.2", rtt: "PT0.01S" }]] },
  }));
  assertEquals(eventTypes(metadata).includes("packet-trace-multi"), false);
  assertEquals(values.has("path-mtu"), false);
  assertEquals(values.get("packet-trace"), [{
    ttl: 1,
    query: 1,
    success: 1,
    ip: "198.51.100.2",
    rtt: 10,
  }]);
});

Deno.test("rtt: histograms from the roundtrips, loss rate, time parameters in seconds", async () => {
  // Parsed from text, as pScheduler's floats arrive (1.0 stays a float).
  const result = parseJson(JSON.stringify({
    succeeded: true,
    sent: 4,
    received: 3,
    lost: 1,
    loss: 0.25,
    duplicates: 0,
    reorders: 0,
    min: "PT0.008612S",
    max: "PT0.009783S",
    mean: "PT0.009S",
    stddev: "PT0.0004S",
    roundtrips: [
      { seq: 1, ip: "198.51.100.2", length: 64, ttl: 57, rtt: "PT0.008612S" },
      { seq: 2, ip: "198.51.100.2", length: 64, ttl: 57, rtt: "PT0.008615S" },
      { seq: 3, error: "no reply" },
      { seq: 4, ip: "198.51.100.2", length: 64, ttl: 58, rtt: "PT0.009783S" },
    ],
  }));
  const { metadata, values } = await esmond(runBody({
    type: "rtt",
    spec: {
      dest: "198.51.100.2",
      count: 4,
      interval: "PT0.5S",
      timeout: "PT10S",
      deadline: "PT2S",
      length: 64,
      ttl: 64,
      tos: 0,
      flowlabel: 7,
    },
    tool: "ping",
    result,
  }));
  for (
    const [k, v] of Object.entries({
      "sample-size": 4,
      "ip-packet-size": 64,
      "ip-ttl": 64,
      "ip-tos": 0,
      "ip-packet-flowlabel": 7,
      "time-probe-interval": 0.5,
      "time-test-timeout": 10,
      "time-probe-timeout": 2,
    })
  ) assertEquals(metadata[k], v, k);
  assertEquals(eventTypes(metadata), [
    "failures",
    "packet-count-sent",
    "histogram-rtt",
    "histogram-ttl-reverse",
    "packet-duplicates-bidir",
    "packet-loss-rate-bidir",
    "packet-count-lost-bidir",
    "packet-reorders-bidir",
    "pscheduler-run-href",
  ]);
  assertEquals(summariesOf(metadata, "packet-loss-rate-bidir"), [
    "aggregation/3600",
    "aggregation/86400",
  ]);
  // "%.2f" of the milliseconds: 8.615 ms is 8.61500000000000021… as a float, so 8.62.
  assertEquals(values.get("histogram-rtt"), { "8.61": 1, "8.62": 1, "9.78": 1 });
  assertEquals(values.get("histogram-ttl-reverse"), { "57": 2, "58": 1 });
  assertEquals(values.get("packet-loss-rate-bidir"), { numerator: 1, denominator: 4 });
  assertEquals(values.get("packet-count-lost-bidir"), 1);
  assertEquals(values.get("packet-count-sent"), 4);
  assertEquals(values.has("packet-count-received"), false);
});

Deno.test("disk-to-disk: hosts of the URLs, spec flattened, throughput as a float, raw result", async () => {
  const result = {
    succeeded: true,
    time: "PT5.002407S",
    "bytes-sent": 1048576,
    throughput: 1676083,
  };
  const { metadata, values } = await esmond(runBody({
    type: "disk-to-disk",
    spec: {
      source: "ftp://ps1.example.net/data/f",
      dest: "https://ps2.example.net:8443/up",
      parallel: 4,
    },
    tool: "globus",
    result,
  }));
  assertEquals(metadata["input-source"], "ps1.example.net");
  assertEquals(metadata["input-destination"], "ps2.example.net");
  assertEquals([metadata.source, metadata.destination], ["192.0.2.9", "198.51.100.2"]);
  assertEquals(metadata["bw-parallel-streams"], 4);
  assertEquals(metadata["pscheduler-disk-to-disk-source"], "ftp://ps1.example.net/data/f");
  assertEquals(metadata["pscheduler-disk-to-disk-parallel"], 4);
  assertEquals(eventTypes(metadata), [
    "failures",
    "throughput",
    "pscheduler-run-href",
    "pscheduler-raw",
  ]);
  assertEquals(values.get("throughput"), 1676083);
  assertEquals(values.get("pscheduler-raw"), result);
});

Deno.test("types without a mapping: network-element, spec flattened, the whole result raw", async () => {
  const result = { succeeded: true, time: "PT0.02S", record: [{ address: "192.0.2.7", ttl: 300 }] };
  const { metadata, values } = await esmond(runBody({
    type: "dns",
    spec: { query: "example.net", record: "a", nameserver: "192.0.2.53", "x-opts": { a: [1, 2] } },
    tool: "dnspy",
    result,
  }));
  assertEquals(metadata["subject-type"], "network-element");
  // The lead's address, IPv6 preferred (both families resolve).
  assertEquals(metadata.source, "2001:db8::9");
  assertEquals(metadata.destination, undefined);
  assertEquals(metadata["pscheduler-dns-query"], "example.net");
  assertEquals(metadata["pscheduler-dns-x-opts-a-0"], 1);
  assertEquals(metadata["pscheduler-dns-x-opts-a-1"], 2);
  assertEquals(eventTypes(metadata), ["pscheduler-raw", "pscheduler-run-href"]);
  assertEquals([...values.entries()], [
    ["pscheduler-raw", result],
    ["pscheduler-run-href", { href: HREFS.run }],
  ]);
  for (const type of ["http", "idle", "s3throughput", "simplestream", "latencybg-x"]) {
    const v = await esmond(runBody({ type, spec: {}, tool: "x", result: { succeeded: true } }));
    assertEquals(v.metadata["subject-type"], "network-element", type);
    assertEquals(v.values.get("pscheduler-raw"), { succeeded: true }, type);
  }
});

Deno.test("data-formatting-policy: raw-only and mapped-only", async () => {
  const body = runBody({
    type: "rtt",
    spec: { dest: "198.51.100.2" },
    tool: "ping",
    result: { succeeded: true, sent: 1, lost: 0 },
  });
  const raw = await esmondView(body, {
    resolver: OFFLINE_RESOLVER,
    dataFormattingPolicy: "raw-only",
  });
  assertEquals(raw.metadata["subject-type"], "network-element");
  assertEquals(raw.data.data[0].val.map((v) => v["event-type"]), [
    "pscheduler-raw",
    "pscheduler-run-href",
  ]);
  await assertRejects(
    () =>
      esmondView(runBody({ type: "dns", spec: {}, tool: "dnspy" }), {
        resolver: OFFLINE_RESOLVER,
        dataFormattingPolicy: "mapped-only",
      }),
    EsmondViewError,
  );
});
