// The pure perfSONAR 5 model on every sample of testdata/pscheduler/ (README.md): facts common to
// every body, the observer without header or name table, the esmond view of a stored document.
import { assert, assertEquals } from "../harness/assert.ts";
import { esmondViewOf } from "../../lib/opensearch/mod.ts";
import { esmondView, logstashDocument, OFFLINE_RESOLVER } from "../../lib/pscheduler/mod.ts";
import { CASES, esmondOf, type Json, sampleDocument } from "./model_cases.ts";
import type { RunCase } from "./testdata.ts";

Deno.test("common facts of every body", async () => {
  assertEquals(CASES.size, 8);
  for (const [name, c] of CASES) {
    const { index, doc, text } = await sampleDocument(name);
    const body = c.body as Json;
    assertEquals(index, `pscheduler_${body.test.type}`, name);
    assertEquals(doc["@version"], "1");
    assertEquals(doc.host, "127.0.0.1");
    assert(!Number.isNaN(Date.parse(doc["@timestamp"])));
    assertEquals(doc.schedule.slip, 300, name);
    assert(text.includes('"slip":300.0'), `${name}: slip written as a float`);
    assertEquals(doc.id, body.id);
    assertEquals(doc.reference, null);
    assertEquals(doc.pscheduler.tool, body.tool.name);
    assertEquals(doc.pscheduler.participants, body.participants);
    assertEquals(doc.pscheduler.added, body.run.added);
    assertEquals(doc.pscheduler.start_time, body.run["start-time"]);
    assertEquals(doc.pscheduler.end_time, body.run["end-time"]);
    assertEquals(doc.pscheduler.task_href, body.task.href);
    assertEquals(doc.pscheduler.run_href, body.run.href);
    assertEquals(doc.pscheduler.task_id, body.task.href.split("/tasks/")[1]);
    assertEquals(doc.pscheduler.run_id, body.run.href.split("/runs/")[1]);
    assertEquals(doc.meta.observer, { ip: c.headers["x-ps-observer"], hostname: null }, name);
    assertEquals(doc.meta.ip_version, 4, name);
    assertEquals(doc.meta.source.hostname, doc.meta.source.ip);
    assertEquals(doc.meta.destination.hostname, doc.meta.destination.ip);
    assertEquals(doc.meta.destination.ip, body.test.spec.dest);
    for (const gone of ["run", "task", "tool", "headers", "participants", "tags", "@metadata"]) {
      assert(!(gone in doc), `${name}: ${gone} must not be stored`);
    }
    assertEquals(
      Object.keys(doc).sort(),
      [
        "@timestamp",
        "@version",
        "host",
        "id",
        "meta",
        "pscheduler",
        "reference",
        "result",
        "schedule",
        "test",
      ],
    );
  }
});

Deno.test("without header or name table the observer stays unset; the task href is used", async () => {
  const c = CASES.get("rtt-ping")!;
  const offline = await logstashDocument(c.body, { resolver: OFFLINE_RESOLVER });
  const meta = offline.document.meta as Json;
  assertEquals(meta?.observer, undefined);
  assertEquals(meta?.source, undefined);
  const named = await logstashDocument(c.body, { resolver: c.resolver });
  assertEquals((named.document.meta as Json).observer, {
    ip: "240b:11:c1e3:d100:5055:55ff:fe24:f200",
    hostname: "lima-perfsonar-vm",
  });
  await assertOfflineViewHasNoSource(c);
});

async function assertOfflineViewHasNoSource(c: RunCase) {
  // The esmond archiver cannot resolve its lead participant offline: no source address.
  const view = await esmondView(c.body, { resolver: OFFLINE_RESOLVER });
  assertEquals(view.metadata.source, null);
  assertEquals(view.metadata["measurement-agent"], null);
}

Deno.test("esmond view of a stored document: elmond's gaps filled where the document allows", async () => {
  const view = async (name: string) => {
    const { doc } = await sampleDocument(name);
    const v = JSON.parse(JSON.stringify(esmondViewOf(doc)));
    const values = new Map<string, Json>();
    for (const x of v.data[0].val) values.set(x["event-type"], x.val);
    return { metadata: v.metadata, values };
  };
  // The stored view lists every event type with its summaries (as the esmond API serves them);
  // the archiver's POST body names the event type in each summary and omits empty lists.
  const served = (metadata: Json): Json => ({
    ...metadata,
    "event-types": metadata["event-types"].map((e: Json) => ({
      "event-type": e["event-type"],
      summaries: (e.summaries ?? []).map(({ "event-type": _, ...s }: Json) => s),
    })),
  });
  const tcp = await view("throughput-tcp-iperf3");
  const fromBody = await esmondOf("throughput-tcp-iperf3");
  assertEquals(tcp.metadata, served(fromBody.metadata));
  assertEquals(tcp.values, fromBody.values);
  const udp = await view("throughput-udp-iperf3");
  assertEquals(udp.values.get("packet-loss-rate"), { numerator: 0, denominator: 159 });
  assertEquals(udp.values.get("packet-count-sent"), 159);
  const rtt = await view("rtt-ping");
  assertEquals(rtt.values, (await esmondOf("rtt-ping")).values);
  assertEquals(rtt.metadata.source, "192.168.1.104");
  const trace = await view("trace-traceroute");
  assertEquals(trace.values, (await esmondOf("trace-traceroute")).values);
  const latency = await view("latency-twamp");
  const body = CASES.get("latency-twamp")!.body as Json;
  // Bucket keys come back with two decimals, as twping wrote them.
  assertEquals(latency.values.get("histogram-owdelay"), body.result["histogram-latency"]);
  assertEquals(latency.values.get("histogram-ttl"), { "255": 100 });
  assertEquals(latency.values.get("packet-loss-rate"), { numerator: 0, denominator: 100 });
  const failed = await view("throughput-failed-iperf3");
  assertEquals([...failed.values.keys()], ["failures", "pscheduler-run-href"]);
});
