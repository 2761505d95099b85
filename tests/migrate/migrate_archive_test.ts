/**
 * `esmond-ps-migrate --to archive+URL`: the demo archive (a real `esmond-ps-archive serve` over
 * SQLite) migrated into a second, empty one through its `/logstash` ingest. The target runs its
 * own Logstash pipeline and lists the runs under its own keys (no `pscheduler.esmond_key`
 * there), so each original series is found again by measurement agent, input source and
 * destination and tool; every base point of every event type then reads back equal, a rerun
 * stores nothing new, and the run count is the dry run's.
 *
 * Differences the pScheduler → esmond mapping itself makes (not the migration's):
 * - a test type pScheduler does not map (the demo's `ntp-*`) is served as `pscheduler-raw`, the
 *   esmond values inside it under `json`;
 * - pScheduler's archiver gives every trace hop the last mtu seen before it (esmond data may
 *   name it on the first hop only): hop mtus are compared carried forward;
 * - per-stream retransmits keep only the streams with a non-zero count (`[0, 18]` → `[18]`; none
 *   left: no point);
 * A float esmond kept as `units / 10000` passes esmond's `int(v × 10000)` again on ingest; the
 * migration sends `time-error-estimates` so that it gives the same units (`0.0003` stays
 * `0.0003`, see `esmondFloat`), so those compare exactly too.
 *
 * @module
 */
import { startArchive, type TestArchive } from "../archive_server.ts";
import { assert, assertEquals, runTool, tempDir } from "../harness/mod.ts";
import { ApiFilters, EsmondSource, type MetadataRecord } from "../../lib/esmond/mod.ts";
import { canonicalJson } from "../../lib/pscheduler/mod.ts";
import { collect } from "./round_trip.ts";

const ALL = new ApiFilters({ timeStart: 0, timeEnd: Math.floor(Date.now() / 1000) + 86400 });

// The series identity both archives keep: who measured, towards which named end, with what
// (`input-source` of a test type pScheduler does not map becomes the lead participant's
// address in the target's esmond view).
function identity(md: MetadataRecord): string {
  const tool = String(md["tool-name"] ?? "");
  return [
    md["measurement-agent"],
    md["input-destination"] ?? "",
    tool.slice(tool.lastIndexOf("/") + 1),
  ].join(" ");
}

async function listed(source: EsmondSource): Promise<Map<string, MetadataRecord>> {
  const out = new Map<string, MetadataRecord>();
  for await (const md of source.listMetadata(ALL, { withTime: false })) {
    const id = identity(md);
    assert(!out.has(id), `two series ${id}`);
    out.set(id, md);
  }
  return out;
}

function eventTypes(md: MetadataRecord): Map<string, string> {
  return new Map(
    (md["event-types"] as Record<string, unknown>[]).map((
      et,
    ) => [String(et["event-type"]), String(et["base-uri"])]),
  );
}

async function base(
  source: EsmondSource,
  md: MetadataRecord,
  eventType: string,
  uri: string,
): Promise<Map<number, string>> {
  const ref = {
    metadataKey: String(md["metadata-key"]),
    uri,
    eventType,
    summaryType: "base",
    summaryWindow: "0",
  };
  return await collect(source.readSeries(ref, ALL), eventType);
}

// A packet-trace value with each hop's mtu carried forward from the hops before it.
function carryMtu(text: string): string {
  let mtu: unknown;
  const hops = (JSON.parse(text) as Record<string, unknown>[]).map((hop) => {
    if (hop.mtu !== undefined) mtu = hop.mtu;
    return mtu === undefined ? hop : { ...hop, mtu };
  });
  return canonicalJson(hops);
}

async function migrate(from: TestArchive, to: TestArchive): Promise<string> {
  const run = await runTool("esmond-ps-migrate", [
    "--from",
    from.url,
    "--to",
    `archive+${to.url}`,
    "--token",
    to.token,
  ], { timeoutMs: 300_000 });
  assertEquals(run.code, 0, run.stderr);
  return run.stderr;
}

