// Stage 06 (spec §2.7): the `result` of latency and latencybg (owping, powstream: moves, loss
// ratio, histogram statistics) and rtt (ping, twping), including failed runs and odd values.
import { assert, assertEquals } from "../harness/assert.ts";
import { documentOf, runBody } from "./run_body.ts";
import { latency, latencyResult } from "./stage_results_cases.ts";

Deno.test("latency: moves, loss ratio, statistics of both histograms, the rest dropped", async () => {
  for (const [type, tool] of [["latency", "owping"], ["latencybg", "powstream"]]) {
    const { doc, text } = await latency(latencyResult(), type, tool);
    const r = doc.result;
    assertEquals(Object.keys(r).sort(), [
      "latency",
      "max_clock_error",
      "packets",
      "succeeded",
      "ttl",
    ]);
    assertEquals(r.packets, {
      sent: 100,
      received: 97,
      lost: 3,
      duplicated: 1,
      reordered: 2,
      loss: 0.03,
    });
    assertEquals(r.max_clock_error, 1.53);
    // Worked by hand (§2.7.1): N = 4, buckets -10.25, -1.5, 0.5 (×2).
    assertEquals(r.latency.histogram, { values: [-10.25, -1.5, 0.5], counts: [1, 1, 2] });
    assertEquals(r.latency.mean, -2.6875);
    assertEquals([r.latency.min, r.latency.max], [-10.25, 0.5]);
    assertEquals(r.latency.mode, [0.5]);
    assertEquals(r.latency.p_25, -8.0625); // k = 1, d = 0.25: -10.25 + 0.25·8.75
    assertEquals(r.latency.median, -0.5); // k = 2, d = 0.5: interpolated with the next bucket
    assertEquals(r.latency.p_75, 0.5); // sample k+1 in the same bucket
    assertEquals(r.latency.p_95, 0.5); // k ≥ N: the bucket where the count reaches N
    assertEquals(r.latency.variance, 19.73046875);
    assertEquals(r.latency.stddev, Math.sqrt(19.73046875));
    // TTL statistics are floats too; counts stay integers.
    assert(text.includes('"ttl":{"histogram":{"values":[64.0],"counts":[4]}'), text);
    assertEquals(r.ttl.mode, [64]);
    assert(text.includes('"min":64.0'));
  }
});

Deno.test("latency: no loss ratio without both counts or with nothing sent", async () => {
  const zero = await latency(latencyResult({ "packets-sent": 0, "packets-lost": 0 }));
  assertEquals(zero.doc.result.packets.loss, undefined);
  const noLost = latencyResult();
  delete (noLost as Record<string, unknown>)["packets-lost"];
  assertEquals((await latency(noLost)).doc.result.packets.loss, undefined);
  const nullLost = await latency(latencyResult({ "packets-lost": null }));
  assertEquals(nullLost.doc.result.packets, {
    sent: 100,
    received: 97,
    lost: null,
    duplicated: 1,
    reordered: 2,
  });
  const none = await latency(latencyResult({ "packets-lost": 0 }));
  assertEquals(none.doc.result.packets.loss, 0);
  assert(none.text.includes('"loss":0.0'));
});

Deno.test("latency: empty or all-zero histograms write nothing; a list raises, the rest stays", async () => {
  const empty = await latency(
    latencyResult({ "histogram-latency": {}, "histogram-ttl": { "64": 0 } }),
  );
  assertEquals(empty.doc.result.latency, undefined);
  assertEquals(empty.doc.result.ttl, undefined);
  assertEquals(empty.doc.tags, undefined);
  const list = await latency(latencyResult({ "histogram-latency": [1, 2] }));
  assertEquals(list.doc.tags, ["_rubyexception"]);
  assertEquals(list.doc.result.latency, undefined);
  assertEquals(list.doc.result.ttl.mean, 64);
  assertEquals(list.doc.result.packets.loss, 0.03);
});

Deno.test("latency: bucket names read like String#to_f, mode keeps every tie ascending", async () => {
  const { doc } = await latency(latencyResult({
    "histogram-latency": { "2.50": 3, "1": 3, "abc": 1, "3.0ms": 3 },
  }));
  assertEquals(doc.result.latency.histogram.values, [0, 1, 2.5, 3]);
  assertEquals(doc.result.latency.mode, [1, 2.5, 3]);
  assertEquals(doc.result.latency.min, 0);
});

Deno.test("latency: a failed run keeps succeeded and error only; nothing movable, no result", async () => {
  const failed = await latency({
    succeeded: false,
    error: "owping: unable to contact peer",
    schema: 1,
  });
  assertEquals(failed.doc.result, { succeeded: false, error: "owping: unable to contact peer" });
  const nothing = await latency({ schema: 1, diags: "x" });
  assert(!("result" in nothing.doc));
  const notObject = await latency("no result");
  assert(!("result" in notObject.doc));
});

Deno.test("rtt: a failed run and a run where nothing came back", async () => {
  const failed = await documentOf(runBody({
    type: "rtt",
    spec: { dest: "192.0.2.1" },
    tool: "ping",
    result: { succeeded: false, error: "ping: unknown host", schema: 1 },
  }));
  assertEquals(failed.doc.result, { succeeded: false, error: "ping: unknown host" });
  const lost = await documentOf(runBody({
    type: "rtt",
    spec: { dest: "192.0.2.1", count: 3 },
    tool: "twping",
    result: {
      succeeded: true,
      sent: 3,
      received: 0,
      lost: 3,
      loss: 1.0,
      duplicates: 0,
      reorders: 0,
      roundtrips: [{ seq: 1, error: "timeout" }, { seq: 2, error: "timeout" }, {
        seq: 3,
        error: "timeout",
      }],
    },
  }));
  assertEquals(lost.doc.result.packets.json[0], { seq: 1, error: "timeout" });
  assertEquals(lost.doc.result.packets.loss, 1);
  assertEquals(lost.doc.result.rtt, undefined);
});
