// The collector process with `-s` against real Elasticsearch 7.10.2 and OpenSearch 2.19: every
// shared capture is indexed with the same documents the NDJSON replay prints (fields, values and
// mapping types), and a close whose open was indexed by an earlier collector process is joined
// through the older-events lookup.
import {
  assert,
  assertEquals,
  assertMatch,
  freePort,
  requirePrograms,
  runTool,
  SEARCH_ENGINE_PROGRAMS,
  tempDir,
} from "../harness/mod.ts";
import { SEED_FIELD_TYPES } from "../../collector/sink/search/mod.ts";
import { captureDatagrams, Sender, startCollector } from "./collector_proc.ts";
import { api, type EngineKind, mappingTypes, readAll, startEngine } from "./engine.ts";
import { testDataPath } from "../harness/test_data.ts";

const CAPTURES = ["read_single.ndjson", "write_single.ndjson", "parallel_small.ndjson"];

/** Document key that does not depend on the sender address: kind + stod.dictid. */
function key(doc: Record<string, unknown>): string {
  const id = (doc.xrd_file_uniq_id ?? doc.xrd_user_uniq_id) as string;
  return `${doc.xrd_msg_type}:${id.replace(/^.*-(\d+\.\d+)$/, "$1")}`;
}

/** The document without what legitimately differs between a replay and a live run. */
function comparable(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === "xrd_record_add_time") continue;
    if (k === "@timestamp" && doc.xrd_msg_type === "user_connection") continue;
    out[k] = typeof v === "string" && k.endsWith("_uniq_id")
      ? v.replace(/^.*-(\d+\.\d+)$/, "$1")
      : v;
  }
  return out;
}

async function replayDocs(name: string): Promise<Record<string, unknown>[]> {
  const path = testDataPath("xrootd", name);
  const result = await runTool("xrootd-fstream-collector", ["--replay", path, "-q"]);
  assertEquals(result.code, 0, result.stderr);
  return result.stdout.trim().split("\n").map((l) => JSON.parse(l));
}

for (const kind of ["elasticsearch", "opensearch"] as EngineKind[]) {
  Deno.test(requirePrograms(SEARCH_ENGINE_PROGRAMS, {
    name: `collector -s indexes the shared captures into a real ${kind}`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      await using engine = await startEngine(kind);
      await using dir = await tempDir("xrd-collector-");

      for (const name of CAPTURES) {
        await t.step(`${name}: documents, values and types as the replay prints them`, async () => {
          const index = `cap-${name.replace(".ndjson", "").replace(/_/g, "-")}`;
          const collector = await startCollector([
            "-s",
            engine.url,
            "-t",
            "1",
            "--index",
            `${index}-%Y.%m`,
            "--replicas",
            "0",
            "--spool-dir",
            dir.join(`spool-${index}`),
          ]);
          const sender = new Sender();
          await sender.send(collector.port, await captureDatagrams(name), 20);
          sender.close();
          await new Promise((r) => setTimeout(r, 500));
          assertEquals(await collector.stop("SIGTERM"), 0, collector.stderr());
          const expected = await replayDocs(name);
          const stored = [...(await readAll(engine.url, `${index}-*`)).values()];
          assertEquals(stored.length, expected.length, collector.stderr());
          const byKey = new Map(stored.map((d) => [key(d), d]));
          for (const doc of expected) {
            const got = byKey.get(key(doc));
            assert(got !== undefined, `missing ${key(doc)}`);
            assertEquals(comparable(got), comparable(doc));
          }
          const types = await mappingTypes(engine.url, `${index}-*`);
          for (const doc of stored) {
            for (const field of Object.keys(doc)) {
              const want = SEED_FIELD_TYPES[field];
              if (want !== undefined) assertEquals(types[field], want, `mapping of ${field}`);
            }
          }
          const closes = stored.filter((d) => d.xrd_msg_type === "fstream_close");
          assert(closes.length > 0);
          for (const close of closes) {
            assertEquals(close.xrd_hasOpenInfo, true);
            assertEquals(close.xrd_hasUserInfo, true);
            assertEquals(close.xrd_user, "root");
          }
        });
      }

      await t.step("the search sink's counters are on the collector's /metrics page", async () => {
        const metricsPort = freePort();
        const collector = await startCollector([
          "-s",
          engine.url,
          "-t",
          "1",
          "--index",
          "metrics-%Y",
          "--replicas",
          "0",
          "--spool-dir",
          dir.join("spool-metrics"),
          "--metrics-port",
          String(metricsPort),
        ]);
        try {
          const sender = new Sender();
          await sender.send(collector.port, await captureDatagrams("read_single.ndjson"), 20);
          sender.close();
          const expected = (await replayDocs("read_single.ndjson")).length;
          let page = "";
          const deadline = Date.now() + 30_000;
          while (Date.now() < deadline) {
            page = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
            if (page.includes(`xrootd_collector_search_docs_indexed_total ${expected}\n`)) break;
            await new Promise((r) => setTimeout(r, 250));
          }
          assertMatch(page, new RegExp(`xrootd_collector_search_docs_indexed_total ${expected}\n`));
          assertMatch(page, /# TYPE xrootd_collector_search_spool_bytes gauge\n/);
          assertMatch(page, /xrootd_collector_search_dead_letters_total 0\n/);
          assertMatch(page, new RegExp(`xrootd_collector_documents_total ${expected}\n`));
        } finally {
          assertEquals(await collector.stop("SIGTERM"), 0, collector.stderr());
        }
      });

      await t.step(
        "a close whose open an earlier collector indexed is joined via lookup",
        async () => {
          const datagrams = await captureDatagrams("read_single.ndjson");
          const sender = new Sender();
          const common = ["-s", engine.url, "-t", "1", "--index", "join-%Y", "--replicas", "0"];
          const first = await startCollector(common);
          await sender.send(first.port, datagrams.slice(0, 3), 20);
          await new Promise((r) => setTimeout(r, 500));
          assertEquals(await first.stop("SIGTERM"), 0, first.stderr());
          await api(engine.url, "POST", "/join-*/_refresh");
          const second = await startCollector(common);
          await sender.send(second.port, datagrams.slice(3), 20);
          sender.close();
          await new Promise((r) => setTimeout(r, 500));
          assertEquals(await second.stop("SIGTERM"), 0, second.stderr());
          const docs = [...(await readAll(engine.url, "join-*")).values()];
          const close = docs.find((d) => d.xrd_msg_type === "fstream_close");
          assert(close !== undefined, second.stderr());
          assertEquals(close.xrd_hasOpenInfo, true);
          assertEquals(close.xrd_hasUserInfo, true);
          assertEquals(close.xrd_lfn, "/store/data/read_single.dat");
          assertEquals(close.xrd_fileOpenSize, 16777216);
          assertEquals(close.xrd_user, "root");
          assertEquals(close.xrd_derived_duration, 4);
          assertEquals(close.xrd_derived_read_rate, 4194304);
        },
      );
    },
  }));
}
