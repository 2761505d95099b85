// The pure perfSONAR 5 model against the facts testdata/pscheduler/README.md lists for the
// throughput samples (iperf3 TCP, UDP, failed): document and esmond view.
import { assert, assertEquals } from "../harness/assert.ts";
import { canonicalJson } from "../../lib/pscheduler/mod.ts";
import { CASES, esmondOf, eventTypes, type Json, sampleDocument } from "./model_cases.ts";

Deno.test("throughput-tcp-iperf3", async () => {
  const { doc, text } = await sampleDocument("throughput-tcp-iperf3");
  assertEquals(
    canonicalJson({
      test: (CASES.get("throughput-tcp-iperf3")!.body as Json).test,
      observer_ip: null,
      tool: "iperf3",
    }),
    '{"observer_ip":null,"test":{"spec":{"dest":"192.168.1.101","schema":1,"source":"192.168.1.104"},"type":"throughput"},"tool":"iperf3"}',
  );
  assertEquals(
    doc.pscheduler.test_checksum,
    "ab9610b277c1984e6ddfb39418c94c66adf2502d9e6669dae13b823a1cf68049",
  );
  assertEquals(doc.pscheduler.duration, 19);
  assert(text.includes('"duration":19.0'));
  assertEquals(doc.pscheduler.task_id, "6e1a7bc0-2444-4d37-a00a-7c25f6376c5e");
  assertEquals(doc.pscheduler.run_id, "10e622d9-df6c-4404-b2af-487194ea55db");
  assertEquals(doc.meta.source.ip, "192.168.1.104");
  assertEquals(doc.meta.destination.ip, "192.168.1.101");
  assertEquals(Object.keys(doc.result).sort(), [
    "intervals",
    "retransmits",
    "succeeded",
    "throughput",
  ]);
  assertEquals(doc.result.succeeded, true);
  assertEquals(doc.result.throughput, 942617924.239199);
  assertEquals(doc.result.retransmits, 7);
  const body = CASES.get("throughput-tcp-iperf3")!.body as Json;
  assertEquals(doc.result.intervals.json, JSON.parse(JSON.stringify(body.result.intervals)));
  assertEquals(doc.result.intervals.json.length, 10);

  const { metadata, values } = await esmondOf("throughput-tcp-iperf3");
  assertEquals(metadata["tool-name"], "pscheduler/iperf3");
  assertEquals(metadata["ip-transport-protocol"], "tcp");
  assertEquals(metadata["time-duration"], 19);
  assertEquals(metadata["subject-type"], "point-to-point");
  assertEquals(metadata.source, "192.168.1.104");
  assertEquals(metadata.destination, "192.168.1.101");
  assertEquals(metadata["measurement-agent"], "192.168.1.104");
  assertEquals(eventTypes(metadata), [
    "failures",
    "throughput",
    "throughput-subintervals",
    "packet-retransmits",
    "packet-retransmits-subintervals",
    "pscheduler-run-href",
  ]);
  assertEquals(metadata["event-types"][1].summaries, [
    { "summary-window": 86400, "event-type": "throughput", "summary-type": "average" },
  ]);
  assertEquals(values.get("throughput"), 942617924.239199);
  assertEquals(values.get("packet-retransmits"), 7);
  assertEquals(values.get("throughput-subintervals").length, 10);
  assertEquals(values.get("throughput-subintervals")[0], {
    start: 0,
    duration: 1.001136,
    val: 959405783.4901392,
  });
  assertEquals(values.get("packet-retransmits-subintervals").length, 10);
  assertEquals(values.get("packet-retransmits-subintervals")[0].val, 2);
  assertEquals(values.get("pscheduler-run-href"), { href: body.run.href });
  assertEquals([...values.keys()].at(-1), "pscheduler-run-href");
});

Deno.test("throughput-udp-iperf3", async () => {
  const { doc, text } = await sampleDocument("throughput-udp-iperf3");
  assertEquals(
    doc.pscheduler.test_checksum,
    "1b96d9d6387c381794efb7ee281e00bb4df3d60255c08ee2213bb4481cfc4849",
  );
  assertEquals(doc.test.spec.duration, 10);
  assert(text.includes('"duration":10.0'));
  assertEquals(doc.result.throughput, 1048481.633493);
  assertEquals(doc.result.packets_sent, 159);
  assertEquals(doc.result.packets_lost, 0);
  assertEquals(doc.result.jitter, 2735.461);
  assertEquals(doc.result.intervals.json.length, 10);
  assert(!("loss" in doc.result) && !("packets" in doc.result));
  const { metadata, values } = await esmondOf("throughput-udp-iperf3");
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
  assertEquals(values.get("packet-loss-rate"), { numerator: 0, denominator: 159 });
  assertEquals(values.get("packet-count-sent"), 159);
  assertEquals(values.get("packet-count-lost"), 0);
});

Deno.test("throughput-failed-iperf3", async () => {
  const { doc } = await sampleDocument("throughput-failed-iperf3");
  const error = "iperf3 returned an error: unable to connect to server: Connection refused";
  assertEquals(doc.result, { succeeded: false, error });
  const { values } = await esmondOf("throughput-failed-iperf3");
  assertEquals([...values.keys()], ["failures", "pscheduler-run-href"]);
  assertEquals(values.get("failures"), { error });
});
