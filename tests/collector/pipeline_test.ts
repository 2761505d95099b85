import { assert, assertEquals, assertThrows, runTool } from "../harness/mod.ts";
import { Correlator } from "../../collector/correlate/correlate.ts";
import { Pipeline } from "../../collector/correlate/pipeline.ts";
import { parseOptions, UsageError } from "../../collector/options.ts";
import { renderPrometheus } from "../../collector/sink/metrics.ts";
import { discRecord, fPacket, rawRecord } from "./packet_builder.ts";

Deno.test("bad packets: counted every time, logged once per sender per minute", () => {
  const logged: [string, string, number][] = [];
  const correlator = new Correlator({
    emit: () => {},
    evtType: "t",
    cacheSeconds: 60,
    maxEntries: 10,
  });
  const pipeline = new Pipeline({
    correlator,
    onReject: (sender, reason, suppressed) => logged.push([sender.hostname, reason, suppressed]),
  });
  const a = { hostname: "10.0.0.1", port: 1 };
  const b = { hostname: "10.0.0.2", port: 1 };
  for (let i = 0; i < 100; i++) pipeline.handle(new Uint8Array(5), a, 1000 + i * 0.3);
  pipeline.handle(new Uint8Array(6), b, 1010);
  pipeline.handle(new Uint8Array(7), a, 1061);
  assertEquals(pipeline.metrics.decodeErrors, 102);
  assertEquals(logged, [
    ["10.0.0.1", "datagram of 5 bytes", 0],
    ["10.0.0.2", "datagram of 6 bytes", 0],
    ["10.0.0.1", "datagram of 7 bytes", 99],
  ]);
});

Deno.test("metrics: records by type, unknown records, gaps per server in Prometheus text", () => {
  const correlator = new Correlator({
    emit: () => {},
    evtType: "t",
    cacheSeconds: 60,
    maxEntries: 10,
  });
  const pipeline = new Pipeline({ correlator });
  const from = { hostname: "10.0.0.1", port: 7 };
  pipeline.handle(
    fPacket({ pseq: 0, stod: 5 }, { tBeg: 1, tEnd: 1 }, [discRecord(1), rawRecord(42, 12)]),
    from,
    1,
  );
  pipeline.handle(fPacket({ pseq: 3, stod: 5 }, { tBeg: 1, tEnd: 1 }, [discRecord(2)]), from, 1);
  pipeline.finish(); // pseq 3 waited in the reorder window for 1 and 2
  const text = renderPrometheus(pipeline.snapshot());
  assert(text.includes('xrootd_collector_records_total{type="disc"} 2'), text);
  assert(text.includes('xrootd_collector_records_total{type="unknown"} 1'), text);
  assert(text.includes("xrootd_collector_unknown_records_total 1"), text);
  assert(text.includes('xrootd_collector_sequence_gaps_total{server="10.0.0.1:7-5"} 2'), text);
  assert(text.includes("xrootd_collector_packets_total 2"), text);
  assert(text.includes("# TYPE xrootd_collector_cache_entries gauge"), text);
});

Deno.test("options: the original's names and defaults, repeatable -s, clear errors", () => {
  const defaults = parseOptions([]);
  assertEquals(defaults.port, 9930);
  assertEquals(defaults.bind, "0.0.0.0");
  assertEquals(defaults.servers, []);
  assertEquals(defaults.time, 10);
  assertEquals(defaults.insecure, false);
  const ral = parseOptions([
    "--port=9931",
    "--evt-type=echo_xrd_fstream",
    "--time=10",
    "--cache-time=3600",
    "--insecure",
    "-s",
    "https://SERVER1:9200",
    "-s",
    "https://SERVER2:9200",
  ]);
  assertEquals(ral.port, 9931);
  assertEquals(ral.evtType, "echo_xrd_fstream");
  assertEquals(ral.insecure, true);
  assertEquals(ral.servers, ["https://SERVER1:9200", "https://SERVER2:9200"]);
  assertEquals(
    parseOptions(["-p", "1", "-b", "::", "-c", "5", "-e", "x", "-t", "2", "-i"]).cacheTime,
    5,
  );
  assertThrows(() => parseOptions(["--port=abc"]), UsageError, "--port");
  assertThrows(() => parseOptions(["--time=0"]), UsageError, "--time");
  assertThrows(() => parseOptions(["--bogus"]), UsageError);
});

Deno.test("CLI: --help on stdout, a bad option is one line on stderr and exit 2", async () => {
  const help = await runTool("xrootd-fstream-collector", ["--help"]);
  assertEquals(help.code, 0);
  assert(help.stdout.includes("--cache-time=CACHE_TIME"), help.stdout);
  const bad = await runTool("xrootd-fstream-collector", ["--port=notaport"]);
  assertEquals(bad.code, 2);
  assertEquals(bad.stdout, "");
  assertEquals(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assert(bad.stderr.includes("--port"), bad.stderr);
});

Deno.test("CLI: a UDP port already in use is one clear error line and exit 1", async () => {
  const busy = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  try {
    const port = (busy.addr as Deno.NetAddr).port;
    const result = await runTool("xrootd-fstream-collector", [
      "--bind=127.0.0.1",
      `--port=${port}`,
    ]);
    assertEquals(result.code, 1);
    assertEquals(result.stdout, "");
    const lines = result.stderr.trim().split("\n");
    assertEquals(lines.length, 1, result.stderr);
    assert(lines[0].includes(`cannot listen on udp 127.0.0.1:${port}`), lines[0]);
  } finally {
    busy.close();
  }
});
