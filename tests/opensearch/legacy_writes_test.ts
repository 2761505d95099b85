/**
 * Legacy esmond writers through `esmond-ps-archive serve --opensearch`: `esmond-ps-pipe` (real
 * bwctl/iperf3 outputs) and the client library's `MetadataPost` / `EventTypeBulkPost` post the
 * same things to an OpenSearch-backed and a SQLite archive; the runs land as `pscheduler_*`
 * documents, and `esmond-ps-get` prints the same values through both.
 */
import { assert, assertEquals, runTool } from "../harness/mod.ts";
import { OPENSEARCH_NODE_PROGRAMS, openSearchNode, templateInstalled } from "./node.ts";
import { type RunningArchive, serveArchive } from "../../lib/archive/server.ts";
import { addToken } from "../../lib/archive/tokens.ts";
import { ESMOND_METADATA_INDEX } from "../../lib/archive/opensearch_writes.ts";
import { EventTypeBulkPost, MetadataPost } from "../../lib/esmond/mod.ts";
import { readPipeBytes } from "../pipe/expectations.ts";
import { countDocs, readAll } from "../collector_search/engine.ts";
import { requirePrograms } from "../harness/programs.ts";

const PIPE_CASES = ["tcp-4streams", "udp-2streams"];
const T0 = 1_700_000_400;
const LIB_SUBJECT = {
  subjectType: "point-to-point",
  source: "10.0.0.1",
  destination: "10.0.0.2",
  toolName: "bwctl/iperf3",
  measurementAgent: "10.0.0.1",
  inputSource: "a.example.net",
  inputDestination: "b.example.net",
  timeDuration: 20,
  ipTransportProtocol: "tcp",
};

function windowText(epoch: number): string {
  return new Date(epoch * 1000).toISOString().slice(0, 19).replace("T", " ");
}

type Written = { archive: RunningArchive; token: string; key?: string };

async function writeAll(w: Written): Promise<void> {
  for (const name of PIPE_CASES) {
    const stored = await runTool("esmond-ps-pipe", [
      "-U",
      `${w.archive.url}/esmond`,
      "-u",
      "pipe",
      "-k",
      w.token,
    ], { stdin: await readPipeBytes(`${name}.bwctl.txt`) });
    assertEquals(stored.code, 0, `${name}: ${stored.stderr}`);
  }
  const client = { url: `${w.archive.url}/esmond/perfsonar/archive/`, apiKey: w.token };
  using md = new MetadataPost({ ...client, ...LIB_SUBJECT });
  md.addEventType("throughput");
  md.addEventType("packet-retransmits");
  md.addEventType("failures");
  md.addSummaryType("throughput", "average", 86400);
  const posted = await md.postMetadata();
  assertEquals((await md.postMetadata()).metadataKey, posted.metadataKey, "identical re-post");
  w.key = posted.metadataKey;
  using bulk = new EventTypeBulkPost({ ...client, metadataKey: posted.metadataKey });
  for (let i = 0; i < 3; i++) {
    bulk.addDataPoint("throughput", T0 + 3600 * i, 5_000_000_000 + i * 1000);
    bulk.addDataPoint("packet-retransmits", T0 + 3600 * i, 7 + i);
  }
  bulk.addDataPoint("failures", T0 + 3600 * 3, { error: "iperf3 could not connect" });
  await bulk.postData();
  await bulk.postData(); // a retry stores nothing new (and is accepted, as over SQLite)
}

// The rows `esmond-ps-get -o json` prints, sorted: the two archives order metadata by their
// keys, which differ (random over SQLite, from the checksum over OpenSearch). A subinterval's
// `duration` is kept to 12 digits: a document holds an interval's start and end, as perfSONAR
// 5 does, so the duration read back is end − start (1.0000220537185671 for a posted
// 1.000022053718567).
async function get(archive: RunningArchive, args: string[]): Promise<string[]> {
  const result = await runTool("esmond-ps-get", ["-u", archive.url, ...args, "-o", "json"]);
  assertEquals(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as Record<string, unknown>[]).map((row) => {
    if (typeof row.duration === "number") row.duration = Number(row.duration.toPrecision(12));
    return JSON.stringify(row);
  }).sort();
}

Deno.test(requirePrograms(
  OPENSEARCH_NODE_PROGRAMS,
  {
    name:
      "serve --opensearch: esmond-ps-pipe and the client library write, esmond-ps-get reads back as over SQLite",
    fn: legacyWrites,
  },
));

async function legacyWrites(): Promise<void> {
  await using engine = await openSearchNode();
  await using os = serveArchive({
    dbPath: ":memory:",
    port: 0,
    handleSignals: false,
    opensearch: { url: engine.url },
  });
  await using sqlite = serveArchive({ dbPath: ":memory:", port: 0, handleSignals: false });
  await templateInstalled(engine.url);
  const viaOs: Written = { archive: os, token: await addToken(os.db, "pipe") };
  const viaSqlite: Written = { archive: sqlite, token: await addToken(sqlite.db, "pipe") };
  await writeAll(viaOs);
  await writeAll(viaSqlite);

  // Runs as perfSONAR 5 documents: one per ts (two pipe runs, four library ts), keyed by metadata.
  assertEquals(await countDocs(engine.url, "pscheduler_*"), PIPE_CASES.length + 4);
  const docs = [...(await readAll(engine.url, "pscheduler_*")).values()];
  for (const doc of docs) {
    const ps = doc.pscheduler as Record<string, unknown>;
    assertEquals((doc.test as Record<string, unknown>).type, "throughput");
    assert(typeof ps.test_checksum === "string" && typeof ps.esmond_key === "string");
  }
  assertEquals(
    docs.filter((d) => (d.pscheduler as Record<string, unknown>).esmond_key === viaOs.key).length,
    4,
  );
  assertEquals(await countDocs(engine.url, ESMOND_METADATA_INDEX), PIPE_CASES.length + 1);
  const refused = await fetch(`${os.url}/esmond/perfsonar/archive/0123456789abcdef/`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Token ${viaOs.token}` },
    body: '{"data":[{"ts":1,"val":[{"event-type":"throughput","val":1}]}]}',
  });
  assertEquals(refused.status, 404, await refused.text());

  // The pipe's runs: every throughput event type, both archives, same bytes.
  const wide = ["-S", windowText(0), "-E", windowText(Math.floor(Date.now() / 1000) + 86400)];
  for (
    const eventType of [
      "throughput",
      "throughput-subintervals",
      "streams-throughput",
      "packet-retransmits",
      "packet-loss-rate",
      "packet-count-sent",
    ]
  ) {
    const args = ["--src", "127.0.0.1", "--dest", "127.0.0.1", "--ip", "-e", eventType, ...wide];
    const want = await get(sqlite, args);
    assert(!want.join().includes("No data found"), `${eventType}: ${want}`);
    assertEquals(await get(os, args), want, eventType);
  }
  // The library's metadata: values, failures and an average summary.
  for (const eventType of ["throughput", "packet-retransmits", "failures"]) {
    const args = ["--src", "10.0.0.1", "--dest", "10.0.0.2", "--ip", "-e", eventType, ...wide];
    const want = await get(sqlite, args);
    assert(!want.join().includes("No data found"), `${eventType}: ${want}`);
    assertEquals(await get(os, args), want, eventType);
  }
  // Same values at the points route of the key the POST answered.
  const points = async (w: Written) =>
    await (await fetch(
      `${w.archive.url}/esmond/perfsonar/archive/${w.key}/throughput/base?time-start=0`,
    )).json();
  assertEquals(await points(viaOs), await points(viaSqlite));
}
