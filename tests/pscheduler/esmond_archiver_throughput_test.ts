// pScheduler's esmond archiver mapping (spec §4.1) for throughput (iperf3, TCP and UDP): metadata
// parameters, event types, summary, stream and subinterval series.
import { assertEquals } from "../harness/assert.ts";
import { esmond, eventTypes, summariesOf } from "./esmond_archiver_cases.ts";
import { runBody } from "./run_body.ts";

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
