// pScheduler's esmond archiver mapping (spec §4.1) for latency and rtt (owping, ping): metadata
// parameters, event types with their summaries, data values.
import { assertEquals } from "../harness/assert.ts";
import { parseJson } from "../../lib/pscheduler/mod.ts";
import { esmond, eventTypes, summariesOf } from "./esmond_archiver_cases.ts";
import { runBody } from "./run_body.ts";

Deno.test("latency: parameters, event types with their summaries, values", async () => {
  const { metadata, values, order } = await esmond(runBody({
    type: "latency",
    spec: {
      source: "192.0.2.4",
      dest: "198.51.100.2",
      "packet-count": 100,
      "bucket-width": 0.001,
      "packet-interval": 0.1,
      "packet-timeout": 2,
      "ip-tos": 32,
      flip: true,
      "packet-padding": 20,
      "single-participant-mode": false,
    },
    tool: "owping",
    result: {
      succeeded: true,
      "packets-sent": 100,
      "packets-received": 97,
      "packets-lost": 3,
      "packets-duplicated": 0,
      "packets-reordered": 1,
      "max-clock-error": 1.53,
      "histogram-latency": { "10.20": 60, "10.30": 37 },
      "histogram-ttl": { "62": 97 },
    },
  }));
  for (
    const [k, v] of Object.entries({
      "sample-size": 100,
      "sample-bucket-width": 0.001,
      "time-probe-interval": 0.1,
      "time-probe-timeout": 2,
      "ip-tos": 32,
      "mode-flip": true,
      "ip-packet-padding": 20,
      "mode-single-participant": false,
    })
  ) assertEquals(metadata[k], v, k);
  assertEquals(eventTypes(metadata), [
    "failures",
    "packet-count-sent",
    "histogram-owdelay",
    "histogram-ttl",
    "packet-duplicates",
    "packet-loss-rate",
    "packet-count-lost",
    "packet-reorders",
    "time-error-estimates",
    "pscheduler-run-href",
  ]);
  assertEquals(summariesOf(metadata, "packet-loss-rate"), [
    "aggregation/300",
    "aggregation/3600",
    "aggregation/86400",
  ]);
  assertEquals(summariesOf(metadata, "histogram-owdelay")?.sort(), [
    "aggregation/300",
    "aggregation/3600",
    "aggregation/86400",
    "statistics/0",
    "statistics/300",
    "statistics/3600",
    "statistics/86400",
  ]);
  assertEquals(summariesOf(metadata, "failures"), undefined);
  assertEquals(values.get("histogram-owdelay"), { "10.20": 60, "10.30": 37 });
  assertEquals(values.get("histogram-ttl"), { "62": 97 });
  assertEquals(values.get("packet-count-sent"), 100);
  assertEquals(values.get("packet-count-lost"), 3);
  assertEquals(values.get("packet-reorders"), 1);
  assertEquals(values.get("packet-duplicates"), 0);
  assertEquals(values.get("time-error-estimates"), 1.53);
  assertEquals(values.get("packet-loss-rate"), { numerator: 3, denominator: 100 });
  assertEquals(order.at(-1), "pscheduler-run-href");
});

Deno.test("latency: no loss rate when nothing was sent; an empty histogram is skipped", async () => {
  const { values } = await esmond(runBody({
    type: "latency",
    spec: { source: "192.0.2.4", dest: "198.51.100.2" },
    tool: "owping",
    result: { succeeded: true, "packets-sent": 0, "packets-lost": 0, "histogram-latency": {} },
  }));
  assertEquals(values.has("packet-loss-rate"), false);
  assertEquals(values.has("histogram-owdelay"), false);
  assertEquals(values.get("packet-count-sent"), 0);
});

Deno.test("rtt: histograms from the roundtrips, loss rate, time parameters in seconds", async () => {
  // Parsed from text, as pScheduler's floats arrive (1.0 stays a float).
  const result = parseJson(JSON.stringify({
    succeeded: true,
    sent: 4,
    received: 3,
    lost: 1,
    loss: 0.25,
    duplicates: 0,
    reorders: 0,
    min: "PT0.008612S",
    max: "PT0.009783S",
    mean: "PT0.009S",
    stddev: "PT0.0004S",
    roundtrips: [
      { seq: 1, ip: "198.51.100.2", length: 64, ttl: 57, rtt: "PT0.008612S" },
      { seq: 2, ip: "198.51.100.2", length: 64, ttl: 57, rtt: "PT0.008615S" },
      { seq: 3, error: "no reply" },
      { seq: 4, ip: "198.51.100.2", length: 64, ttl: 58, rtt: "PT0.009783S" },
    ],
  }));
  const { metadata, values } = await esmond(runBody({
    type: "rtt",
    spec: {
      dest: "198.51.100.2",
      count: 4,
      interval: "PT0.5S",
      timeout: "PT10S",
      deadline: "PT2S",
      length: 64,
      ttl: 64,
      tos: 0,
      flowlabel: 7,
    },
    tool: "ping",
    result,
  }));
  for (
    const [k, v] of Object.entries({
      "sample-size": 4,
      "ip-packet-size": 64,
      "ip-ttl": 64,
      "ip-tos": 0,
      "ip-packet-flowlabel": 7,
      "time-probe-interval": 0.5,
      "time-test-timeout": 10,
      "time-probe-timeout": 2,
    })
  ) assertEquals(metadata[k], v, k);
  assertEquals(eventTypes(metadata), [
    "failures",
    "packet-count-sent",
    "histogram-rtt",
    "histogram-ttl-reverse",
    "packet-duplicates-bidir",
    "packet-loss-rate-bidir",
    "packet-count-lost-bidir",
    "packet-reorders-bidir",
    "pscheduler-run-href",
  ]);
  assertEquals(summariesOf(metadata, "packet-loss-rate-bidir"), [
    "aggregation/3600",
    "aggregation/86400",
  ]);
  // "%.2f" of the milliseconds: 8.615 ms is 8.61500000000000021… as a float, so 8.62.
  assertEquals(values.get("histogram-rtt"), { "8.61": 1, "8.62": 1, "9.78": 1 });
  assertEquals(values.get("histogram-ttl-reverse"), { "57": 2, "58": 1 });
  assertEquals(values.get("packet-loss-rate-bidir"), { numerator: 1, denominator: 4 });
  assertEquals(values.get("packet-count-lost-bidir"), 1);
  assertEquals(values.get("packet-count-sent"), 4);
  assertEquals(values.has("packet-count-received"), false);
});
