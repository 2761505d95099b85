/**
 * `esmond-ps-migrate` into a real OpenSearch 2.19 node with perfSONAR's template: the esmond
 * fixtures (as files) and the demo archive (over its REST API) migrate with no mapping error,
 * the target holds exactly the documents of the dry run, values read back per event-type
 * family, and kill -9 at random points followed by reruns with the same `--state` leaves
 * exactly what one clean run writes.
 *
 * @module
 */
import { denoRunArgs, findTool, REPO_ROOT } from "../../scripts/tools.ts";
import { startArchive } from "../archive_server.ts";
import { api, countDocs, readAll, startEngine } from "../collector_search/engine.ts";
import { assert, assertEquals, runTool, tempDir } from "../harness/mod.ts";
import { requirePrograms, SEARCH_ENGINE_PROGRAMS } from "../harness/programs.ts";
import { type ArchiveSource, EsmondSource } from "../../lib/esmond/mod.ts";
import { openSource } from "../../cli/migrate/source.ts";
import { roundTrip } from "./round_trip.ts";

/**
 * Every value the original served is served again through the OpenSearch backend of the esmond
 * tools under the original esmond key: every base point and every summary bin the original
 * metadata lists, and the metadata itself (links and update times aside).
 */
async function assertRoundTrip(
  original: ArchiveSource,
  url: string,
  families: readonly string[],
): Promise<void> {
  await api(url, "POST", "/pscheduler_*/_refresh");
  const result = await roundTrip(original, url);
  assertEquals(result.missingKeys, [], "original esmond keys answer");
  assertEquals(result.metadataDifferences, [], "metadata served as the original");
  for (const family of families) {
    assert((result.byEventType.get(family)?.points ?? 0) > 0, `no ${family} points`);
  }
  for (const [eventType, r] of result.byEventType) {
    assertEquals({ eventType, missing: r.missing, different: r.different, example: r.example }, {
      eventType,
      missing: 0,
      different: 0,
      example: undefined,
    });
  }
}

const FIXTURES = [
  "perfsonar_client_metadata.json",
  "throughput_data.json",
  "histogram_owdelay_minute_data.json",
  "histogram_ttl_data.json",
  "packet_count_lost_data.json",
  "packet_count_sent_data.json",
  "packet_duplicates_data.json",
].map((f) => `${REPO_ROOT}/testdata/esmond/${f}`);

interface Line {
  index: string;
  id: string;
  document: Record<string, unknown>;
}

