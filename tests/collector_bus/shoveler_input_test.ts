// Shoveler envelopes consumed from the bus give the documents of `--replay`: every shared
// capture published as shoveler messages to RabbitMQ (AMQP queue) and ActiveMQ (STOMP queue);
// and two collectors sharing the bus (shard 0/2 and 1/2 of one fan-out) give together exactly
// the document set of one collector (sharded fan-out, and a consistent-hash exchange); a
// consuming collector killed -9 and restarted loses no record (acknowledged only once spooled),
// not even one whose datagrams were still held back for resequencing at the kill.
import { assert, assertEquals, tempDir } from "../harness/mod.ts";
import { BOTH_BROKERS, requirePrograms, startBroker } from "../harness/mod.ts";
import { transferDatagrams } from "../collector_search/stream.ts";
import {
  bindQueue,
  captureWithSenders,
  drainAmqp,
  publishEnvelopesAmqp,
  publishEnvelopesStomp,
} from "./bus_clients.ts";
import { testDataPath } from "../harness/test_data.ts";
import { readDocuments, runCollector, spawnCollector, waitForDocuments } from "./run_collector.ts";

const CAPTURES = ["read_single", "write_single", "parallel_small"];

/**
 * Documents keyed by id, without what is the arrival time (the bus has its own clock): the
 * add time, and the `@timestamp` of logins (their arrival; other kinds carry record times).
 */
function comparable(docs: Record<string, unknown>[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const doc of docs) {
    const { xrd_record_add_time: _t, ...rest } = doc;
    if (doc.xrd_msg_type === "user_connection") delete rest["@timestamp"];
    const id = `${doc.xrd_msg_type}:${doc.xrd_file_uniq_id ?? doc.xrd_user_uniq_id}`;
    assert(!out.has(id), `duplicate document ${id}`);
    out.set(id, JSON.stringify(rest));
  }
  return out;
}