Deno.test({
  name: "esmond-ps-migrate into esmond-ps-archive (archive+URL): every value reads back",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using dir = await tempDir("migrate-archive-");
    const db = `${dir.path}/demo.sqlite`;
    const seeded = await runTool("esmond-ps-archive", ["seed", "--demo", "--db", db]);
    assertEquals(seeded.code, 0, seeded.stderr);
    await using from = await startArchive({ dbPath: db });
    // Offline: the demo's host names are not resolved (meta then keeps what esmond knew).
    await using to = await startArchive({ extraArgs: ["--offline"] });

    const dry = await runTool("esmond-ps-migrate", ["--from", from.url, "--dry-run", "--quiet"]);
    assertEquals(dry.code, 0, dry.stderr);
    const runs = dry.stdout.split("\n").filter((l) => l !== "").length;
    // Small batches, one series at a time: a series of more than 64 batches once waited for
    // the batch still filling with its own last runs, and never ended.
    const smallBatches = await runTool(
      "esmond-ps-migrate",
      ["--from", from.url, "--dry-run", "--quiet", "--batch-size", "3", "--concurrency", "1"],
      { timeoutMs: 60_000 },
    );
    assertEquals(smallBatches.code, 0, smallBatches.stderr);
    const sorted = (text: string) => text.split("\n").filter((l) => l !== "").sort();
    assertEquals(sorted(smallBatches.stdout), sorted(dry.stdout));
    const first = await migrate(from, to);
    assert(first.includes(`${runs} documents written, 0 already present, 0 refused`), first);
    // A rerun re-sends every run; the ingest stores none of them twice (checked below: one
    // point per ts, equal to the original). /logstash answers 200 either way, so the report
    // cannot tell written from present here.
    const again = await migrate(from, to);
    assert(again.includes(" 0 refused"), again);

    const original = new EsmondSource({ url: from.url });
    const migrated = new EsmondSource({ url: to.url });
    try {
      const before = await listed(original);
      const after = await listed(migrated);
      assertEquals([...after.keys()].sort(), [...before.keys()].sort());
      const compared = new Map<string, number>();
      for (const [id, md] of before) {
        const target = after.get(id)!;
        const served = eventTypes(target);
        for (const [eventType, uri] of eventTypes(md)) {
          const want = await base(original, md, eventType, uri);
          let got: Map<number, string>;
          if (served.has(eventType)) {
            got = await base(migrated, target, eventType, served.get(eventType)!);
          } else {
            // Not a pScheduler event type of this test: the value sits in pscheduler-raw.
            assert(served.has("pscheduler-raw"), `${id}: no ${eventType}`);
            const raw = await base(
              migrated,
              target,
              "pscheduler-raw",
              served.get("pscheduler-raw")!,
            );
            got = new Map(
              [...raw].map((
                [ts, v],
              ) => [
                ts,
                canonicalJson(
                  (JSON.parse(v) as { json: Record<string, unknown> }).json[eventType],
                ),
              ]),
            );
          }
          assertEquals([...got.keys()].filter((ts) => !want.has(ts)), [], `${id} ${eventType}`);
          for (const [ts, text] of want) {
            let val = eventType === "packet-trace" ? carryMtu(text) : text;
            if (eventType === "streams-packet-retransmits") {
              const counts = (JSON.parse(text) as number[]).filter((n) => n !== 0);
              if (counts.length === 0) {
                assertEquals(got.get(ts), undefined, `${id} ${eventType}@${ts}`);
                continue;
              }
              val = JSON.stringify(counts);
            }
            assertEquals(got.get(ts), val, `${id} ${eventType}@${ts}`);
          }
          compared.set(eventType, (compared.get(eventType) ?? 0) + want.size);
        }
      }
      for (
        const eventType of [
          "failures",
          "throughput",
          "throughput-subintervals",
          "streams-throughput",
          "streams-throughput-subintervals",
          "packet-retransmits",
          "streams-packet-retransmits",
          "histogram-owdelay",
          "histogram-ttl",
          "packet-count-sent",
          "packet-count-lost",
          "packet-loss-rate",
          "time-error-estimates",
          "histogram-rtt",
          "packet-count-lost-bidir",
          "packet-loss-rate-bidir",
          "packet-trace",
          "path-mtu",
          "ntp-offset",
          "ntp-stratum",
        ]
      ) {
        assert((compared.get(eventType) ?? 0) > 0, `no ${eventType} points compared`);
      }
    } finally {
      original.close();
      migrated.close();
    }
  },
});
