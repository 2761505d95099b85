// Stage 06 (spec §2.7): the `result` of throughput (iperf3, nuttcp, ethr; TCP with streams and
// intervals, UDP), including a failed run.
import { assertEquals } from "../harness/assert.ts";
import { documentOf, runBody } from "./run_body.ts";

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
