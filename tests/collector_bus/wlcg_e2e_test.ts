// Every shared capture through the collector with a STOMP sink (ActiveMQ) and an AMQP sink
// (RabbitMQ) at once: the consumed records equal the expectation files, and `unique_id` is the
// same across two runs and both brokers.
import { assert, assertEquals } from "../harness/mod.ts";
import { BOTH_BROKERS, requirePrograms, startBroker } from "../harness/mod.ts";
import { bindQueue, type Consumed, drainAmqp, drainStomp } from "./bus_clients.ts";
import { testDataPath } from "../harness/test_data.ts";
import { runCollector } from "./run_collector.ts";

const CAPTURES = ["read_single", "write_single", "parallel_small"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function withoutIds(records: Consumed[]): Record<string, unknown>[] {
  return records.map(({ body }): Record<string, unknown> => {
    const { unique_id: _u, metadata, ...rest } = body as {
      unique_id: string;
      metadata: Record<string, unknown>;
    };
    const { _id: _i, host: _h, ...meta } = metadata;
    return { ...rest, metadata: meta };
  }).sort((a, b) => String(a.file_lfn).localeCompare(String(b.file_lfn)));
}

function uniqueIds(records: Consumed[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { body } of records) {
    const id = body.unique_id as string;
    assert(UUID.test(id), id);
    assertEquals((body.metadata as { _id: string })._id, id);
    out.set(body.file_lfn as string, id);
  }
  return out;
}

Deno.test(requirePrograms(BOTH_BROKERS, {
  name: "captures → WLCG records over STOMP (ActiveMQ) and AMQP (RabbitMQ), ids stable",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using activemq = await startBroker("activemq");
    await using rabbitmq = await startBroker("rabbitmq");
    const amqpPort = rabbitmq.amqpPort!;
    for (const capture of CAPTURES) {
      await t.step(capture, async () => {
        const expected = JSON.parse(
          await Deno.readTextFile(new URL(`./expected/${capture}.wlcg.json`, import.meta.url)),
        );
        const ids: Map<string, string>[] = [];
        for (const run of [1, 2]) {
          const queue = `wlcg.${capture}.${run}`;
          await bindQueue(amqpPort, "xrd.wlcg", "topic", queue, `${capture}.${run}`);
          const result = await runCollector([
            "--replay",
            testDataPath("xrootd", `${capture}.ndjson`),
            "-t",
            "1",
            "--bus",
            `stomp://127.0.0.1:${activemq.stompPort}/queue/${queue}`,
            "--bus",
            `amqp://guest:guest@127.0.0.1:${amqpPort}/?exchange=xrd.wlcg&routing_key=${capture}.${run}`,
          ]);
          assertEquals(result.code, 0, result.stderr);
          const stomp = await drainStomp(activemq.stompPort, `/queue/${queue}`, expected.length);
          const amqp = await drainAmqp(amqpPort, queue, expected.length);
          assertEquals(withoutIds(stomp), expected, "STOMP records");
          assertEquals(withoutIds(amqp), expected, "AMQP records");
          // MONIT headers on both transports.
          for (const m of [...stomp, ...amqp]) {
            assertEquals(m.headers.producer, "cms");
            assertEquals(m.headers.type, "aaa-ng");
          }
          const stompIds = uniqueIds(stomp);
          assertEquals(uniqueIds(amqp), stompIds);
          assertEquals(new Set(stompIds.values()).size, expected.length);
          ids.push(stompIds);
        }
        assertEquals(ids[0], ids[1], "unique_id identical across two runs");
      });
    }
  },
}));
