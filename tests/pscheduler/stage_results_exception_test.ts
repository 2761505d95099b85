// Stage 06 (spec §2.7): a _rubyexception raised inside the stage (trace hop analysis, latency
// counts) keeps what was already done, and the event carries on.
import { assertEquals } from "../harness/assert.ts";
import { documentOf, runBody } from "./run_body.ts";
import { HOP_PREFIX, latency, latencyResult, sha256 } from "./stage_results_cases.ts";

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
