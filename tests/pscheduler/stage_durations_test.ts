// ISO 8601 durations (spec §2.5): D(v) itself, the fields each stage converts, and what an
// unconvertible or non-string value does (left alone / `_rubyexception`, rest of the call
// skipped).
import { assertEquals, assertThrows } from "../harness/assert.ts";
import { rubyDurationSeconds, RubyException } from "../../lib/pscheduler/mod.ts";
import { documentOf, runBody } from "./run_body.ts";

Deno.test("D(v): the spec's values", () => {
  const cases: [string, number | undefined][] = [
    ["PT21S", 21],
    ["P0D", 0],
    ["PT", 0],
    ["P", 0],
    ["PT1H2M3.5S", 3723.5],
    ["P1DT1S", 86401],
    ["PT0.000404S", 0.000404],
    ["PT90M", 5400],
    ["P2W", undefined],
    ["PT.5S", undefined],
    ["P1M", undefined],
    ["P1Y", undefined],
    ["R5/PT1S", undefined],
    ["RPT1S", undefined],
    ["R3PT1S", undefined],
    ["pt5s", undefined],
    ["PT5,5S", undefined],
    ["PT-5S", undefined],
    [" PT5S", undefined],
    ["", undefined],
  ];
  for (const [text, seconds] of cases) assertEquals(rubyDurationSeconds(text), seconds, text);
});

Deno.test("D(v): the anchors are Ruby's line anchors (\\n only)", () => {
  // ^ and $ match at any \n, so a later line can match…
  assertEquals(rubyDurationSeconds("junk\nPT5S"), 5);
  assertEquals(rubyDurationSeconds("PT5S\njunk"), 5);
  // …but \r, U+2028 and U+2029 end no line for Ruby.
  assertEquals(rubyDurationSeconds("PT5S\r"), undefined);
  assertEquals(rubyDurationSeconds("PT5S\r\n"), undefined);
  assertEquals(rubyDurationSeconds("junk\rPT5S"), undefined);
  assertEquals(rubyDurationSeconds("PT5S\u2028"), undefined);
  assertEquals(rubyDurationSeconds("\u2029PT5S"), undefined);
});

Deno.test("D(v): null is left alone, every other non-string raises", () => {
  assertEquals(rubyDurationSeconds(null), undefined);
  assertEquals(rubyDurationSeconds(undefined), undefined);
  for (const v of [5, 0, false, true, ["PT1S"], { s: "PT1S" }]) {
    assertThrows(() => rubyDurationSeconds(v), RubyException, JSON.stringify(v));
  }
});

Deno.test("stage 04: duration, slip and repeat in seconds; other schedule keys untouched", async () => {
  const { doc, text } = await documentOf(runBody({
    type: "rtt",
    spec: { dest: "192.0.2.1" },
    tool: "ping",
    taskSchedule: {
      slip: "PT5M",
      repeat: "PT1H",
      sliprand: true,
      until: "2026-08-01T00:00:00+00:00",
      "max-runs": 10,
    },
  }));
  assertEquals(doc.schedule, {
    slip: 300,
    repeat: 3600,
    sliprand: true,
    until: "2026-08-01T00:00:00+00:00",
    "max-runs": 10,
  });
  assertEquals(doc.pscheduler.duration, 20);
  for (const t of ['"slip":300.0', '"repeat":3600.0', '"duration":20.0']) {
    assertEquals(text.includes(t), true, t);
  }
});

Deno.test("stage 04: P1M stays a string; a number raises and skips the fields after it", async () => {
  const monthly = await documentOf(runBody({
    type: "rtt",
    spec: { dest: "192.0.2.1" },
    tool: "ping",
    taskSchedule: { slip: "PT5M", repeat: "P1M" },
  }));
  assertEquals(monthly.doc.schedule, { slip: 300, repeat: "P1M" });
  assertEquals(monthly.doc.tags, undefined);

  // pscheduler.duration converts, slip (a number) raises, repeat is not reached.
  const odd = await documentOf(runBody({
    type: "rtt",
    spec: { dest: "192.0.2.1" },
    tool: "ping",
    taskSchedule: { slip: 300, repeat: "PT1H" },
  }));
  assertEquals(odd.doc.tags, ["_rubyexception"]);
  assertEquals(odd.doc.pscheduler.duration, 20);
  assertEquals(odd.doc.schedule, { slip: 300, repeat: "PT1H" });
});