function lines(stdout: string): Line[] {
  return stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function dropAll(url: string): Promise<void> {
  await fetch(`${url}/_data_stream/pscheduler_*`, { method: "DELETE" }).then((r) =>
    r.body?.cancel()
  );
  await fetch(`${url}/esmond_metadata`, { method: "DELETE" }).then((r) => r.body?.cancel());
}

// One small node for the whole file (the machine is shared).
if (Deno.env.get("SEARCH_ENGINE_HEAP") === undefined) Deno.env.set("SEARCH_ENGINE_HEAP", "512m");

const GIVEN_NODE = Deno.env.get("MIGRATE_TEST_OPENSEARCH");

Deno.test(requirePrograms(GIVEN_NODE === undefined ? SEARCH_ENGINE_PROGRAMS : [], {
  name: "esmond-ps-migrate into OpenSearch 2.19",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: migrationTest,
}));

async function migrationTest(t: Deno.TestContext): Promise<void> {
  // MIGRATE_TEST_OPENSEARCH=URL: a node already running (its pscheduler_* streams are dropped).
  await using started = GIVEN_NODE === undefined ? await startEngine("opensearch") : undefined;
  const node = started ?? { url: GIVEN_NODE! };
  if (GIVEN_NODE !== undefined) await dropAll(node.url);
  await using dir = await tempDir("migrate-os-");

  await t.step("fixtures as files: no mapping error, exactly the dry run's documents", async () => {
    const dry = await runTool("esmond-ps-migrate", ["--from", ...FIXTURES, "--dry-run", "--quiet"]);
    assertEquals(dry.code, 0, dry.stderr);
    const expected = lines(dry.stdout);
    assert(expected.length > 4000);
    const run = await runTool("esmond-ps-migrate", [
      "--from",
      ...FIXTURES,
      "--to",
      node.url,
      "--state",
      `${dir.path}/fixtures.state`,
    ], { timeoutMs: 180_000 });
    assertEquals(run.code, 0, run.stderr);
    // Written now or already there (a bulk request retried after a client-side timeout).
    const counts = /(\d+) documents written, (\d+) already present/.exec(run.stderr);
    assertEquals(Number(counts?.[1]) + Number(counts?.[2]), expected.length, run.stderr);
    assert(run.stderr.includes("0 refused"), run.stderr);
    const docs = await readAll(node.url, "pscheduler_*");
    assertEquals(docs.size, expected.length);
    for (const line of expected) {
      const stored = docs.get(line.id);
      assert(stored !== undefined, `missing ${line.id}`);
      assertEquals(JSON.parse(JSON.stringify(stored)), line.document);
    }
    // The template made data streams of them.
    const streams = await api(node.url, "GET", "/_data_stream/pscheduler_*");
    const names = (streams.data_streams as { name: string }[]).map((s) => s.name).sort();
    assertEquals(names, ["pscheduler_latencybg", "pscheduler_throughput"]);

    // Values per family, straight from the esmond fixture files.
    const tput = JSON.parse(await Deno.readTextFile(FIXTURES[1])) as { ts: number; val: number }[];
    const byStart = new Map<string, Record<string, unknown>>();
    for (const d of docs.values()) {
      const p = d.pscheduler as Record<string, string>;
      byStart.set(`${p.esmond_key}@${p.start_time}`, d);
    }
    for (const point of tput) {
      const key = `EC7E5AF67F8746C8AEF41E60288F3F59@${
        new Date(point.ts).toISOString().replace(".000Z", "Z")
      }`;
      assertEquals((byStart.get(key)?.result as Record<string, unknown>)?.throughput, point.val);
    }
    const owd = JSON.parse(await Deno.readTextFile(FIXTURES[2])) as {
      path: string[];
      ts: number;
      val: Record<string, number>;
    }[];
    for (const point of owd.slice(0, 200)) {
      const key = `${point.path[2]}@${new Date(point.ts).toISOString().replace(".000Z", "Z")}`;
      const latency = (byStart.get(key)?.result as Record<string, Record<string, unknown>>)
        ?.latency;
      const h = latency?.histogram as { values: number[]; counts: number[] };
      const original = Object.entries(point.val).map(([k, c]) => [Number(k), c]).sort((a, b) =>
        a[0] - b[0]
      );
      assertEquals(h.values.map((v, i) => [v, h.counts[i]]), original);
    }
    {
      await using opened = await openSource(FIXTURES);
      await assertRoundTrip(opened.source, node.url, [
        "throughput",
        "histogram-owdelay",
        "histogram-ttl",
        "packet-count-sent",
        "packet-count-lost",
        "packet-duplicates",
      ]);
    }
    // Rerun with the same state: nothing is read again.
    const again = await runTool("esmond-ps-migrate", [
      "--from",
      ...FIXTURES,
      "--to",
      node.url,
      "--state",
      `${dir.path}/fixtures.state`,
    ]);
    assertEquals(again.code, 0, again.stderr);
    assert(again.stderr.includes("(2 already done)"), again.stderr);
  });

  await dropAll(node.url);

  await t.step(
    "demo archive over REST: kill -9 at random points, reruns = one clean run",
    async () => {
      const db = `${dir.path}/demo.sqlite`;
      const seeded = await runTool("esmond-ps-archive", ["seed", "--demo", "--db", db]);
      assertEquals(seeded.code, 0, seeded.stderr);
      await using archive = await startArchive({ dbPath: db });
      const dry = await runTool("esmond-ps-migrate", [
        "--from",
        archive.url,
        "--dry-run",
        "--quiet",
      ]);
      assertEquals(dry.code, 0, dry.stderr);
      const expected = new Set(lines(dry.stdout).map((l) => `${l.index}/${l.id}`));
      const families = new Set([...expected].map((k) => k.split("/")[0]));
      assertEquals([...families].sort(), [
        "pscheduler_esmond",
        "pscheduler_latencybg",
        "pscheduler_rtt",
        "pscheduler_throughput",
        "pscheduler_trace",
      ]);
      const state = `${dir.path}/demo.state`;
      const args = [
        "--from",
        archive.url,
        "--to",
        node.url,
        "--state",
        state,
        "--concurrency",
        "3",
        "--batch-size",
        "40",
        "--rate",
        "4000",
        "--quiet",
      ];
      const tool = findTool("esmond-ps-migrate")!;
      let kills = 0;
      let rolled = 0;
      for (let attempt = 0; attempt < 30; attempt++) {
        const child = new Deno.Command(Deno.execPath(), {
          args: denoRunArgs(tool, args),
          stdout: "null",
          stderr: "piped",
        }).spawn();
        const delay = 300 + Math.floor(Math.random() * 1500);
        // Kill four runs, and more until one wrote something and the streams rolled over.
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
            kills++;
          } catch {
            // finished already
          }
        }, attempt < 4 || (rolled === 0 && attempt < 12) ? delay : 600_000);
        const out = await child.output();
        clearTimeout(timer);
        if (out.code === 0) break;
        assertEquals(out.signal, "SIGKILL", new TextDecoder().decode(out.stderr));
        if (rolled === 0) {
          // The data streams roll over between a killed run and its rerun: a `create` only
          // refuses an id of the same backing index, so re-sent runs must be found first.
          // The killed run's last bulk requests may still be queued in the node: the rollover
          // comes once they have landed (as an age-based one would, not within milliseconds).
          for (let last = -1, now = 0; now !== last; await sleep(1000)) {
            last = now;
            now = await countDocs(node.url, "pscheduler_*");
          }
          const listed = await api(node.url, "GET", "/_data_stream/pscheduler_*");
          for (const { name } of listed.data_streams as { name: string }[]) {
            await api(node.url, "POST", `/${name}/_rollover`);
            rolled++;
          }
        }
      }
      assert(kills >= 1, "no run was killed");
      assert(rolled >= 1, "no data stream rolled over");
      await api(node.url, "POST", "/pscheduler_*/_refresh");
      assertEquals(await countDocs(node.url, "pscheduler_*"), expected.size, "no run stored twice");
      const docs = await readAll(node.url, "pscheduler_*");
      const ids = new Set<string>();
      for (const [id, doc] of docs) {
        ids.add(`pscheduler_${(doc.test as { type: string }).type}/${id}`);
      }
      assertEquals(docs.size, expected.size);
      assertEquals([...ids].sort(), [...expected].sort());
      const source = new EsmondSource({ url: archive.url });
      try {
        // One event type per family of the demo (and its summaries where it has some).
        await assertRoundTrip(source, node.url, [
          "failures",
          "throughput",
          "throughput/average/86400",
          "packet-retransmits",
          "throughput-subintervals",
          "streams-throughput",
          "streams-throughput-subintervals",
          "streams-packet-retransmits",
          "histogram-owdelay",
          "histogram-owdelay/statistics/3600",
          "histogram-ttl/statistics/0",
          "packet-loss-rate",
          "packet-loss-rate/aggregation/3600",
          "time-error-estimates",
          "histogram-rtt",
          "histogram-rtt/statistics/3600",
          "packet-loss-rate-bidir",
          "packet-trace",
          "path-mtu",
          "ntp-offset",
          "ntp-offset/average/3600",
          "ntp-delay",
          "ntp-dispersion",
          "ntp-jitter",
          "ntp-reach",
          "ntp-stratum",
        ]);
      } finally {
        source.close();
      }
    },
  );
}
