/**
 * Hostile-input measurement (issue 19 item 2): a collector subprocess receives, for
 * `FLOOD_SECONDS` (default 10), `RATE` (default 15,000) spoofed datagrams per second, each with
 * a fresh server identity (a new `stod`); prints its RSS and `/metrics` size before and after.
 *
 * Kinds (`FLOOD_KIND`): `header` (8-byte datagrams, the probe's attack: they decode to nothing
 * and must leave no state), `login` (well-formed `u` packets, each a new server process: the
 * server table's bound holds), `both` (default: one run of each).
 *
 * Run: `deno run -A scripts/flood_collector.ts [RATE]`
 *
 * @module
 */
import { packet, textBody } from "../tests/collector/packet_builder.ts";
import { MmsgSender } from "./udp_sendmmsg.ts";
import { metricValue, rssMiB, spawnCollector } from "./collector_probe.ts";

const rate = Number(Deno.args[0] ?? 15_000);
const seconds = Number(Deno.env.get("FLOOD_SECONDS") ?? 10);
const kindEnv = Deno.env.get("FLOOD_KIND") ?? "both";
const kinds = kindEnv === "both" ? ["header", "login"] : [kindEnv];
const BATCH = 50;

function datagrams(kind: string, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const stod = 1_000_000_000 + i;
    out.push(
      kind === "header"
        ? packet({ code: "u", pseq: i & 0xff, stod }, new Uint8Array(0))
        : packet({ code: "u", pseq: i & 0xff, stod }, textBody(1, "xroot/x.1:2@h")),
    );
  }
  return out;
}

for (const kind of kinds) {
  const { child, port, metrics } = await spawnCollector([]);
  const metricsBytes = async () => (await (await fetch(metrics)).text()).length;
  const before = { rssMiB: rssMiB(child.pid), metricsBytes: await metricsBytes() };
  const total = rate * seconds;
  const packets = datagrams(kind, total);
  const sender = new MmsgSender("127.0.0.1", port);
  const send = sender.prepare(packets, BATCH);
  let sent = 0;
  let n = 0;
  const started = performance.now();
  while (sent < total) {
    const due = Math.min(total, ((performance.now() - started) / 1000) * rate + BATCH);
    while (sent + BATCH <= due && sent < total) sent += Math.max(0, send(n++));
    await new Promise((r) => setTimeout(r, 1));
  }
  sender.close();
  const sendSeconds = (performance.now() - started) / 1000;
  let received = -1;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await metricValue(metrics, "xrootd_collector_packets_total");
    if (now === received) break;
    received = now;
  }
  const after = { rssMiB: rssMiB(child.pid), metricsBytes: await metricsBytes() };
  const tracked = await metricValue(metrics, "xrootd_collector_servers_tracked");
  const evicted = await metricValue(metrics, "xrootd_collector_servers_evicted_total");
  child.kill("SIGTERM");
  await child.status;
  console.log(JSON.stringify({
    bench: "collector-flood",
    kind,
    rate,
    seconds,
    sent,
    achievedRate: Math.round(sent / sendSeconds),
    received,
    before,
    after,
    serversTracked: tracked,
    serversEvicted: evicted,
    loadAverage: Deno.loadavg()[0],
  }));
}
