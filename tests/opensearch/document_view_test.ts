/**
 * The OpenSearch view of documents written from esmond values (the migration, the esmond
 * write API): what pScheduler's archiver mapping alone would not serve back — per-stream
 * subintervals, the values of a test type pScheduler does not map (kept under
 * `result.json`), and esmond's float units — is served again. Pure: no node.
 *
 * @module
 */
import { assertEquals } from "../harness/mod.ts";
import { esmondViewOf } from "../../lib/opensearch/mod.ts";
import { storedValue } from "../../lib/opensearch/pscheduler_store.ts";
import { runDocument, seriesTemplate } from "../../lib/pscheduler/esmond_run_document.ts";
import { plain } from "../../lib/pscheduler/esmond_run_result.ts";

const TS = 1_700_000_000;

function served(md: Record<string, unknown>, values: Map<string, unknown>): Map<string, unknown> {
  const doc = runDocument(seriesTemplate(md), TS, values);
  const run = esmondViewOf(doc.document)!;
  return new Map(run.data[0].val.map((v) => [v["event-type"], plain(v.val)]));
}

const interval = (start: number, val: number) => ({ start, duration: 1.000012, val });

Deno.test("migrated parallel throughput serves streams-*-subintervals again", () => {
  const md = {
    "metadata-key": "0123456789abcdef0123456789abcdef",
    "subject-type": "point-to-point",
    source: "10.0.0.1",
    destination: "10.0.0.2",
    "measurement-agent": "10.0.0.1",
    "input-source": "a.example.net",
    "input-destination": "b.example.net",
    "tool-name": "bwctl/iperf3",
    "bw-parallel-streams": "2",
    "time-duration": "20",
    "event-types": [
      "throughput",
      "streams-throughput",
      "streams-throughput-subintervals",
      "streams-packet-retransmits-subintervals",
    ].map((e) => ({ "event-type": e })),
  };
  const values = new Map<string, unknown>([
    ["throughput", 9e9],
    ["throughput-subintervals", [interval(0, 9e9), interval(1, 8e9)]],
    ["streams-throughput", [5e9, 4e9]],
    ["streams-throughput-subintervals", [
      [interval(0, 5e9), interval(1, 4.5e9)],
      [interval(0, 4e9), interval(1, 3.5e9)],
    ]],
    ["streams-packet-retransmits-subintervals", [
      [interval(0, 1), interval(1, 0)],
      [interval(0, 2), interval(1, 3)],
    ]],
  ]);
  const again = served(md, values);
  for (const [eventType, val] of values) {
    assertEquals([eventType, again.get(eventType)], [eventType, val]);
  }
});

Deno.test("migrated values of a test type pScheduler does not map are served by name", () => {
  const md = {
    "metadata-key": "fedcba9876543210fedcba9876543210",
    "subject-type": "network-element",
    source: "10.0.0.1",
    "measurement-agent": "10.0.0.1",
    "tool-name": "ntpd",
    "input-source": "a.example.net",
    "event-types": ["ntp-offset", "ntp-stratum"].map((e) => ({ "event-type": e })),
  };
  const values = new Map<string, unknown>([["ntp-offset", -0.0012], ["ntp-stratum", 2]]);
  const doc = runDocument(seriesTemplate(md), TS, values).document;
  const run = esmondViewOf(doc)!;
  const names = (run.metadata["event-types"] as { "event-type": string }[]).map((e) =>
    e["event-type"]
  );
  assertEquals(names, ["ntp-offset", "ntp-stratum", "pscheduler-run-href"]);
  assertEquals(served(md, values), values);
  // A document perfSONAR 5 wrote (no esmond key) keeps the archiver's pscheduler-raw.
  const { esmond_key: _, ...pscheduler } = doc.pscheduler as Record<string, unknown>;
  const raw = esmondViewOf({ ...doc, pscheduler })!;
  assertEquals(raw.data[0].val.map((v) => v["event-type"]), ["pscheduler-raw"]);
});

Deno.test("an esmond float keeps its units; a measured one is truncated as esmond does", () => {
  for (const units of [1, 2, 3, 7, 29, 123, -3, -41]) {
    const v = units / 10000;
    assertEquals(storedValue("float", v, true), { kind: "float", scaled: units });
  }
  assertEquals(storedValue("float", 0.0003, false), { kind: "float", scaled: 2 });
  assertEquals(storedValue("float", 0.000399, true), { kind: "float", scaled: 3 });
  assertEquals(storedValue("integer", 7, true), { kind: "integer", n: 7 });
});
