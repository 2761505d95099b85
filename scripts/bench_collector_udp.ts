/**
 * Loopback throughput of the running collector: sends synthetic monitoring packets (logins
 * and f-stream packets with an open and a close each) at fixed rates to a collector
 * subprocess and compares what it counted (`/metrics`) with what was sent. Target: zero loss
 * at ≥ 100,000 packets/s.
 *
 * Run: `deno run -A scripts/bench_collector_udp.ts [RATE…]` (default rates 50k 100k 150k 200k);
 * CPU is counted from `/proc` between the collector's start-up and the moment its packet count
 * settles (so it includes JIT warm-up, the 1 s flushes and the `/metrics` polls, and is per
 * packet *received*): for the whole process, its main (decoding) thread, and each thread by
 * name (`worker-…` are the receiving and output threads, the output thread also building the
 * NDJSON lines from the main thread's document frames, `V8 DefaultWorke` V8's GC and
 * compiler helpers); with the main thread's minor page faults and the peak RSS.
 *
 * `BENCH_SECONDS` sets the length of each run (default 2); `BENCH_RECEIVE_BUFFER=BYTES` passes `--receive-buffer` to the collector; `BENCH_SENDER=deno`
 * sends with Deno's `send` instead of batched `sendmmsg` (FFI); `BENCH_DENO_FLAGS="--cpu-prof
 * --cpu-prof-dir=DIR"` profiles the collector (flags given to its `deno run`).
 *
 * @module
 */
import { buildWorkload } from "../tests/collector/workload.ts";
import { MmsgSender } from "./udp_sendmmsg.ts";
import { cpuSeconds, metricValue as metric, spawnCollector } from "./collector_probe.ts";
import { loadAverage, memoryMiB, type ThreadFigures, threadFigures } from "./process_figures.ts";

/** CPU µs per packet of each thread name (threads of one name summed) between two readings. */
function perThread(
  before: Map<number, ThreadFigures>,
  after: Map<number, ThreadFigures>,
  packets: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [tid, t] of after) {
    const spent = t.cpu - (before.get(tid)?.cpu ?? 0);
    if (spent > 0) out[t.name] = (out[t.name] ?? 0) + (spent * 1e6) / packets;
  }
  for (const name in out) out[name] = Number(out[name].toFixed(2));
  return out;
}

function counted(metrics: string): Promise<number> {
  return metric(metrics, "xrootd_collector_packets_total");
}

async function settle(metrics: string): Promise<number> {
  let last = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await counted(metrics);
    if (now === last) return now;
    last = now;
  }
}

const rates = Deno.args.length > 0 ? Deno.args.map(Number) : [50_000, 100_000, 150_000, 200_000];
const BATCH = 50;
// sendmmsg (Linux, FFI) unless BENCH_SENDER=deno asks for one Deno send per datagram.
const useMmsg = Deno.build.os === "linux" && Deno.env.get("BENCH_SENDER") !== "deno";
const seconds = Number(Deno.env.get("BENCH_SECONDS") ?? 2);
const workload = buildWorkload({ packets: 20_000, filesPerPacket: 1 });
const packets = workload.packets;
const bytes = packets.reduce((n, p) => n + p.length, 0);
console.error(
  `workload: ${packets.length} distinct packets, mean ${(bytes / packets.length).toFixed(0)} bytes`,
);

for (const rate of rates) {
  const { child, port, metrics } = await spawnCollector([
    "--time=1",
    ...(Deno.env.get("BENCH_RECEIVE_BUFFER") === undefined
      ? []
      : [`--receive-buffer=${Deno.env.get("BENCH_RECEIVE_BUFFER")}`]),
  ], Deno.env.get("BENCH_DENO_FLAGS")?.split(" ").filter((f) => f !== "") ?? []);
  const total = rate * seconds;
  const cpuBefore = cpuSeconds(child.pid);
  const threadsBefore = threadFigures(child.pid);
  let sent = 0;
  const started = performance.now();
  if (useMmsg) {
    // Batches of 50 per sendmmsg call, paced against the clock.
    const sender = new MmsgSender("127.0.0.1", port);
    const send = sender.prepare(packets, BATCH);
    let n = 0;
    while (sent < total) {
      const due = Math.min(total, ((performance.now() - started) / 1000) * rate + BATCH);
      while (sent + BATCH <= due) sent += Math.max(0, send(n++));
      if (sent + BATCH > due) await new Promise((r) => setTimeout(r, 1));
    }
    sender.close();
  } else {
    const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    const target: Deno.NetAddr = { transport: "udp", hostname: "127.0.0.1", port };
    const perTick = Math.max(1, Math.round(rate / 1000));
    while (sent < total) {
      const due = Math.min(
        total,
        Math.floor(((performance.now() - started) / 1000) * rate) + perTick,
      );
      while (sent < due) await socket.send(packets[sent++ % packets.length], target);
      const ahead = (sent / rate) * 1000 - (performance.now() - started);
      if (ahead > 1) await new Promise((r) => setTimeout(r, ahead));
    }
    socket.close();
  }
  const sendSeconds = (performance.now() - started) / 1000;
  const received = await settle(metrics);
  const queueDropped = await metric(metrics, "xrootd_collector_receive_queue_dropped_total");
  const cpuAfter = cpuSeconds(child.pid);
  const threadsAfter = threadFigures(child.pid);
  const peakRss = memoryMiB(child.pid).peak;
  const perPacket = (key: "total" | "main") =>
    cpuBefore === undefined || cpuAfter === undefined
      ? undefined
      : Number((((cpuAfter[key] - cpuBefore[key]) * 1e6) / received).toFixed(2));
  const load = Deno.loadavg()[0];
  const mainFaults = (threadsAfter.get(child.pid)?.minorFaults ?? 0) -
    (threadsBefore.get(child.pid)?.minorFaults ?? 0);
  child.kill("SIGTERM");
  await child.status;
  console.log(JSON.stringify({
    bench: "collector-udp-loopback",
    targetRate: rate,
    sender: useMmsg ? "sendmmsg" : "deno",
    sent,
    achievedSendRate: Math.round(sent / sendSeconds),
    received,
    lost: sent - received,
    lostInQueue: queueDropped,
    lostInKernel: sent - received - queueDropped,
    lossPercent: Number((((sent - received) / sent) * 100).toFixed(3)),
    // CPU per packet handled: whole collector, and its main (decoding) thread.
    cpuMicrosPerPacket: perPacket("total"),
    mainThreadCpuMicrosPerPacket: perPacket("main"),
    threadCpuMicrosPerPacket: perThread(threadsBefore, threadsAfter, received),
    mainThreadMinorFaultsPerPacket: Number((mainFaults / received).toFixed(3)),
    peakRssMiB: Number(peakRss.toFixed(0)),
    loadAverage: load,
    loadAverages: loadAverage(),
  }));
}
