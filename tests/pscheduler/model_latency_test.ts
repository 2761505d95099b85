// The pure perfSONAR 5 model against the facts testdata/pscheduler/README.md lists for the
// latency samples (twamp, powstream) and the rtt samples (ping, ping with total loss).
import { assert, assertEquals } from "../harness/assert.ts";
import { CASES, esmondOf, type Json, sampleDocument } from "./model_cases.ts";

Deno.test("latency-twamp", async () => {
  const { doc, text } = await sampleDocument("latency-twamp");
  assertEquals(
    doc.pscheduler.test_checksum,
    "60130a72122e5ce41e0b9ebcb1eca7c30886d55a7e37b9dcb9e1bffa9c49b6d6",
  );
  assertEquals(doc.result.packets, {
    sent: 100,
    received: 100,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    loss: 0,
  });
  assert(text.includes('"loss":0.0'));
  assertEquals(doc.result.max_clock_error, 27.47);
  const l = doc.result.latency;
  assertEquals(l.min, -15.5);
  assertEquals(l.max, -11.71);
  assertEquals(l.mean, -13.390500000000001);
  assertEquals(l.median, -13.145);
  assertEquals(l.p_25, -14.424999999999999);
  assertEquals(l.p_75, -12.3925);
  assertEquals(l.p_95, -11.8405);
  assertEquals(l.variance, 1.2909947499999992);
  assertEquals(l.stddev, 1.1362194990405678);
  assertEquals(l.mode.length, 11);
  assertEquals(l.mode[0], -15.23);
  assertEquals(l.mode.at(-1), -11.77);
  assertEquals(l.mode, [...l.mode].sort((a: number, b: number) => a - b));
  assertEquals(l.histogram.values.length, 89);
  assertEquals(l.histogram.counts.reduce((a: number, b: number) => a + b, 0), 100);
  const t = doc.result.ttl;
  for (const k of ["min", "max", "mean", "median", "p_25", "p_75", "p_95"]) assertEquals(t[k], 255);
  assertEquals(t.histogram, { values: [255], counts: [100] });
  assert(text.includes('"ttl":{"histogram":{"values":[255.0],"counts":[100]}'));
  const body = CASES.get("latency-twamp")!.body as Json;
  const { values } = await esmondOf("latency-twamp");
  assertEquals(values.get("histogram-owdelay"), body.result["histogram-latency"]);
  assert(Object.hasOwn(values.get("histogram-owdelay"), "-12.30"));
  assertEquals(values.get("histogram-ttl"), { "255": 100 });
  assertEquals(values.get("time-error-estimates"), 27.47);
  assertEquals(values.get("packet-loss-rate"), { numerator: 0, denominator: 100 });
});

Deno.test("latencybg-powstream", async () => {
  const { index, doc } = await sampleDocument("latencybg-powstream");
  assertEquals(index, "pscheduler_latencybg");
  assertEquals(
    doc.pscheduler.test_checksum,
    "dbbb502d2043e6903daabeeab8020440667c0923c0b1a803b9a862aedbbe4609",
  );
  const l = doc.result.latency;
  assertEquals(
    [l.mean, l.median, l.mode, l.min, l.max, l.p_25, l.p_75, l.p_95, l.variance, l.stddev],
    [
      39.498733333333334,
      39.52,
      [39.52],
      39.39,
      39.57,
      39.48,
      39.52,
      39.54,
      0.0012220622222222826,
      0.03495800655389667,
    ],
  );
  assertEquals(l.histogram.values.length, 19);
  assertEquals(doc.result.ttl.mean, 247);
  assertEquals(doc.result.packets.loss, 0);
  const { metadata, values } = await esmondOf("latencybg-powstream");
  assertEquals(metadata["time-probe-interval"], 0.001);
  assertEquals(values.get("packet-loss-rate"), { numerator: 0, denominator: 600 });
});

Deno.test("rtt-ping", async () => {
  const { doc } = await sampleDocument("rtt-ping");
  assertEquals(
    doc.pscheduler.test_checksum,
    "b8834f45975ba7c45edad959caf379bca1db251c98f75e736acec2734131b10a",
  );
  assertEquals(doc.meta.source.ip, "192.168.1.104");
  assertEquals(doc.result.rtt, { min: 0.008612, max: 0.009783, mean: 0.009059, stddev: 0.000404 });
  const body = CASES.get("rtt-ping")!.body as Json;
  assertEquals(doc.result.packets, {
    sent: 5,
    received: 5,
    lost: 0,
    loss: 0,
    duplicated: 0,
    reordered: 0,
    json: body.result.roundtrips,
  });
  const { metadata, values } = await esmondOf("rtt-ping");
  assertEquals(metadata["input-source"], "lima-perfsonar-vm");
  assertEquals(metadata.source, "192.168.1.104");
  assertEquals(values.get("histogram-rtt"), {
    "8.61": 1,
    "8.79": 1,
    "8.96": 1,
    "9.16": 1,
    "9.78": 1,
  });
  assertEquals(values.get("histogram-ttl-reverse"), { "57": 5 });
  assertEquals(values.get("packet-loss-rate-bidir"), { numerator: 0, denominator: 5 });
});

Deno.test("rtt-ping-total-loss", async () => {
  const { doc } = await sampleDocument("rtt-ping-total-loss");
  assertEquals(doc.result, {
    succeeded: true,
    packets: { sent: 5, received: 0, lost: 5, loss: 1, duplicated: 0, reordered: 0, json: [] },
  });
  const { values } = await esmondOf("rtt-ping-total-loss");
  assert(!values.has("histogram-rtt") && !values.has("histogram-ttl-reverse"));
  assertEquals(values.get("packet-count-lost-bidir"), 5);
  assertEquals(values.get("packet-loss-rate-bidir"), { numerator: 5, denominator: 5 });
});