async function replayDocuments(capture: string): Promise<Record<string, unknown>[]> {
  const r = await runCollector(["--replay", testDataPath("xrootd", `${capture}.ndjson`)]);
  assertEquals(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

Deno.test(requirePrograms(BOTH_BROKERS, {
  name: "shoveler input over AMQP and STOMP equals --replay; two collectors equal one",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using rabbitmq = await startBroker("rabbitmq");
    await using activemq = await startBroker("activemq");
    await using dir = await tempDir("xrd-shoveler-");
    const amqpPort = rabbitmq.amqpPort!;

    for (const capture of CAPTURES) {
      await t.step(`${capture} via AMQP and STOMP`, async () => {
        const expected = comparable(await replayDocuments(capture));
        const datagrams = await captureWithSenders(`${capture}.ndjson`);
        const queue = `shoveler.${capture}`;
        await bindQueue(amqpPort, "shoveler", "fanout", queue, "");
        await publishEnvelopesAmqp(amqpPort, "shoveler", datagrams);
        await publishEnvelopesStomp(activemq.stompPort, `/queue/${queue}`, datagrams);
        for (
          const [name, url] of [
            ["amqp", `amqp://guest:guest@127.0.0.1:${amqpPort}/?queue=${queue}`],
            ["stomp", `stomp://127.0.0.1:${activemq.stompPort}/queue/${queue}`],
          ]
        ) {
          const out = dir.join(`${capture}.${name}.ndjson`);
          const collector = await spawnCollector(
            ["--bus-input", url, "--output", out, "-t", "1"],
            /consuming shoveler messages/,
          );
          const docs = await waitForDocuments(out, expected.size);
          assertEquals(await collector.stop(), 0, collector.stderr());
          assertEquals(comparable(docs), expected, `${name} input`);
        }
        // Everything was acknowledged: the queue is empty for the next consumer.
      });
    }

    await t.step("two collectors on one bus = one collector", async () => {
      // Six servers (distinct remotes), 15 transfers each, plus the three captures.
      const datagrams = [];
      for (let server = 0; server < 6; server++) {
        for (let n = 1; n <= 15; n++) {
          for (const bytes of transferDatagrams(n)) {
            datagrams.push({ bytes, sender: { hostname: `10.0.0.${server + 1}`, port: 1094 } });
          }
        }
      }
      for (const capture of CAPTURES) {
        datagrams.push(...await captureWithSenders(`${capture}.ndjson`));
      }
      for (const q of ["fan.one", "fan.s0", "fan.s1"]) {
        await bindQueue(amqpPort, "shoveler.fan", "fanout", q, "");
      }
      await publishEnvelopesAmqp(amqpPort, "shoveler.fan", datagrams);
      const url = (q: string, shard?: string) =>
        `amqp://guest:guest@127.0.0.1:${amqpPort}/?queue=${q}${shard ? `&shard=${shard}` : ""}`;
      const run = async (name: string, q: string, shard?: string) => {
        const out = dir.join(`${name}.ndjson`);
        const c = await spawnCollector(
          ["--bus-input", url(q, shard), "--output", out, "-t", "1"],
          /consuming shoveler messages/,
        );
        return { out, c };
      };
      const runs = [
        await run("one", "fan.one"),
        await run("s0", "fan.s0", "0/2"),
        await run("s1", "fan.s1", "1/2"),
      ];
      const total = 6 * 15 * 3 + 58;
      const one = await waitForDocuments(runs[0].out, total);
      const s0 = await waitForDocuments(runs[1].out, 1, 60_000, 3000);
      const s1 = await waitForDocuments(runs[2].out, 1, 60_000, 3000);
      for (const r of runs) assertEquals(await r.c.stop(), 0, r.c.stderr());
      assertEquals(one.length, total);
      assert(s0.length > 0 && s1.length > 0, `both shards used: ${s0.length} + ${s1.length}`);
      const union = comparable([...s0, ...s1]);
      assertEquals(union.size, one.length, `${s0.length} + ${s1.length} vs ${one.length}`);
      assertEquals(union, comparable(one));
    });

    await t.step("two collectors behind a consistent-hash exchange = one collector", async () => {
      // The publisher puts the server (`remote`) in the routing key; the exchange sends each
      // key to one of the two queues, each consumed by one collector without `shard`.
      const datagrams = [];
      for (let server = 0; server < 8; server++) {
        for (let n = 1; n <= 10; n++) {
          for (const bytes of transferDatagrams(n)) {
            datagrams.push({ bytes, sender: { hostname: `10.1.0.${server + 1}`, port: 1094 } });
          }
        }
      }
      for (const q of ["hash.a", "hash.b"]) {
        await bindQueue(amqpPort, "shoveler.hash", "x-consistent-hash", q, "1");
      }
      await bindQueue(amqpPort, "shoveler.all", "fanout", "hash.one", "");
      const byRemote = (s: { hostname: string; port: number }) => `${s.hostname}:${s.port}`;
      await publishEnvelopesAmqp(amqpPort, "shoveler.hash", datagrams, byRemote);
      await publishEnvelopesAmqp(amqpPort, "shoveler.all", datagrams);
      const outs = [];
      for (const q of ["hash.one", "hash.a", "hash.b"]) {
        const out = dir.join(`${q}.ndjson`);
        const c = await spawnCollector([
          "--bus-input",
          `amqp://guest:guest@127.0.0.1:${amqpPort}/?queue=${q}`,
          "--output",
          out,
          "-t",
          "1",
        ], /consuming shoveler messages/);
        outs.push({ out, c });
      }
      const total = 8 * 10 * 3;
      const one = await waitForDocuments(outs[0].out, total);
      const a = await waitForDocuments(outs[1].out, 1, 60_000, 3000);
      const b = await waitForDocuments(outs[2].out, 1, 60_000, 3000);
      for (const r of outs) assertEquals(await r.c.stop(), 0, r.c.stderr());
      assertEquals(one.length, total);
      assert(a.length > 0 && b.length > 0, `both queues used: ${a.length} + ${b.length}`);
      assertEquals(comparable([...a, ...b]), comparable(one));
    });

    await t.step(
      "killed -9 while datagrams wait in the reorder window: they come again",
      async () => {
        // A server first heard at sequence 1, not 0: its datagrams wait the reorder timeout (30 s
        // here) for an earlier one, so at the kill they have produced nothing yet.
        await bindQueue(amqpPort, "shoveler.held", "fanout", "held.in", "");
        const sender = { hostname: "10.3.0.1", port: 1094 };
        const datagrams = [];
        for (let n = 2; n <= 6; n++) {
          for (const bytes of transferDatagrams(n)) datagrams.push({ bytes, sender });
        }
        await publishEnvelopesAmqp(amqpPort, "shoveler.held", datagrams);
        const url = `amqp://guest:guest@127.0.0.1:${amqpPort}/?queue=held.in`;
        const firstOut = dir.join("held.first.ndjson");
        const first = await spawnCollector(
          ["--bus-input", url, "--output", firstOut, "-t", "1", "--reorder-timeout", "30"],
          /consuming shoveler messages/,
        );
        // Long enough for every batch to be handled and settled (100 ms batches, 1 s flushes).
        await new Promise((r) => setTimeout(r, 3000));
        assertEquals(await first.stop("SIGKILL"), 137);
        assertEquals((await readDocuments(firstOut)).length, 0, "held datagrams produced nothing");
        const secondOut = dir.join("held.second.ndjson");
        const second = await spawnCollector(
          ["--bus-input", url, "--output", secondOut, "-t", "1"],
          /consuming shoveler messages/,
        );
        const docs = await waitForDocuments(secondOut, 10, 30_000);
        assertEquals(await second.stop(), 0, second.stderr());
        const lfns = new Set(docs.map((d) => d.xrd_lfn).filter((l) => l !== undefined));
        assertEquals(
          [...lfns].sort(),
          [2, 3, 4, 5, 6].map((n) => `/store/outage/f${n}.dat`),
          JSON.stringify(docs.map((d) => d.xrd_msg_type)),
        );
      },
    );

    await t.step("consumer killed -9 mid-stream: no record lost", async () => {
      await bindQueue(amqpPort, "shoveler.crash", "fanout", "crash.in", "");
      await bindQueue(amqpPort, "xrd.crash", "topic", "crash.out", "out");
      const args = [
        "--bus-input",
        `amqp://guest:guest@127.0.0.1:${amqpPort}/?queue=crash.in`,
        "--bus",
        `amqp://guest:guest@127.0.0.1:${amqpPort}/?exchange=xrd.crash&routing_key=out`,
        "--bus-spool-dir",
        dir.join("crash-spool"),
        "-t",
        "1",
      ];
      const TRANSFERS = 240;
      const sender = { hostname: "10.2.0.1", port: 1094 };
      // Published in 24 bursts 250 ms apart while the collector consumes; it is killed after
      // about 2 s and started again on the same spool.
      const publishing = (async () => {
        for (let from = 1; from <= TRANSFERS; from += 10) {
          const batch = [];
          for (let n = from; n < from + 10; n++) {
            for (const bytes of transferDatagrams(n)) batch.push({ bytes, sender });
          }
          await publishEnvelopesAmqp(amqpPort, "shoveler.crash", batch);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      const first = await spawnCollector(args, /consuming shoveler messages/);
      await new Promise((r) => setTimeout(r, 2000));
      assertEquals(await first.stop("SIGKILL"), 137);
      const second = await spawnCollector(args, /consuming shoveler messages/);
      await publishing;
      const records = await drainAmqp(amqpPort, "crash.out", TRANSFERS, 60_000, 3000);
      assertEquals(await second.stop(), 0, second.stderr());
      const lfns = new Set(records.map(({ body }) => body.file_lfn as string));
      assertEquals(lfns.size, TRANSFERS, `${records.length} records`);
      // A batch handled but not yet acknowledged at the kill comes again, with the same ids.
      const ids = new Map<string, string>();
      for (const { body } of records) {
        const lfn = body.file_lfn as string;
        assertEquals(ids.get(lfn) ?? body.unique_id, body.unique_id, lfn);
        ids.set(lfn, body.unique_id as string);
      }
    });
  },
}));
