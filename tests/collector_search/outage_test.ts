// Nothing lost: the engine stopped for most of a ≥60 s steady stream, the collector restarted
// (SIGTERM, and kill -9 after a flush) while the engine is down, and failover between two `-s`
// servers. Every run must end with exactly the document ids of a run without trouble.
import {
  assert,
  assertEquals,
  requirePrograms,
  SEARCH_ENGINE_PROGRAMS,
  tempDir,
} from "../harness/mod.ts";
import { Sender, startCollector } from "./collector_proc.ts";
import { countDocs, readAll, startEngine } from "./engine.ts";
import { streamDatagrams } from "./stream.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ids normalised to what does not depend on the sender socket. */
function ids(docs: Map<string, unknown>): string[] {
  return [...docs.keys()].map((id) => id.replace(/^(\w+:).*-(\d+\.\d+)$/, "$1$2")).sort();
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A just-created index answers 503 until its shard has started: "not yet", not a failure.
    if (await check().catch(() => false)) return true;
    await sleep(1000);
  }
  return false;
}

Deno.test(requirePrograms(SEARCH_ENGINE_PROGRAMS, {
  name: "outages of the engine and of the collector lose and duplicate nothing (opensearch)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using engine = await startEngine("opensearch");
    await using dir = await tempDir("xrd-outage-");
    const args = (index: string, spool: string) => [
      "-s",
      engine.url,
      "-t",
      "1",
      "--index",
      `${index}-%Y`,
      "--replicas",
      "0",
      "--spool-dir",
      dir.join(spool),
    ];
    const TRANSFERS = 130;
    let baseline: string[] = [];

    await t.step("baseline: the stream without any outage", async () => {
      const collector = await startCollector(args("base", "s-base"));
      const sender = new Sender();
      await sender.send(collector.port, streamDatagrams(1, TRANSFERS), 5);
      sender.close();
      await sleep(500);
      assertEquals(await collector.stop(), 0, collector.stderr());
      baseline = ids(await readAll(engine.url, "base-*"));
      assertEquals(baseline.length, 3 * TRANSFERS);
    });

    await t.step("engine stopped during a 65 s steady stream, then restarted", async () => {
      const collector = await startCollector(args("outage", "s-outage"));
      const sender = new Sender();
      const started = Date.now();
      // Two transfers a second for 65 s; the engine is down from 5 s to about 55 s.
      const streaming = sender.send(collector.port, streamDatagrams(1, TRANSFERS), 250);
      await sleep(5000);
      await engine.stop();
      await sleep(45_000);
      await engine.start();
      await streaming;
      sender.close();
      assert(Date.now() - started >= 60_000);
      const delivered = await waitFor(
        async () => (await countDocs(engine.url, "outage-*")) >= baseline.length,
        60_000,
      );
      assertEquals(await collector.stop(), 0, collector.stderr());
      assert(delivered, collector.stderr());
      assertEquals(ids(await readAll(engine.url, "outage-*")), baseline);
      assert(/delivery failed, retry/.test(collector.stderr()));
    });

    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      await t.step(
        `collector ${signal} while the engine is down, restarted on its spool`,
        async () => {
          const index = signal.toLowerCase();
          await engine.stop();
          const sender = new Sender();
          const first = await startCollector(args(index, `s-${index}`));
          await sender.send(first.port, streamDatagrams(1, 60), 5);
          // Wait past a --time flush so the documents are in the spool, then stop it.
          const spooled = await waitFor(() => {
            const files = [...Deno.readDirSync(dir.join(`s-${index}`))];
            return Promise.resolve(files.some((f) => f.name.startsWith("seg-")));
          }, 20_000);
          assert(spooled, first.stderr());
          await sleep(1500);
          await first.stop(signal);
          const second = await startCollector(args(index, `s-${index}`));
          await sender.send(second.port, streamDatagrams(61, TRANSFERS), 5);
          sender.close();
          await sleep(1500);
          await engine.start();
          const delivered = await waitFor(
            async () => (await countDocs(engine.url, `${index}-*`)) >= baseline.length,
            60_000,
          );
          assertEquals(await second.stop(), 0, second.stderr());
          assert(delivered, second.stderr());
          assertEquals(ids(await readAll(engine.url, `${index}-*`)), baseline);
        },
      );
    }
  },
}));

Deno.test(requirePrograms(SEARCH_ENGINE_PROGRAMS, {
  name: "failover: two -s servers, one stopped, indexing goes on",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using a = await startEngine("opensearch");
    await using b = await startEngine("opensearch");
    await using dir = await tempDir("xrd-failover-");
    const collector = await startCollector([
      "-s",
      a.url,
      "-s",
      b.url,
      "-t",
      "1",
      "--index",
      "fo-%Y",
      "--replicas",
      "0",
      "--spool-dir",
      dir.join("spool"),
      "--batch-size",
      "20",
    ]);
    const sender = new Sender();
    await sender.send(collector.port, streamDatagrams(1, 40), 5);
    const total = async () => (await countDocs(a.url, "fo-*")) + (await countDocs(b.url, "fo-*"));
    assert(await waitFor(async () => (await total()) === 120, 30_000), collector.stderr());
    await a.stop();
    await sender.send(collector.port, streamDatagrams(41, 80), 5);
    sender.close();
    // Everything sent after the stop (dictids 81-160) reached the surviving server.
    const ok = await waitFor(async () => {
      const onB = await readAll(b.url, "fo-*");
      return [...onB.keys()].filter((id) => {
        const dict = Number(id.split(".").at(-1));
        return dict >= 81 && dict <= 160;
      }).length === 120;
    }, 30_000);
    assertEquals(await collector.stop(), 0, collector.stderr());
    assert(ok, collector.stderr());
  },
}));
