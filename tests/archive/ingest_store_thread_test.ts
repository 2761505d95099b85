// The /logstash ingest's writer thread: what it stores is row for row what the same runs
// stored on the calling thread give; a refused request fails alone, with its status; close()
// stores what is queued first; a thread that cannot open its database says so.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals, assertRejects } from "../harness/assert.ts";
import { tempDir } from "../harness/mod.ts";
import { testDataPath } from "../harness/test_data.ts";
import { openArchiveDb, prepareRuns } from "../../lib/archive/mod.ts";
import { type PreparedRun, storeRunGroups } from "../../lib/archive/pscheduler_store.ts";
import { startIngestStoreThread } from "../../lib/archive/ingest_store_thread.ts";
import { WriteRejected } from "../../lib/archive/points_table.ts";
import { OFFLINE_RESOLVER } from "../../lib/pscheduler/mod.ts";

const NOW = 1_790_000_000;
const SHARED = [
  "latency-twamp.json",
  "latencybg-powstream.json",
  "rtt-ping.json",
  "rtt-ping-total-loss.json",
  "throughput-tcp-iperf3.json",
  "throughput-udp-iperf3.json",
  "throughput-failed-iperf3.json",
  "trace-traceroute.json",
];
const LATENCY = Deno.readTextFileSync(testDataPath("pscheduler", "latency-twamp.json"));

// Run `i` of the latency task, a minute after the one before.
function latencyRun(i: number): string {
  const start = new Date(Date.parse("2026-07-27T05:46:05Z") + i * 60_000).toISOString()
    .replace(".000Z", "+00:00");
  return LATENCY
    .replaceAll(
      "28063fc8-2f5f-408b-90a9-74cb6da37d9a",
      `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    )
    .replaceAll("2026-07-27T05:46:05+00:00", start);
}

async function requests(): Promise<PreparedRun[][]> {
  const bodies = [
    ...SHARED.map((f) => Deno.readTextFileSync(testDataPath("pscheduler", f))),
    ...Array.from({ length: 30 }, (_, i) => latencyRun(i + 1)),
  ];
  return await Promise.all(
    bodies.map((b) => prepareRuns(b, { observer: "192.168.1.104", resolver: OFFLINE_RESOLVER })),
  );
}

// Every stored row but the documents' receipt time and the metadata keys (random; the
// documents name their metadata by row id here).
function dump(path: string): Record<string, unknown[]> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = (sql: string) => db.prepare(sql).all().map((r) => ({ ...r }));
    return {
      metadata: rows("SELECT * FROM metadata ORDER BY id").map(({ key: _, ...row }) => row),
      parameters: rows("SELECT * FROM parameters ORDER BY 1, 2, 3"),
      eventTypes: rows("SELECT * FROM event_types ORDER BY id"),
      points: rows("SELECT * FROM points ORDER BY series, ts"),
      documents: rows(
        `SELECT run_key, index_name, document,
           (SELECT id FROM metadata WHERE key = metadata_key) AS metadata_id
         FROM pscheduler_documents ORDER BY id`,
      ),
    };
  } finally {
    db.close();
  }
}

Deno.test("ingest writer thread", async (t) => {
  await using dir = await tempDir();
  const all = await requests();

  await t.step("stores what the calling thread stores, row for row", async () => {
    const here = dir.join("here.sqlite");
    const db = openArchiveDb(here);
    for (const group of all) {
      const [outcome] = storeRunGroups(db, [group], NOW);
      assert(Array.isArray(outcome), String(outcome));
    }
    db.close();
    const there = dir.join("there.sqlite");
    openArchiveDb(there).close();
    const thread = await startIngestStoreThread({ path: there, now: () => NOW });
    // One request at a time, as the reference stored them (metadata ids follow the order).
    for (const group of all) {
      const stored = await thread.store(group);
      assertEquals(stored.map((s) => s.created), group.map(() => true));
    }
    const again = await Promise.all(all.map((g) => thread.store(g)));
    assert(again.flat().every((s) => !s.created), "a re-sent run is stored once");
    await thread.close();
    const reference = dump(here);
    assert(reference.points.length > 300, `points: ${reference.points.length}`);
    const stored = dump(there);
    for (const table of Object.keys(reference)) {
      assertEquals(stored[table].length, reference[table].length, table);
      stored[table].forEach((row, i) =>
        assertEquals(row, reference[table][i], `${table} row ${i}`)
      );
    }
  });

  await t.step("a refused request fails alone, with its status", async () => {
    const path = dir.join("refused.sqlite");
    openArchiveDb(path).close();
    const thread = await startIngestStoreThread({ path, now: () => NOW });
    const [good] = await requests();
    const bad = good.map((run) => ({
      ...run,
      runKey: `${run.runKey}-bad`,
      points: [{ eventType: "throughput", ts: 1, value: { kind: "integer", n: 1 } } as const],
    }));
    const [refused, stored] = await Promise.allSettled([thread.store(bad), thread.store(good)]);
    assert(refused.status === "rejected");
    assert(refused.reason instanceof WriteRejected && refused.reason.status === 400);
    assert(/not registered/.test(refused.reason.message), refused.reason.message);
    assert(stored.status === "fulfilled" && stored.value[0].created);
    await thread.close();
    assertEquals(dump(path).documents.length, 1);
  });

  await t.step("close() stores what is queued first; later stores are refused", async () => {
    const path = dir.join("close.sqlite");
    openArchiveDb(path).close();
    const thread = await startIngestStoreThread({ path, now: () => NOW });
    const queued = all.map((g) => thread.store(g));
    await thread.close();
    assertEquals((await Promise.all(queued)).length, all.length);
    assertEquals(dump(path).documents.length, all.flat().length);
    await assertRejects(thread.store(all[0]), /closed/);
  });

  await t.step("a database it cannot open is named in the error", async () => {
    await assertRejects(
      startIngestStoreThread({ path: dir.join("no", "such", "dir", "a.sqlite") }),
      /ingest writer thread cannot open the database/,
    );
  });
});
