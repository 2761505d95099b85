// Concurrency, restart and crash safety of the archive, through real HTTP and real signals.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../harness/mod.ts";
import { startArchive, type TestArchive } from "../archive_server.ts";

async function createThroughput(archive: TestArchive, tag: string): Promise<string> {
  const r = await fetch(archive.archiveUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Token ${archive.token}` },
    body: JSON.stringify({
      "subject-type": "point-to-point",
      "source": "10.0.0.1",
      "destination": "10.0.0.2",
      "measurement-agent": "10.0.0.1",
      "tool-name": "bwctl/iperf3",
      "input-source": "a",
      "input-destination": "b",
      "tag": tag,
      "event-types": [{
        "event-type": "throughput",
        "summaries": [{ "summary-type": "aggregation", "summary-window": 3600 }],
      }],
    }),
  });
  assertEquals(r.status, 201);
  return (await r.json())["metadata-key"];
}

function postPoint(archive: TestArchive, key: string, ts: number, val: number) {
  return fetch(`${archive.archiveUrl}${key}/throughput/base`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Token ${archive.token}` },
    body: JSON.stringify({ ts, val }),
  });
}

async function series(archive: TestArchive, key: string): Promise<{ ts: number; val: number }[]> {
  const r = await fetch(`${archive.archiveUrl}${key}/throughput/base?limit=100000`);
  return await r.json();
}

function integrityCheck(dbPath: string): string {
  const db = new DatabaseSync(dbPath);
  try {
    return (db.prepare("PRAGMA integrity_check").get() as { integrity_check: string })
      .integrity_check;
  } finally {
    db.close();
  }
}

Deno.test("durability: concurrent writers and readers, then restart keeps everything", async () => {
  await using first = await startArchive();
  const writers = 6;
  const perWriter = 40;
  const keys = await Promise.all(
    Array.from({ length: writers }, (_, w) => createThroughput(first, `w${w}`)),
  );
  let readerErrors = 0;
  let stop = false;
  const readers = Array.from({ length: 3 }, async () => {
    while (!stop) {
      const r = await fetch(`${first.archiveUrl}?event-type=throughput`);
      const body = await r.json();
      if (r.status !== 200 || body.length !== writers) readerErrors++;
      await series(first, keys[0]);
    }
  });
  await Promise.all(keys.map(async (key, w) => {
    for (let i = 0; i < perWriter; i++) {
      const r = await postPoint(first, key, 1_600_000_000 + i * 60, w * 1000 + i);
      await r.body?.cancel();
      assertEquals(r.status, 201);
    }
  }));
  stop = true;
  await Promise.all(readers);
  assertEquals(readerErrors, 0);
  for (const key of keys) assertEquals((await series(first, key)).length, perWriter);
  const before = await (await fetch(first.archiveUrl)).text();
  const aggregate =
    await (await fetch(`${first.archiveUrl}${keys[2]}/throughput/aggregations/3600`))
      .text();

  const status = await first.stop("SIGTERM");
  assertEquals(status.code, 0);
  await using second = await startArchive({ dbPath: first.dbPath });
  const after = await (await fetch(second.archiveUrl)).text();
  assertEquals(
    after.replaceAll(String(second.port), "PORT"),
    before.replaceAll(String(first.port), "PORT"),
  );
  assertEquals(
    await (await fetch(`${second.archiveUrl}${keys[2]}/throughput/aggregations/3600`)).text(),
    aggregate,
  );
  // 40 points of 60 s from 1_600_000_000 = 1600 s into an hour bin → split over two bins
  const bins = JSON.parse(aggregate) as { ts: number; val: number }[];
  assertEquals(
    bins.reduce((s, b) => s + b.val, 0),
    Array.from({ length: perWriter }, (_, i) => 2000 + i).reduce((a, b) => a + b),
  );
  assertEquals(integrityCheck(first.dbPath), "ok");
});

Deno.test("durability: kill -9 during a stream of posts loses no acknowledged write", async () => {
  await using first = await startArchive();
  const key = await createThroughput(first, "crash");
  const acknowledged: number[] = [];
  let next = 0;
  let crashed = false;
  const streams = Array.from({ length: 4 }, async () => {
    while (!crashed) {
      const ts = 1_700_000_000 + next++;
      try {
        const r = await postPoint(first, key, ts, ts);
        await r.body?.cancel();
        if (r.status === 201) acknowledged.push(ts);
      } catch {
        // the server died mid-request: that post was never acknowledged
      }
    }
  });
  while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 10));
  await first.stop("SIGKILL");
  crashed = true;
  await Promise.all(streams);

  await using second = await startArchive({ dbPath: first.dbPath });
  const stored = new Set((await series(second, key)).map((p) => p.ts));
  const missing = acknowledged.filter((ts) => !stored.has(ts));
  assertEquals(missing, []);
  assert(stored.size >= acknowledged.length);
  await second.stop();
  assertEquals(integrityCheck(first.dbPath), "ok");
});
