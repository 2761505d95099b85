// Nothing lost, nothing doubled: both brokers (RabbitMQ for the AMQP sink, ActiveMQ for the
// STOMP sink) stopped for more than 60 s during a steady UDP stream, the collector killed -9
// while they are down and started again on the same spools; once the brokers are back every
// record arrives on each of them, once by unique_id except those the collector itself counted
// in doubt (sent, then the broker went away before confirming them: it may have kept them).
import { assert, assertEquals, tempDir } from "../harness/mod.ts";
import { BOTH_BROKERS, requirePrograms, startBroker } from "../harness/mod.ts";
import { Sender, startCollector } from "../collector_search/collector_proc.ts";
import { streamDatagrams } from "../collector_search/stream.ts";
import { bindQueue, type Consumed, drainAmqp, drainStomp } from "./bus_clients.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records the collector logged as in doubt at the sink whose URL starts with `scheme`. */
function inDoubt(stderr: string, scheme: string): number {
  let records = 0;
  for (const [, n, url] of stderr.matchAll(/(\d+) records in doubt at (\S+)/g)) {
    if (url.startsWith(`${scheme}://`)) records += Number(n);
  }
  return records;
}

function exactlyOnce(records: Consumed[], transfers: number, name: string, doubt: number): void {
  const byId = new Map<string, number>();
  for (const { body } of records) {
    byId.set(body.unique_id as string, (byId.get(body.unique_id as string) ?? 0) + 1);
  }
  const extra = [...byId].reduce((sum, [, n]) => sum + n - 1, 0);
  // A broker that stops while a batch awaits its confirmation may have stored it: those records
  // are sent again, and may arrive twice. Any other repeat is a fault.
  assert(extra <= doubt, `${name}: ${extra} records delivered twice, ${doubt} were in doubt`);
  const lfns = new Set(records.map(({ body }) => body.file_lfn as string));
  assertEquals(lfns.size, transfers, `${name}: ${records.length} records`);
  for (let n = 1; n <= transfers; n++) assert(lfns.has(`/store/outage/f${n}.dat`), `f${n}`);
}

Deno.test(requirePrograms(BOTH_BROKERS, {
  name: "brokers down 60 s and collector killed -9 meanwhile: every record, repeats only in doubt",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using rabbitmq = await startBroker("rabbitmq");
    await using activemq = await startBroker("activemq");
    await using dir = await tempDir("xrd-bus-outage-");
    const amqpPort = rabbitmq.amqpPort!;
    await bindQueue(amqpPort, "xrd.wlcg", "topic", "wlcg.outage", "outage");
    const args = [
      "-t",
      "1",
      "--bus",
      `stomp://127.0.0.1:${activemq.stompPort}/queue/wlcg.outage`,
      "--bus",
      `amqp://guest:guest@127.0.0.1:${amqpPort}/?exchange=xrd.wlcg&routing_key=outage`,
      "--bus-spool-dir",
      dir.join("spool"),
    ];
    const HALF = 80;
    const first = await startCollector(args);
    const sender = new Sender();
    // A steady stream (about 7 datagrams/s); both brokers stop after 5 s.
    const streaming = sender.send(first.port, streamDatagrams(1, HALF), 150);
    await sleep(5000);
    const downAt = Date.now();
    await Promise.all([rabbitmq.stop(), activemq.stop()]);
    await streaming;
    await sleep(2500); // two -t ticks: every accepted record is in the spool
    assertEquals(await first.stop("SIGKILL"), 137);
    assert(/publish to .* failed, retry/.test(first.stderr()), first.stderr());

    const second = await startCollector(args);
    assert(/holds \d+ records from an earlier run/.test(second.stderr()), second.stderr());
    await sender.send(second.port, streamDatagrams(HALF + 1, 2 * HALF), 150);
    sender.close();
    const wait = 62_000 - (Date.now() - downAt);
    if (wait > 0) await sleep(wait);
    assert(Date.now() - downAt >= 60_000);
    await Promise.all([rabbitmq.start(), activemq.start()]);

    const amqp = await drainAmqp(amqpPort, "wlcg.outage", 2 * HALF, 90_000, 3000);
    const stomp = await drainStomp(
      activemq.stompPort,
      "/queue/wlcg.outage",
      2 * HALF,
      60_000,
      3000,
    );
    assertEquals(await second.stop(), 0, second.stderr());
    const logs = first.stderr() + second.stderr();
    exactlyOnce(amqp, 2 * HALF, "AMQP", inDoubt(logs, "amqp"));
    exactlyOnce(stomp, 2 * HALF, "STOMP", inDoubt(logs, "stomp"));
    // Both brokers got the same records, with the same ids.
    const ids = (r: Consumed[]) =>
      [...new Set(r.map(({ body }) => body.unique_id as string))].sort();
    assertEquals(ids(amqp), ids(stomp));
  },
}));
