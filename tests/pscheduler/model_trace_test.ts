// The pure perfSONAR 5 model against the facts testdata/pscheduler/README.md lists for the trace
// sample (traceroute): hop analysis, checksum, paths, esmond packet-trace.
import { assert, assertEquals } from "../harness/assert.ts";
import { CASES, esmondOf, type Json, sampleDocument } from "./model_cases.ts";

Deno.test("trace-traceroute", async () => {
  const { doc } = await sampleDocument("trace-traceroute");
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
