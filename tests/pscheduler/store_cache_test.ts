// The ingest's writer keeps metadata records and summary rows between its transactions. Every
// sequence of ingests, foreign writes (another connection, the esmond write API on the same
// connection) and refused points must leave exactly the rows an archive without that memory
// writes: the reference reopens the database before every step, so nothing is remembered.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../harness/assert.ts";
import { tempDir } from "../harness/mod.ts";
import { testDataPath } from "../harness/test_data.ts";
import { type ArchiveDb, openArchiveDb, prepareRuns } from "../../lib/archive/mod.ts";
import { storeRunGroups } from "../../lib/archive/pscheduler_store.ts";
import { sqliteWriteStore } from "../../lib/archive/write_store.ts";
import { parseBulkPoints } from "../../lib/archive/write_handlers.ts";
import { parsePyJsonTree } from "../../lib/esmond/py_json/tree.ts";
import { OFFLINE_RESOLVER } from "../../lib/pscheduler/mod.ts";

const TEMPLATE = Deno.readTextFileSync(testDataPath("pscheduler", "latency-twamp.json"));
const START = Date.parse("2026-07-27T05:45:05Z");

// Run `id` of the template's task, started `offset` seconds after 05:45:05 (one 300-s bin
// holds offsets 0…294), its lowest latency bucket counted `lowest` times.
function run(id: number, offset: number, lowest = 1): string {
  const start = new Date(START + offset * 1000).toISOString().replace(".000Z", "+00:00");
  return TEMPLATE
    .replaceAll('"-11.71": 1,', `"-11.71": ${lowest},`)
    .replaceAll(
      "28063fc8-2f5f-408b-90a9-74cb6da37d9a",
      `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`,
    )
    .replaceAll("2026-07-27T05:46:05+00:00", start);
}

// The run with an empty latency histogram: the same metadata, numeric points only.
function numericOnly(body: string): string {
  const parsed = JSON.parse(body);
  parsed.result["histogram-latency"] = {};
  return JSON.stringify(parsed);
}

type Step =
  | { readonly ingest: readonly (readonly string[])[] }
  | { readonly foreign: string }
  | { readonly sameConnection: string };

// A bulk body of one histogram-owdelay and one packet-count-sent point at `offset`.
function bulk(offset: number, count: number): string {
  const ts = START / 1000 + offset;
  return JSON.stringify({
    data: [{
      ts,
      val: [
        { "event-type": "histogram-owdelay", val: { "7.5": count, "-3.25": 1 } },
        { "event-type": "packet-count-sent", val: count },
      ],
    }],
  });
}

const STEPS: readonly Step[] = [
  { ingest: [[run(1, 0)]] },
  { ingest: [[run(2, 30)]] },
  { foreign: bulk(45, 3) },
  { ingest: [[run(3, 60)]] },
  { sameConnection: bulk(75, 5) },
  { ingest: [[run(4, 90)], [run(5, 120)]] },
  // Another run at the same second with another histogram: its numeric points are refused
  // (409) and all its points rolled back, histogram aggregates included.
  { ingest: [[run(6, 120, 4)]] },
  { ingest: [[run(7, 150)]] },
  { foreign: bulk(165, 2) },
  // Numeric points at 200, then a run at 200 with a histogram: its numeric points are refused
  // (409) after its histogram went into the aggregates in memory, which must be forgotten.
  { ingest: [[run(13, 180)]] },
  { ingest: [[numericOnly(run(10, 200))]] },
  { ingest: [[run(11, 200, 6)]] },
  { ingest: [[run(12, 230)]] },
  // A re-post stores nothing; the next bin starts at offset 295.
  { ingest: [[run(7, 150)], [run(8, 300)]] },
  { ingest: [[run(9, 330)]] },
];

function metadataKey(db: ArchiveDb): string {
  return (db.writer.prepare("SELECT key FROM metadata ORDER BY id LIMIT 1").get() as {
    key: string;
  }).key;
}

function writeBulk(db: ArchiveDb, text: string): void {
  const ok = sqliteWriteStore(db).writePoints(
    metadataKey(db),
    parseBulkPoints(parsePyJsonTree(text)),
    1,
  );
  assert(ok);
}

async function apply(db: ArchiveDb, path: string, step: Step): Promise<void> {
  if ("ingest" in step) {
    const groups = [];
    for (const bodies of step.ingest) {
      const runs = [];
      for (const body of bodies) {
        runs.push(
          ...await prepareRuns(body, { observer: "192.168.1.104", resolver: OFFLINE_RESOLVER }),
        );
      }
      groups.push(runs);
    }
    for (const result of storeRunGroups(db, groups, 1)) assert(!(result instanceof Error));
  } else if ("foreign" in step) {
    const other = openArchiveDb(path);
    try {
      writeBulk(other, step.foreign);
    } finally {
      other.close();
    }
  } else {
    writeBulk(db, step.sameConnection);
  }
}

function rows(path: string): unknown[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return [
      ...db.prepare("SELECT series, ts, val, a, b FROM points ORDER BY series, ts").all(),
      ...db.prepare(
        "SELECT id, event_type, summary_type, summary_window, time_updated FROM event_types",
      ).all(),
      ...db.prepare("SELECT run_key, index_name FROM pscheduler_documents ORDER BY id").all(),
    ];
  } finally {
    db.close();
  }
}

Deno.test("ingest writer memory: same rows as an archive reopened before every step", async () => {
  await using dir = await tempDir();
  const kept = dir.join("kept.sqlite");
  const reopened = dir.join("reopened.sqlite");
  const db = openArchiveDb(kept);
  try {
    for (const step of STEPS) await apply(db, kept, step);
  } finally {
    db.close();
  }
  for (const step of STEPS) {
    const fresh = openArchiveDb(reopened);
    try {
      await apply(fresh, reopened, step);
    } finally {
      fresh.close();
    }
  }
  const expected = rows(reopened);
  // Sanity: the foreign and same-connection histograms are in the 300-s aggregate.
  const aggregate = new DatabaseSync(reopened, { readOnly: true });
  try {
    const text = (aggregate.prepare(
      `SELECT p.val FROM points p JOIN event_types e ON e.id = p.series
       WHERE e.event_type = 'histogram-owdelay' AND e.summary_type = 'aggregation'
       AND e.summary_window = 300 AND p.ts = ?`,
    ).get((START / 1000) - ((START / 1000) % 300)) as { val: string }).val;
    assertEquals(JSON.parse(text)["7.5"], 3 + 5 + 2);
  } finally {
    aggregate.close();
  }
  assertEquals(rows(kept), expected);
});
