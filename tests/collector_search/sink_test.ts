// The search sink against real Elasticsearch 7.10.2 and OpenSearch 2.19 nodes: fields and types
// read back, deterministic ids, dead letters for mapping rejections, the older-events lookup
// from a fresh sink (empty cache), and delivery after an outage from the durable spool.
import {
  assert,
  assertEquals,
  requirePrograms,
  SEARCH_ENGINE_PROGRAMS,
  tempDir,
} from "../harness/mod.ts";
import {
  SearchSink,
  type SearchSinkOptions,
  SEED_FIELD_TYPES,
} from "../../collector/sink/search/mod.ts";
import { countDocs, type EngineKind, mappingTypes, readAll, startEngine } from "./engine.ts";
import { seedDocuments, syntheticCloses } from "./fixtures.ts";

function options(url: string, extra: Partial<SearchSinkOptions> = {}): SearchSinkOptions {
  return {
    connection: { servers: [url], requestTimeoutMs: 10_000 },
    indexPattern: "xrd-test-%Y.%m.%d",
    template: true,
    replicas: 0,
    flushIntervalMs: 200,
    batchSize: 500,
    spoolMaxBytes: 64 << 20,
    lookupTimeoutMs: 2000,
    closeTimeoutMs: 20_000,
    ...extra,
  };
}

for (const kind of ["elasticsearch", "opensearch"] as EngineKind[]) {
  Deno.test(requirePrograms(SEARCH_ENGINE_PROGRAMS, {
    name: `search sink on a real ${kind} node`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      await using engine = await startEngine(kind);
      await using dir = await tempDir("xrd-sink-");
      const docs = await seedDocuments();

      await t.step("seed documents read back with the seed's fields and types", async () => {
        const sink = await SearchSink.open(options(engine.url, { spoolDir: dir.join("spool") }));
        for (const doc of docs) sink.write(doc);
        assert(await sink.drain(30_000), "spool not drained");
        await sink.close();
        const stored = await readAll(engine.url, "xrd-test-*");
        assertEquals(stored.size, docs.length);
        for (const doc of docs) assertEquals(stored.get(doc.docId), doc.body);
        const types = await mappingTypes(engine.url, "xrd-test-2021.07.13");
        const close = docs[2].body;
        for (const field of Object.keys(close)) {
          assertEquals(types[field], SEED_FIELD_TYPES[field], `mapping of ${field}`);
        }
        assertEquals(sink.metrics.docsIndexed, docs.length);
      });

      await t.step("re-sent documents overwrite instead of duplicating", async () => {
        const sink = await SearchSink.open(options(engine.url, { backend: kind }));
        for (const doc of docs) sink.write(doc);
        assert(await sink.drain(30_000));
        await sink.close();
        assertEquals(await countDocs(engine.url, "xrd-test-*"), docs.length);
      });

      await t.step(
        "a fresh sink (empty cache) finds the open and user through the lookup",
        async () => {
          const sink = await SearchSink.open(options(engine.url));
          assert(await sink.drain(30_000));
          const [serverId, dict] = (docs[1].body.xrd_file_uniq_id as string).split(/\.(?=\d+$)/);
          const open = await sink.lookup.findOpen({ serverId, dictId: Number(dict) });
          assertEquals(open, docs[1].body);
          const userDict = Number((docs[0].body.xrd_user_uniq_id as string).split(".").at(-1));
          assertEquals(await sink.lookup.findUser({ serverId, dictId: userDict }), docs[0].body);
          assertEquals(await sink.lookup.findOpen({ serverId, dictId: 999999 }), undefined);
          assertEquals(sink.metrics.lookupHits, 2);
          await sink.close();
        },
      );

      await t.step(
        "mapping rejections go to the dead-letter file, the rest is indexed",
        async () => {
          const deadLetter = dir.join("dead.ndjson");
          const sink = await SearchSink.open(options(engine.url, { deadLetterPath: deadLetter }));
          const good = syntheticCloses(1, 3, "2026-11-24T10:00:00Z");
          const bad = {
            docId: "close:bad.1",
            body: { ...good[0].body, xrd_XFR_read: "not a number", xrd_file_uniq_id: "bad.1" },
          };
          for (const doc of [good[0], bad, good[1], good[2]]) sink.write(doc);
          assert(await sink.drain(30_000));
          await sink.close();
          const lines = (await Deno.readTextFile(deadLetter)).trim().split("\n").map((l) =>
            JSON.parse(l)
          );
          assertEquals(lines.length, 1);
          assertEquals(lines[0].id, "close:bad.1");
          assertEquals(lines[0].status, 400);
          assert(/pars|number/i.test(lines[0].reason), lines[0].reason);
          assertEquals(lines[0].document, bad.body);
          assertEquals(sink.metrics.deadLetters, 1);
          assertEquals(await countDocs(engine.url, "xrd-test-2026.11.24"), 3);
        },
      );

      await t.step(
        "documents accepted during an outage are delivered from the spool after it",
        async () => {
          const spoolDir = dir.join("outage-spool");
          const sink = await SearchSink.open(options(engine.url, { spoolDir }));
          assert(await sink.drain(30_000));
          await engine.stop();
          const during = syntheticCloses(100, 300, "2026-11-25T10:00:00Z");
          for (const doc of during) sink.write(doc);
          await sink.flush();
          assertEquals(sink.spoolStats().docs, 300);
          assert(sink.metrics.retries > 0);
          // The spool is on disk: a second process could take over from here.
          const files = [...Deno.readDirSync(spoolDir)].filter((f) => f.name.startsWith("seg-"));
          assert(files.length > 0);
          await engine.start();
          assert(await sink.drain(60_000), "spool not drained after restart");
          await sink.close();
          const stored = await readAll(engine.url, "xrd-test-2026.11.25");
          assertEquals([...stored.keys()].sort(), during.map((d) => d.docId).sort());
        },
      );
    },
  }));
}
