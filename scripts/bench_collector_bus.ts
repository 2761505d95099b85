/**
 * Message-bus benchmarks on real private brokers (`scripts/broker.sh`): WLCG records/s
 * published by the bus sink (durable spool) to ActiveMQ over STOMP, RabbitMQ over STOMP and
 * RabbitMQ over AMQP, and shoveler envelope messages/s consumed from a RabbitMQ queue into the
 * pipeline (decode + correlate + records into a bus-less counting sink). Skips (exit 0) when
 * the brokers are not installed. `BENCH_BUS_RECORDS` (default 20000) and
 * `BENCH_BUS_ENVELOPES` (default 20000) set the sizes.
 *
 * @module
 */
import { BusSink } from "../collector/sink/bus/mod.ts";
import { parseBusTarget } from "../lib/bus/mod.ts";
import { runBusInput } from "../collector/listen/bus_input.ts";
import { Correlator, Pipeline } from "../collector/correlate/mod.ts";
import { BOTH_BROKERS, type Broker, startBroker } from "../tests/harness/broker.ts";
import { missingLine, missingPrograms } from "../tests/harness/programs.ts";
import { syntheticCloses } from "../tests/collector_search/fixtures.ts";
import { streamDatagrams } from "../tests/collector_search/stream.ts";
import { bindQueue, drainAmqp, publishEnvelopesAmqp } from "../tests/collector_bus/bus_clients.ts";
import { loadAverage } from "./process_figures.ts";

const RECORDS = Number(Deno.env.get("BENCH_BUS_RECORDS") ?? 20_000);
const ENVELOPES = Number(Deno.env.get("BENCH_BUS_ENVELOPES") ?? 20_000);

async function publishRate(url: string, spoolDir: string): Promise<number> {
  const sink = await BusSink.open({
    target: parseBusTarget(url),
    record: { producer: "cms", type: "aaa-ng", host: "bench" },
    flushIntervalMs: 1000,
    batchSize: 500,
    spoolDir,
    spoolMaxBytes: 1 << 30,
  });
  const docs = syntheticCloses(1, RECORDS, "2026-11-23T00:00:00Z");
  const started = performance.now();
  for (const doc of docs) sink.write(doc);
  const emptied = await sink.drain(300_000);
  const seconds = (performance.now() - started) / 1000;
  await sink.close();
  if (!emptied) throw new Error(`${url}: spool not empty after 300 s`);
  return RECORDS / seconds;
}

async function consumeRate(broker: Broker): Promise<number> {
  const port = broker.amqpPort!;
  await bindQueue(port, "bench.shoveler", "fanout", "bench.in", "");
  const transfers = Math.ceil(ENVELOPES / 2);
  const datagrams = streamDatagrams(1, transfers).map((bytes) => ({
    bytes,
    sender: { hostname: "10.1.1.1", port: 1094 },
  }));
  await publishEnvelopesAmqp(port, "bench.shoveler", datagrams);
  let docs = 0;
  const correlator = new Correlator({
    emit: () => docs++,
    evtType: "xrd_fstream",
    cacheSeconds: 3600,
    maxEntries: 1_000_000,
  });
  const pipeline = new Pipeline({ correlator });
  const stop = new AbortController();
  let started = 0;
  let handled = 0;
  const run = runBusInput({
    target: parseBusTarget(`amqp://guest:guest@127.0.0.1:${port}/?queue=bench.in`),
    handle: (bytes, sender, now) => {
      if (handled++ === 0) started = performance.now();
      pipeline.handle(bytes, sender, now);
      if (handled === datagrams.length) stop.abort();
    },
    settle: () => Promise.resolve(),
    signal: stop.signal,
  });
  const timer = setTimeout(() => stop.abort(), 300_000);
  await run;
  clearTimeout(timer);
  if (handled < datagrams.length) throw new Error(`consumed ${handled} of ${datagrams.length}`);
  return handled / ((performance.now() - started) / 1000);
}

const missing = missingPrograms(BOTH_BROKERS);
if (missing.length > 0) {
  console.log(`skipped: ${missingLine("bench_collector_bus", missing)}`);
  Deno.exit(0);
}
const dir = await Deno.makeTempDir({ prefix: "xrd-bench-bus-" });
await using activemq = await startBroker("activemq");
await using rabbitmq = await startBroker("rabbitmq");
await bindQueue(rabbitmq.amqpPort!, "bench.wlcg", "topic", "bench.wlcg", "#");
const results: [string, number][] = [];
console.error("bench_collector_bus: brokers up, publishing");
results.push([
  "STOMP → ActiveMQ records/s",
  await publishRate(`stomp://127.0.0.1:${activemq.stompPort}/queue/bench.wlcg`, `${dir}/a`),
]);
results.push([
  "STOMP → RabbitMQ records/s",
  await publishRate(
    `stomp://guest:guest@127.0.0.1:${rabbitmq.stompPort}/queue/bench.wlcg.stomp`,
    `${dir}/rs`,
  ),
]);
results.push([
  "AMQP → RabbitMQ records/s",
  await publishRate(
    `amqp://guest:guest@127.0.0.1:${rabbitmq.amqpPort}/?exchange=bench.wlcg&routing_key=r`,
    `${dir}/ra`,
  ),
]);
console.error("bench_collector_bus: published, consuming");
// Empty the record queue so RabbitMQ does not hold it in memory for the consume run.
await drainAmqp(rabbitmq.amqpPort!, "bench.wlcg", RECORDS, 60_000, 0);
results.push(["shoveler envelopes consumed/s (AMQP)", await consumeRate(rabbitmq)]);
const loadavg = loadAverage();
for (const [name, rate] of results) {
  console.log(`${name.padEnd(40)} ${Math.round(rate).toString().padStart(8)}   (load ${loadavg})`);
}
await Deno.remove(dir, { recursive: true }).catch(() => {});
