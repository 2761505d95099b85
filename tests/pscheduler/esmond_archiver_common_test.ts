// pScheduler's esmond archiver mapping (spec §4.1): the metadata every test type shares (time,
// tool, input source, resolved pair, measurement agent, reference) and a type without spec.dest.
import { assertEquals, assertRejects } from "../harness/assert.ts";
import { EsmondViewError, UNSPECIFIED_FAILURE } from "../../lib/pscheduler/mod.ts";
import { esmond } from "./esmond_archiver_cases.ts";
import { HREFS, runBody } from "./run_body.ts";

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
