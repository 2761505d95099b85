import {
  assert,
  assertEquals,
  type ChildServer,
  freePort,
  runTool,
  startChildServer,
  tempDir,
} from "../harness/mod.ts";
import { denoRunArgs, findTool } from "../../scripts/tools.ts";
import { replayUdp } from "../../scripts/replay_udp.ts";
import { capturePath, replayShared } from "./helpers.ts";

const CAPTURES = ["read_single.ndjson", "write_single.ndjson", "parallel_small.ndjson"];

async function startCollector(
  args: string[],
): Promise<{ server: ChildServer; port: number; metrics: string }> {
  const port = freePort("udp");
  const metricsPort = freePort();
  const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
  const server = await startChildServer({
    name: "xrootd-fstream-collector",
    command: Deno.execPath(),
    args: denoRunArgs(findTool("xrootd-fstream-collector")!, [
      "--bind=127.0.0.1",
      `--port=${port}`,
      `--metrics-port=${metricsPort}`,
      "--time=1",
      ...args,
    ]),
    ready: async () => {
      try {
        const response = await fetch(metrics);
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    },
  });
  return { server, port, metrics };
}

/** A document with what legitimately differs between runs (sender port, clock) taken out. */
function normalise(doc: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === "xrd_record_add_time") continue;
    out[key] = typeof value === "string"
      ? value.replace(/^127\.0\.0\.1:\d+-/, "127.0.0.1:P-")
      : value;
  }
  if (doc.xrd_msg_type === "user_connection") delete out["@timestamp"];
  return JSON.stringify(out);
}

async function expectedDocs(names: string[]): Promise<string[]> {
  const docs: string[] = [];
  for (const name of names) docs.push(...(await replayShared(name)).docs.map(normalise));
  return docs.sort();
}

function parseLines(text: string): Record<string, unknown>[] {
  return text.trimEnd().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.split(" ")[1]);
}

Deno.test("UDP end to end at recorded pace: every document appears in --output, SIGTERM exits 0", async () => {
  await using dir = await tempDir("collector-e2e-");
  const output = `${dir.path}/docs.ndjson`;
  const capture = `${dir.path}/capture.ndjson`;
  const { server, port, metrics } = await startCollector([
    `--output=${output}`,
    `--capture=${capture}`,
  ]);
  try {
    const sent = await replayUdp({
      path: capturePath("read_single.ndjson"),
      hostname: "127.0.0.1",
      port,
      pace: "recorded",
    });
    assertEquals(sent.packets, 4);
    assert(sent.seconds > 5, `recorded pace took only ${sent.seconds} s`);
    for (
      let i = 0;
      i < 50 && (await metricValue(metrics, "xrootd_collector_packets_total")) < 4;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assertEquals(await metricValue(metrics, "xrootd_collector_documents_total"), 3);
    assertEquals(await metricValue(metrics, "xrootd_collector_decode_errors_total"), 0);
  } finally {
    const status = await server.stop("SIGTERM");
    assertEquals(status.code, 0, server.stderr());
  }
  const docs = parseLines(await Deno.readTextFile(output));
  assertEquals(docs.map(normalise).sort(), await expectedDocs(["read_single.ndjson"]));
  // The raw capture written while running replays to the same documents.
  const captured = await Deno.readTextFile(capture);
  assertEquals(captured.trimEnd().split("\n").length, 4);
  const replayed = await runTool("xrootd-fstream-collector", ["--replay", capture]);
  assertEquals(replayed.code, 0, replayed.stderr);
  assertEquals(parseLines(replayed.stdout).map(normalise), docs.map(normalise));
});

Deno.test("UDP end to end at max speed, three servers at once, NDJSON on stdout", async () => {
  const { server, port, metrics } = await startCollector([]);
  let stdout = "";
  try {
    await Promise.all(
      CAPTURES.map((name) =>
        replayUdp({ path: capturePath(name), hostname: "127.0.0.1", port, pace: "max" })
      ),
    );
    for (
      let i = 0;
      i < 50 && (await metricValue(metrics, "xrootd_collector_packets_total")) < 24;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const prom = await (await fetch(metrics)).text();
    assert(prom.includes('xrootd_collector_records_total{type="open"} 22'), prom);
    assert(prom.includes('xrootd_collector_packets_by_code_total{code="u"} 14'), prom);
    const gapLines = prom.split("\n").filter((l) =>
      l.startsWith("xrootd_collector_sequence_gaps_total{")
    );
    assertEquals(gapLines.length, 3, prom);
    for (const line of gapLines) assert(line.endsWith(" 0"), line);
  } finally {
    const status = await server.stop("SIGINT");
    assertEquals(status.code, 0, server.stderr());
    // The pipe may still hold the last lines when the exit status arrives.
    await new Promise((r) => setTimeout(r, 200));
    stdout = server.stdout();
  }
  const docs = parseLines(stdout);
  assertEquals(docs.length, 3 + 3 + 52);
  assertEquals(docs.map(normalise).sort(), await expectedDocs(CAPTURES));
});
