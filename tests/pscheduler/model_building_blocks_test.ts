// The model's building blocks on the spec's worked examples: canonical JSON and checksums, ISO
// durations, endpoints (a local path as dest), dns time, histogram statistics, Ruby's to_f.
import { assert, assertEquals, assertThrows } from "../harness/assert.ts";
import { rubyToF } from "../../lib/pscheduler/histogram_stats.ts";
import {
  canonicalJson,
  canonicalNumber,
  endpointHost,
  esmondView,
  histogramStatistics,
  hopChecksum,
  logstashDocument,
  OFFLINE_RESOLVER,
  rubyDurationSeconds,
  RubyException,
  testChecksum,
} from "../../lib/pscheduler/mod.ts";

Deno.test("checksum: canonical numbers and the spec's example", () => {
  assertEquals(canonicalNumber(0.30000000000000004), "0.3");
  assertEquals(canonicalNumber(1234567890123456789), "1234567890123457000");
  assertEquals(canonicalNumber(30), "30");
  assertEquals(canonicalNumber(12.5), "12.5");
  assertEquals(canonicalNumber(0.001), "0.001");
  assertEquals(canonicalNumber(1e21), "1e+21");
  assertEquals(canonicalNumber(1e-7), "1e-7");
  assertEquals(canonicalNumber(1.5e-7), "1.5e-7");
  assertEquals(canonicalNumber(-0), "0");
  assertEquals(canonicalNumber(-5), "-5");
  assertEquals(
    canonicalJson({ b: "\n/é", a: [1.5, null, true] }),
    '{"a":[1.5,null,true],"b":"\\n/é"}',
  );
  assertEquals(
    testChecksum({ type: "rtt", spec: { dest: "1.1.1.1", schema: 1 } }, null, "ping"),
    "b8834f45975ba7c45edad959caf379bca1db251c98f75e736acec2734131b10a",
  );
});

Deno.test("ISO 8601 durations as the Ruby stage reads them", () => {
  assertEquals(rubyDurationSeconds("PT21S"), 21);
  assertEquals(rubyDurationSeconds("P0D"), 0);
  assertEquals(rubyDurationSeconds("PT"), 0);
  assertEquals(rubyDurationSeconds("PT1H2M3.5S"), 3723.5);
  assertEquals(rubyDurationSeconds("P2W"), undefined);
  assertEquals(rubyDurationSeconds("PT.5S"), undefined);
  assertEquals(rubyDurationSeconds("P1M"), undefined);
  assertEquals(rubyDurationSeconds("R5/PT1S"), undefined);
  assertEquals(rubyDurationSeconds(null), undefined);
  assertThrows(() => rubyDurationSeconds(5), RubyException);
});

Deno.test("endpoint extraction (Ruby URI semantics)", () => {
  assertEquals(endpointHost("1.1.1.1:80"), "1.1.1.1");
  assertEquals(endpointHost("host.example.net"), "host.example.net");
  assertEquals(endpointHost("2001:db8::1"), "2001:db8::1");
  assertEquals(endpointHost("[2001:db8::1]:443"), "2001:db8::1:443");
  assertEquals(endpointHost("https://[2001:db8::1]:443/x"), "2001:db8::1");
  assertEquals(endpointHost("https://ps.example.net/pscheduler/tasks/x"), "ps.example.net");
  assertEquals(endpointHost("file:///p"), "");
  assertEquals(endpointHost(undefined), undefined);
  for (const bad of ["host:5201", "fe80::1", "a:", "/var/data/x"]) {
    assertThrows(() => endpointHost(bad), RubyException, bad);
  }
});

Deno.test("a local path as dest: _rubyexception, no meta, result unchanged", async () => {
  const body = {
    test: {
      type: "disk-to-disk",
      spec: { source: "http://192.0.2.1/f", dest: "/var/data/test.out" },
    },
    tool: { name: "curl" },
    result: { succeeded: true, time: "PT5.002407S" },
  };
  const { index, document } = await logstashDocument(body, {
    observer: "192.0.2.9",
    resolver: OFFLINE_RESOLVER,
  });
  assertEquals(index, "pscheduler_disk-to-disk");
  assertEquals(document.tags, ["_rubyexception"]);
  assertEquals(document.meta, undefined);
  assertEquals(document.result, { succeeded: true, time: "PT5.002407S" });
});

Deno.test("dns: time converted, only meta.observer", async () => {
  const { document } = await logstashDocument({
    test: { type: "dns", spec: { query: "example.net", record: "a" } },
    tool: { name: "dnspy" },
    result: { succeeded: true, time: "PT0.031422S", record: [{ address: "192.0.2.7" }] },
  }, { observer: "192.0.2.9", resolver: OFFLINE_RESOLVER });
  assertEquals(document.result, {
    succeeded: true,
    time: 0.031422,
    record: [{ address: "192.0.2.7" }],
  });
  assertEquals(document.meta, { observer: { ip: "192.0.2.9", hostname: null } });
  const view = await esmondView({
    test: { type: "dns", spec: { query: "example.net" } },
    tool: { name: "dnspy" },
    schedule: { start: "2026-07-27T05:45:23+00:00", duration: "PT1S" },
    participants: ["192.0.2.9"],
    result: { succeeded: true, time: "PT0.031422S" },
  }, { resolver: OFFLINE_RESOLVER });
  assertEquals(view.metadata["subject-type"], "network-element");
  assertEquals(view.metadata["pscheduler-dns-query"], "example.net");
  assertEquals(view.data.data[0].val, [{
    "event-type": "pscheduler-raw",
    val: { succeeded: true, time: "PT0.031422S" },
  }]);
});

Deno.test("histogram statistics: the spec's examples; failed trace checksum", () => {
  const a = histogramStatistics({ "1": 1, "2": 1, "3": 1 })!;
  assertEquals(
    JSON.parse(JSON.stringify([a.mean, a.median, a.p_25, a.p_75, a.p_95, a.mode, a.variance])),
    [2, 2, 1, 3, 3, [1, 2, 3], 0.6666666666666666],
  );
  const b = histogramStatistics({ "0.10": 2, "0.20": 5, "0.35": 3 })!;
  assertEquals([b.mean, b.median, b.p_25, b.p_75], [0.225, 0.2, 0.17500000000000002, 0.35]);
  assertEquals(b.mode, [0.2]);
  assertEquals(histogramStatistics({}), undefined);
  assertEquals(histogramStatistics({ "5": 0 }), undefined);
  assertEquals(
    hopChecksum(undefined),
    "973c1f8975a6725458af783b85adb029994ad69bbd4843ffb0dcf3ab44df3196",
  );
});

Deno.test("rubyToF: Ruby's String#to_f, plain bucket names and the rest", () => {
  const cases: [string, number][] = [
    ["-11.71", -11.71],
    ["007", 7],
    ["-0", -0],
    ["12.50", 12.5],
    ["1.", 1],
    [".5", 0.5],
    ["-", 0],
    ["", 0],
    ["1e5", 100000],
    [" 3x", 3],
    ["1_000.5", 1000.5],
    ["abc", 0],
  ];
  for (const [text, expected] of cases) assert(Object.is(rubyToF(text), expected), text);
});