Deno.test("stage 06: the spec fields each type converts, and only those", async () => {
  const rtt = await documentOf(runBody({
    type: "rtt",
    spec: {
      dest: "192.0.2.1",
      count: 10,
      interval: "PT0.5S",
      timeout: "PT2S",
      deadline: "PT30S",
      length: 64,
    },
    tool: "ping",
    result: { succeeded: true, sent: 10, received: 10, lost: 0, loss: 0.0, roundtrips: [] },
  }));
  assertEquals(rtt.doc.test.spec, {
    dest: "192.0.2.1",
    count: 10,
    interval: 0.5,
    timeout: 2,
    deadline: 30,
    length: 64,
  });

  const thr = await documentOf(runBody({
    type: "throughput",
    spec: {
      source: "192.0.2.4",
      dest: "192.0.2.1",
      duration: "PT30S",
      omit: "PT2S",
      interval: "PT1S",
      "bandwidth": 1000000,
    },
    tool: "nuttcp",
    result: { succeeded: false, error: "refused" },
  }));
  assertEquals(thr.doc.test.spec.duration, 30);
  assertEquals(thr.doc.test.spec.omit, 2);
  assertEquals(thr.doc.test.spec.interval, 1);

  const trace = await documentOf(runBody({
    type: "trace",
    spec: { dest: "192.0.2.1", sendwait: "PT0.05S", wait: "PT5S", hops: 30 },
    tool: "tracepath",
    result: { succeeded: true, paths: [[]] },
  }));
  assertEquals(trace.doc.test.spec, { dest: "192.0.2.1", sendwait: 0.05, wait: 5, hops: 30 });

  // latency: no spec field is converted (packet-interval is a number of seconds already).
  const lat = await documentOf(runBody({
    type: "latency",
    spec: { source: "192.0.2.4", dest: "192.0.2.1", "packet-interval": 0.1, duration: "PT10S" },
    tool: "owping",
    result: { succeeded: false, error: "x" },
  }));
  assertEquals(lat.doc.test.spec.duration, "PT10S");
  // Other types leave their spec alone.
  const dns = await documentOf(runBody({
    type: "dns",
    spec: { query: "example.net", timeout: "PT2S" },
    tool: "dnspy",
    result: { succeeded: true, time: "PT0.5S" },
  }));
  assertEquals(dns.doc.test.spec.timeout, "PT2S");
  assertEquals(dns.doc.result.time, 0.5);
});

Deno.test("stage 06: an rtt result with an unparsable or missing value keeps it as sent", async () => {
  const { doc } = await documentOf(runBody({
    type: "rtt",
    spec: { dest: "192.0.2.1" },
    tool: "ping",
    result: {
      succeeded: true,
      sent: 1,
      received: 1,
      lost: 0,
      loss: 0.0,
      min: "PT.5S",
      max: "P1M",
      mean: "PT0.5S",
      stddev: null,
      roundtrips: [{ seq: 1, rtt: "PT0.5S", ttl: 60 }],
    },
  }));
  assertEquals(doc.result.rtt, { min: "PT.5S", max: "P1M", mean: 0.5, stddev: null });
  assertEquals(doc.tags, undefined);
});

Deno.test("stage 06: dns and http result.time; a numeric time raises", async () => {
  const http = await documentOf(runBody({
    type: "http",
    spec: { url: "https://www.example.net/", parse: "Welcome" },
    tool: "curl",
    result: { succeeded: true, time: "PT0.123456S", status: 200, found: true },
  }));
  assertEquals(http.doc.result, { succeeded: true, time: 0.123456, status: 200, found: true });
  const odd = await documentOf(runBody({
    type: "dns",
    spec: { query: "example.net" },
    tool: "dnspy",
    result: { succeeded: true, time: 0.5 },
  }));
  assertEquals(odd.doc.tags, ["_rubyexception"]);
  assertEquals(odd.doc.result, { succeeded: true, time: 0.5 });
});
