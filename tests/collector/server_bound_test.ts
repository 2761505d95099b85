// Issue 19 item 2: per-server state is bounded; datagrams that decode to nothing leave none;
// --allow keeps other networks out.
import { assert, assertEquals } from "../harness/mod.ts";
import { allowList } from "../../collector/listen/allow.ts";
import { renderPrometheus } from "../../collector/sink/metrics.ts";
import { parseOptions, UsageError } from "../../collector/options.ts";
import { memoryPipeline } from "./helpers.ts";
import { Correlator } from "../../collector/correlate/correlate.ts";
import { Pipeline } from "../../collector/correlate/pipeline.ts";
import { packet, textBody } from "./packet_builder.ts";
import { assertThrows } from "../harness/mod.ts";

function header8(code: string, stod: number): Uint8Array {
  return packet({ code, pseq: stod & 0xff, stod }, new Uint8Array(0));
}

Deno.test("datagrams that decode to nothing create no server state", () => {
  const run = memoryPipeline();
  const from = { hostname: "10.9.9.9", port: 1 };
  for (let stod = 1; stod <= 5000; stod++) {
    run.pipeline.handle(header8("u", stod), from, 100); // text packet without a body: rejected
    run.pipeline.handle(header8("z", stod), from, 100); // a kind we do not use
    run.pipeline.handle(header8("t", stod), from, 100);
  }
  assertEquals(run.pipeline.serversTracked, 0);
  assertEquals(run.pipeline.sequences.size, 0);
  assertEquals(run.pipeline.metrics.decodeErrors, 5000);
  const text = renderPrometheus(run.pipeline.snapshot());
  assert(!text.includes("sequence_gaps_total{"), "no per-server series");
});

Deno.test("fresh identities beyond --max-servers evict the idlest, counted and logged once", () => {
  const evicted: string[] = [];
  const correlator = new Correlator({
    emit: () => {},
    evtType: "t",
    cacheSeconds: 60,
    maxEntries: 1000,
  });
  const pipeline = new Pipeline({
    correlator,
    maxServers: 100,
    onServerEvicted: (server) => evicted.push(server),
  });
  for (let i = 0; i < 10_000; i++) {
    const stod = 1_000_000 + i;
    pipeline.handle(
      packet({ code: "u", pseq: 0, stod }, textBody(1, "xroot/x.1:2@h")),
      { hostname: "10.0.0.1", port: 1000 + (i % 50) },
      100 + i / 1000,
    );
  }
  assertEquals(pipeline.serversTracked, 100);
  assertEquals(pipeline.sequences.size, 100);
  assertEquals(pipeline.serversEvicted, 9_900);
  assertEquals(evicted.length, 1, "logged once");
  const text = renderPrometheus(pipeline.snapshot());
  assertEquals(
    text.split("\n").filter((l) => l.startsWith("xrootd_collector_sequence_gaps_total{")).length,
    100,
  );
  assert(text.includes("xrootd_collector_servers_evicted_total 9900"), text);
  assert(text.length < 100_000, `${text.length} bytes`);
});

Deno.test("metric series are bounded even when many servers are tracked", () => {
  const correlator = new Correlator({
    emit: () => {},
    evtType: "t",
    cacheSeconds: 60,
    maxEntries: 10,
  });
  const pipeline = new Pipeline({ correlator, maxServers: 5000 });
  for (let i = 0; i < 3000; i++) {
    pipeline.handle(
      packet({ code: "u", pseq: 0, stod: 7 + i }, textBody(1, "xroot/x.1:2@h")),
      { hostname: "10.0.0.2", port: 1 },
      100,
    );
  }
  const lines = renderPrometheus(pipeline.snapshot()).split("\n")
    .filter((l) => l.startsWith("xrootd_collector_sequence_received_total{"));
  assertEquals(lines.length, 512);
  assert(
    lines.some((l) =>
      l.startsWith('xrootd_collector_sequence_received_total{server="_other"} 2489')
    ),
  );
});

Deno.test("--allow: only listed networks get in, IPv4, IPv6 and IPv4-mapped", () => {
  const allow = allowList(["192.0.2.0/24", "2001:db8::/32", "127.0.0.1"]);
  assertEquals(
    [
      "192.0.2.77",
      "192.0.3.1",
      "::ffff:192.0.2.5",
      "2001:db8:1::5",
      "2001:db9::1",
      "127.0.0.1",
      "127.0.0.2",
      "junk",
    ]
      .map(allow),
    [true, false, true, true, false, true, false, false],
  );
  const run = memoryPipeline();
  const correlator = new Correlator({
    emit: () => {},
    evtType: "t",
    cacheSeconds: 60,
    maxEntries: 10,
  });
  const pipeline = new Pipeline({ correlator, allow });
  pipeline.handle(packet({ code: "u", pseq: 0, stod: 1 }, textBody(1, "xroot/x.1:2@h")), {
    hostname: "10.1.1.1",
    port: 1,
  }, 1);
  pipeline.handle(packet({ code: "u", pseq: 0, stod: 1 }, textBody(1, "xroot/x.1:2@h")), {
    hostname: "192.0.2.1",
    port: 1,
  }, 1);
  assertEquals(pipeline.metrics.denied, 1);
  assertEquals(pipeline.serversTracked, 1);
  assertEquals(run.pipeline.serversTracked, 0);
  assertEquals(parseOptions(["--allow=10.0.0.0/8", "--allow", "::1"]).allow, ["10.0.0.0/8", "::1"]);
  assertThrows(() => parseOptions(["--allow=10.0.0.0/40"]), UsageError, "--allow");
});
