// What a bus sink sends again after a connection ends half-way through a batch. A real broker
// cannot be made to drop its connection between taking a message and confirming it on cue, so
// these publishers are in-process fakes; tests/collector_bus/ runs the same sink against
// RabbitMQ and ActiveMQ.
import assert from "node:assert/strict";
import { BusSink } from "./bus_sink.ts";
import { type BusMessage, type Publisher, PublishFailure } from "./publisher.ts";
import { parseBusTarget } from "../../../lib/bus/mod.ts";
import { syntheticCloses } from "../../../tests/collector_search/fixtures.ts";

/** A broker as the sink sees it: every message it holds, in arrival order. */
class FakeBroker {
  readonly held: string[] = [];
  connections = 0;
  /** Called with each batch of each connection; returns how the batch ends. */
  constructor(
    readonly onBatch: (
      connection: number,
      messages: readonly BusMessage[],
    ) => { take: number; confirm: number } | "hang",
  ) {}

  connect(): Promise<Publisher> {
    const connection = ++this.connections;
    let broken = false;
    return Promise.resolve({
      get broken() {
        return broken;
      },
      publish: (messages: readonly BusMessage[]) => {
        const outcome = this.onBatch(connection, messages);
        if (outcome === "hang") return new Promise<void>(() => {});
        const { take, confirm } = outcome;
        for (const m of messages.slice(0, take)) this.held.push(m.id);
        if (confirm === messages.length) return Promise.resolve();
        broken = true;
        return Promise.reject(
          new PublishFailure(
            "channel closed",
            messages.map((_, i) => i < confirm),
            take - confirm,
          ),
        );
      },
      close: () => Promise.resolve(),
    });
  }
}

async function run(broker: FakeBroker, records: number, publishTimeoutMs?: number) {
  const sink = await BusSink.open({
    target: parseBusTarget("amqp://127.0.0.1:5672/?exchange=xrd&routing_key=k"),
    record: { producer: "cms", type: "aaa-ng", host: "test" },
    flushIntervalMs: 50,
    batchSize: 100,
    spoolMaxBytes: 1 << 20,
    closeTimeoutMs: 0,
    publishTimeoutMs,
    connect: () => broker.connect(),
  });
  for (const doc of syntheticCloses(1, records, "2026-12-03T00:00:00Z")) sink.write(doc);
  const emptied = await sink.drain(10_000);
  await sink.close();
  return { emptied, metrics: sink.metrics };
}

Deno.test("bus sink: a batch cut short sends again only what the broker did not confirm", async () => {
  // Connection 1 takes 7 of 10 messages, confirms 5 of them, then ends.
  const broker = new FakeBroker((connection, messages) =>
    connection === 1 ? { take: 7, confirm: 5 } : { take: messages.length, confirm: messages.length }
  );
  const { emptied, metrics } = await run(broker, 10);
  assert.ok(emptied);
  assert.equal(broker.connections, 2);
  const twice = broker.held.filter((id, i) => broker.held.indexOf(id) !== i);
  // The two taken but unconfirmed arrive twice (the 6th and 7th); the confirmed five and the three
  // never taken, once.
  assert.deepEqual(twice, [broker.held[5], broker.held[6]]);
  assert.equal(new Set(broker.held).size, 10);
  assert.equal(broker.held.length, 12);
  assert.equal(metrics.recordsInDoubt, 2);
  assert.equal(metrics.recordsPublished, 10);
  assert.equal(metrics.retries, 1);
});

Deno.test("bus sink: nothing in doubt when the connection ended before the batch left", async () => {
  const broker = new FakeBroker((connection, messages) =>
    connection === 1 ? { take: 0, confirm: 0 } : { take: messages.length, confirm: messages.length }
  );
  const { emptied, metrics } = await run(broker, 4);
  assert.ok(emptied);
  assert.equal(broker.held.length, 4);
  assert.equal(metrics.recordsInDoubt, 0);
});

Deno.test("bus sink: a batch never confirmed in time is all in doubt", async () => {
  const broker = new FakeBroker((connection, messages) =>
    connection === 1 ? "hang" : { take: messages.length, confirm: messages.length }
  );
  const { emptied, metrics } = await run(broker, 3, 200);
  assert.ok(emptied);
  assert.equal(metrics.recordsInDoubt, 3);
  assert.equal(metrics.recordsPublished, 3);
});
