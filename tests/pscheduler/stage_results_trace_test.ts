// Stage 06 (spec §2.7): the `result` of trace (traceroute, tracepath, paris-traceroute): the hop
// analysis of the first path, its checksum, the minimum mtu; failed runs and odd hop values.
import { assertEquals } from "../harness/assert.ts";
import { parseJson } from "../../lib/pscheduler/mod.ts";
import { documentOf, runBody } from "./run_body.ts";
import { HOP_PREFIX, sha256 } from "./stage_results_cases.ts";

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
