// Stage 06 (spec §2.7): pass-through types (disk-to-disk, s3throughput, simplestream, idle, clock,
// mtu) keep their result exactly as sent.
import { assertEquals } from "../harness/assert.ts";
import { documentOf, runBody } from "./run_body.ts";

Deno.test("pass-through types keep the result exactly as sent (ISO strings stay strings)", async () => {
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
    ["disk-to-disk", "curl", { source: "ftp://192.0.2.4/f", dest: "file:///var/data/f" }, {
      succeeded: true,
      time: "PT5.002407S",
      "bytes-sent": 1048576,
      throughput: 1676083.3,
    }],
    ["s3throughput", "s3-benchmark", { url: "https://s3.example.net", "object-size": 1024 }, {
      succeeded: true,
      time: "PT1.5S",
      throughput: 1.0e9,
    }],
    ["simplestream", "simplestreamer", { dest: "192.0.2.1", dawdle: "PT1S" }, {
      succeeded: true,
      received: "Data",
      "dawdled": "PT0.5S",
    }],
    ["idle", "snooze", { duration: "PT2S" }, { succeeded: true, "duration-slept": "PT2S" }],
    ["clock", "psclock", { dest: "192.0.2.1" }, {
      succeeded: true,
      local: { time: "2026-07-27T06:02:10+00:00", synchronized: true },
      difference: "PT0.000123S",
    }],
    ["mtu", "fwmtu", { dest: "192.0.2.1" }, { succeeded: true, mtu: 1500, time: "PT0.2S" }],
  ];
  for (const [type, tool, spec, result] of cases) {
    const { doc, index } = await documentOf(runBody({ type, spec, tool, result }));
    assertEquals(index, `pscheduler_${type}`);
    assertEquals(doc.result, result, type);
    assertEquals(doc.test.spec, spec, type);
  }
});
