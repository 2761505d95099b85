// TLS to the broker is verified: with the broker's CA (`ca=`) records arrive over AMQPS and
// STOMP over TLS, also with a client certificate; without it (system roots only) nothing is
// published and the sink keeps retrying with the records spooled. And with several sinks from
// one decode, one whose broker is unreachable holds back neither the others nor the decode.
import { assert, assertEquals, tempDir } from "../harness/mod.ts";
import { BROKER_PROGRAMS, requirePrograms, startBroker } from "../harness/mod.ts";
import { BusSink } from "../../collector/sink/bus/mod.ts";
import { createSink } from "../../collector/sink/mod.ts";
import { freePort } from "../harness/mod.ts";
import { parseBusTarget } from "../../lib/bus/mod.ts";
import { syntheticCloses } from "../collector_search/fixtures.ts";
import { bindQueue, drainAmqp, drainStomp } from "./bus_clients.ts";
import { makeCertificates } from "./tls.ts";

async function publish(url: string, from: number, count: number, waitMs: number) {
  const sink = await BusSink.open({
    target: parseBusTarget(url),
    record: { producer: "cms", type: "aaa-ng", host: "test" },
    flushIntervalMs: 200,
    batchSize: 100,
    spoolMaxBytes: 1 << 24,
    closeTimeoutMs: 0,
  });
  for (const doc of syntheticCloses(from, count, "2026-11-23T00:00:00Z")) sink.write(doc);
  const emptied = await sink.drain(waitMs);
  const failure = sink.lastFailure;
  const spooled = sink.spoolStats().docs;
  await sink.close();
  return { emptied, failure, spooled, metrics: sink.metrics };
}

Deno.test(requirePrograms([...BROKER_PROGRAMS.rabbitmq, "openssl"], {
  name: "TLS to the broker is verified (AMQPS and STOMP over TLS, client certificate)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using certs = await tempDir("xrd-certs-");
    await makeCertificates(certs.path);
    await using rabbitmq = await startBroker("rabbitmq", { tlsDir: certs.path });
    const ca = `${certs.path}/ca.pem`;
    const client = `cert=${certs.path}/client.pem&key=${certs.path}/client.key`;
    await bindQueue(rabbitmq.amqpPort!, "xrd.tls", "topic", "tls.amqp", "tls");

    await t.step("AMQPS with the CA, then with a client certificate", async () => {
      const base =
        `amqps://guest:guest@127.0.0.1:${rabbitmq.amqpsPort}/?exchange=xrd.tls&routing_key=tls`;
      const a = await publish(`${base}&ca=${ca}`, 1, 5, 20_000);
      assert(a.emptied, a.failure);
      const b = await publish(`${base}&ca=${ca}&${client}`, 6, 5, 20_000);
      assert(b.emptied, b.failure);
      assertEquals((await drainAmqp(rabbitmq.amqpPort!, "tls.amqp", 10)).length, 10);
    });

    await t.step("STOMP over TLS with the CA", async () => {
      const url = `stomps://guest:guest@127.0.0.1:${rabbitmq.stompsPort}/queue/tls.stomp?ca=${ca}`;
      const r = await publish(url, 1, 5, 20_000);
      assert(r.emptied, r.failure);
      assertEquals((await drainStomp(rabbitmq.stompPort, "/queue/tls.stomp", 5, 20_000)).length, 5);
    });

    await t.step("without the CA: refused, nothing lost", async () => {
      for (
        const url of [
          `amqps://guest:guest@127.0.0.1:${rabbitmq.amqpsPort}/?exchange=xrd.tls&routing_key=tls`,
          `stomps://guest:guest@127.0.0.1:${rabbitmq.stompsPort}/queue/tls.stomp`,
        ]
      ) {
        const r = await publish(url, 1, 3, 2_000);
        assertEquals(r.emptied, false);
        assertEquals(r.spooled, 3);
        assertEquals(r.metrics.recordsPublished, 0);
        assert(/certificate|UnknownIssuer|self.signed|verify/i.test(r.failure ?? ""), r.failure);
      }
    });

    await t.step("an unreachable sink does not hold back the others", async () => {
      await bindQueue(rabbitmq.amqpPort!, "xrd.fan", "topic", "fan.live", "live");
      const { sink } = await createSink({
        servers: [],
        evtType: "xrd_fstream",
        insecure: false,
        time: 0.2,
        bus: {
          bus: [
            `stomp://127.0.0.1:${freePort()}/queue/nobody`,
            `amqp://guest:guest@127.0.0.1:${rabbitmq.amqpPort}/?exchange=xrd.fan&routing_key=live`,
          ],
          "bus-spool-dir": certs.join("spools"),
        },
      });
      const started = Date.now();
      for (const doc of syntheticCloses(1, 200, "2026-11-23T00:00:00Z")) sink.write(doc);
      await sink.flush();
      const live = await drainAmqp(rabbitmq.amqpPort!, "fan.live", 200, 20_000, 0);
      assertEquals(live.length, 200);
      assert(Date.now() - started < 20_000);
      // The dead sink's records wait in its own spool for the next run.
      let spooled = 0;
      for await (const e of Deno.readDir(certs.join("spools/bus-0-stomp"))) {
        if (e.name.startsWith("seg-")) spooled++;
      }
      assert(spooled > 0);
      const closing = sink.close();
      await closing;
    });
  },
}));

Deno.test(requirePrograms([...BROKER_PROGRAMS.activemq, "openssl", "keytool"], {
  name: "STOMP over TLS to ActiveMQ is verified (CA, client certificate, refused without)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using certs = await tempDir("xrd-certs-");
    await makeCertificates(certs.path);
    await using activemq = await startBroker("activemq", { tlsDir: certs.path });
    const base = `stomps://127.0.0.1:${activemq.stompsPort}/queue/tls.activemq`;
    const a = await publish(`${base}?ca=${certs.path}/ca.pem`, 1, 4, 30_000);
    assert(a.emptied, a.failure);
    const b = await publish(
      `${base}?ca=${certs.path}/ca.pem&cert=${certs.path}/client.pem&key=${certs.path}/client.key`,
      5,
      4,
      30_000,
    );
    assert(b.emptied, b.failure);
    const got = await drainStomp(activemq.stompPort, "/queue/tls.activemq", 8, 30_000);
    assertEquals(
      got.map(({ body }) => body.file_lfn).sort(),
      [
        ...syntheticCloses(1, 8, "2026-11-23T00:00:00Z").map((d) => d.body.xrd_lfn),
      ].sort(),
    );
    // The system roots do not hold the test CA: nothing is published, all of it stays spooled.
    const refused = await publish(base, 9, 3, 2_000);
    assertEquals([refused.emptied, refused.spooled, refused.metrics.recordsPublished], [
      false,
      3,
      0,
    ]);
    assert(
      /certificate|UnknownIssuer|self.signed|verify/i.test(refused.failure ?? ""),
      refused.failure,
    );
  },
}));
