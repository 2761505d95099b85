// pScheduler's esmond archiver mapping (spec §4.1) for trace (paris-traceroute, traceroute):
// metadata parameters, packet-trace hops, path-mtu, packet-trace-multi.
import { assertEquals } from "../harness/assert.ts";
import { esmond, eventTypes } from "./esmond_archiver_cases.ts";
import { runBody } from "./run_body.ts";

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
