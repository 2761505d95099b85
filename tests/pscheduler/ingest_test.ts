// pScheduler's http archiver → esmond-ps-archive `/logstash` → the esmond query tools, through
// real HTTP, real subprocesses and a real SIGKILL.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals, assertMatch } from "../harness/assert.ts";
import { runTool, tempDir } from "../harness/mod.ts";
import { startArchive, type TestArchive } from "../archive_server.ts";
import { type RunCase, runCases } from "./testdata.ts";

const CASES = runCases();
const START = "2016-01-01";

async function namesFile(dir: { join(...p: string[]): string }): Promise<string> {
  const forward: Record<string, unknown> = {};
  for (const c of CASES) Object.assign(forward, c.names.forward ?? {});
  const path = dir.join("names.json");
  await Deno.writeTextFile(path, JSON.stringify({ forward }));
  return path;
}

// What pScheduler's http archiver sends: the `_headers` of the archive spec, PUT, the body.
function archiverPost(archive: TestArchive, c: RunCase, auth?: string): Promise<Response> {
  return fetch(`${archive.url}/logstash`, {
    method: "PUT",
    headers: { ...c.headers, authorization: auth ?? `Token ${archive.token}` },
    body: c.text,
  });
}

function dbCounts(path: string): { documents: number; metadata: number; points: number } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const n = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
    return {
      documents: n("SELECT count(*) AS n FROM pscheduler_documents"),
      metadata: n("SELECT count(*) AS n FROM metadata"),
      points: n("SELECT count(*) AS n FROM points"),
    };
  } finally {
    db.close();
  }
}

async function tool(name: string, args: string[]): Promise<string> {
  const r = await runTool(name, args);
  assertEquals(r.code, 0, `${name} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

Deno.test("ingest: every body as the http archiver posts it, read back with the esmond tools", async () => {
  await using dir = await tempDir();
  await using archive = await startArchive({
    extraArgs: ["--offline", "--names", await namesFile(dir)],
  });
  for (const c of CASES) {
    const r = await archiverPost(archive, c);
    assertEquals(r.status, 200, `${c.name}: ${await r.clone().text()}`);
    assertEquals(await r.text(), "ok");
    assertEquals(r.headers.get("x-runs-stored"), "1");
  }
  const after = dbCounts(archive.dbPath);
  assertEquals(after.documents, 8);
  assertEquals(after.metadata, 8);

  const u = archive.url;
  const metadata = JSON.parse(
    await tool("esmond-ps-get-metadata", ["-u", u, "-S", START, "-o", "json"]),
  );
  assertEquals(
    metadata.map((m: { tool_name: string }) => m.tool_name).sort(),
    [
      "pscheduler/iperf3",
      "pscheduler/iperf3",
      "pscheduler/iperf3",
      "pscheduler/ping",
      "pscheduler/ping",
      "pscheduler/powstream",
      "pscheduler/traceroute",
      "pscheduler/twping",
    ],
  );

  const get = async (args: string[]) =>
    JSON.parse(await tool("esmond-ps-get", ["-u", u, "-S", START, "-o", "json", ...args]));
  const tcp = await get(["-s", "192.168.1.104", "-d", "192.168.1.101", "-e", "throughput"]);
  assertEquals(tcp.length, 1);
  assertEquals(Math.trunc(tcp[0].throughput ?? tcp[0].value), 942617924);
  const retransmits = await get([
    "-s",
    "192.168.1.104",
    "-d",
    "192.168.1.101",
    "-e",
    "packet-retransmits",
  ]);
  assertEquals(retransmits[0].packet_retransmits ?? retransmits[0].value, 7);
  const loss = await get(["-s", "10.0.2.15", "-d", "10.0.2.4", "-e", "packet-loss-rate"]);
  assertEquals(loss[0].packet_loss_rate ?? loss[0].value, 0);
  const owdelay = await get([
    "-s",
    "192.168.1.104",
    "-d",
    "192.168.1.101",
    "-e",
    "histogram-owdelay",
  ]);
  assertEquals(owdelay.length, 1);
  assertEquals(owdelay[0].timestamp, "2026-07-27 05:46:05");
  const stats = await get([
    "-s",
    "192.168.1.104",
    "-d",
    "192.168.1.101",
    "-e",
    "histogram-owdelay",
    "-T",
    "statistics",
  ]);
  assertEquals(stats[0].mean, -13.390500000000001);
  assertEquals(stats[0].median, -13.145);
  assertEquals(stats[0].percentile_95, -11.8405);
  assertEquals(stats[0].standard_deviation, 1.1362194990405678);
  const bg = await get([
    "-s",
    "10.0.0.1",
    "-d",
    "10.0.0.2",
    "-e",
    "histogram-owdelay",
    "-T",
    "statistics",
  ]);
  assertEquals(bg[0].mean, 39.498733333333334);
  assertEquals(bg[0].mode, [39.52]);
  const rtt = await get([
    "-s",
    "192.168.1.104",
    "-d",
    "1.1.1.1",
    "-e",
    "histogram-rtt",
    "-T",
    "statistics",
  ]);
  assertEquals(rtt[0].min, 8.61);
  assertEquals(rtt[0].max, 9.78);
  const lostBidir = await get([
    "-s",
    "192.168.1.104",
    "-d",
    "192.0.2.1",
    "-e",
    "packet-count-lost-bidir",
  ]);
  assertEquals(lostBidir[0].packet_count_lost_bidir ?? lostBidir[0].value, 5);
  const human = await tool("esmond-ps-get", [
    "-u",
    u,
    "-S",
    START,
    "-s",
    "192.168.1.104",
    "-d",
    "1.1.1.1",
    "-e",
    "packet-trace",
  ]);
  assertMatch(human, /192\.168\.1\.1/);
  assertMatch(human, /1\.1\.1\.1/);
  const failures = await tool("esmond-ps-get", [
    "-u",
    u,
    "-S",
    START,
    "-s",
    "127.0.0.1",
    "-d",
    "127.0.0.1",
    "-e",
    "failures",
  ]);
  assertMatch(failures, /unable to connect to server: Connection refused/);

  const out = dir.join("bulk");
  await Deno.mkdir(out);
  await tool("esmond-ps-get-bulk", ["-u", u, "-S", START, "-o", "json", "-D", out, "--ip"]);
  const files = [...Deno.readDirSync(out)].map((e) => e.name);
  for (
    const et of [
      "throughput",
      "histogram-owdelay",
      "histogram-rtt",
      "packet-trace",
      "packet-loss-rate",
    ]
  ) {
    assert(files.some((f) => f.includes(`_${et}_`)), `bulk export has ${et}: ${files.join(" ")}`);
  }
  const tcpFile = files.find((f) => f.startsWith("192.168.1.104_192.168.1.101_throughput_"))!;
  assertMatch(await Deno.readTextFile(`${out}/${tcpFile}`), /942617924/);

  // pScheduler retries: a re-sent run stores nothing new.
  for (const c of CASES) {
    const r = await archiverPost(archive, c);
    assertEquals(r.status, 200);
    await r.body?.cancel();
    assertEquals(r.headers.get("x-runs-stored"), "0");
    assertEquals(r.headers.get("x-runs-already-stored"), "1");
  }
  assertEquals(dbCounts(archive.dbPath), after);
});

Deno.test("ingest: credentials, bad bodies and methods", async () => {
  await using archive = await startArchive({
    extraArgs: ["--offline", "--logstash-path", "/ps/in"],
  });
  const c = CASES[0];
  const post = (init: RequestInit, path = "/ps/in") => fetch(`${archive.url}${path}`, init);
  const noAuth = await post({ method: "POST", headers: c.headers, body: c.text });
  assertEquals(noAuth.status, 401);
  await noAuth.body?.cancel();
  const wrongToken = await post({
    method: "POST",
    headers: { ...c.headers, authorization: "Token nope" },
    body: c.text,
  });
  assertEquals(wrongToken.status, 401);
  await wrongToken.body?.cancel();
  const auth = { authorization: `Token ${archive.token}` };
  for (
    const [body, reason] of [
      ["", /empty body/],
      ['{"test": ', /not JSON/],
      ['{"result": {}}', /no test\.type/],
      ['{"test": {"type": "Throughput"}}', /lowercase/],
      ["[]", /empty JSON array/],
      [
        '{"test":{"type":"rtt","spec":{"dest":"192.0.2.1"}},"tool":{"name":"ping"}}',
        /schedule\.start/,
      ],
    ] as const
  ) {
    const r = await post({ method: "POST", headers: { ...c.headers, ...auth }, body });
    assertEquals(r.status, 400, body);
    assertMatch((await r.json()).detail, reason);
  }
  const get = await post({ method: "GET", headers: auth });
  assertEquals(get.status, 405);
  await get.body?.cancel();
  assertEquals(dbCounts(archive.dbPath).documents, 0);
  assertEquals(dbCounts(archive.dbPath).metadata, 0);
  // Basic auth as perfSONAR's own set-up sends it: archive user + token as password.
  const basic = await post({
    method: "PUT",
    headers: { ...c.headers, authorization: `Basic ${btoa(`test:${archive.token}`)}` },
    body: c.text,
  }, "/ps/in/anything");
  assertEquals(basic.status, 200, await basic.clone().text());
  await basic.body?.cancel();
  const badBasic = await post({
    method: "PUT",
    headers: { ...c.headers, authorization: `Basic ${btoa("other:" + archive.token)}` },
    body: c.text,
  });
  assertEquals(badBasic.status, 401);
  await badBasic.body?.cancel();
  const notThere = await fetch(`${archive.url}/logstash`, {
    method: "POST",
    headers: auth,
    body: c.text,
  });
  assertEquals(notThere.status, 404);
  await notThere.body?.cancel();
  assertEquals(dbCounts(archive.dbPath).documents, 1);
});

Deno.test("ingest: killed -9 right after a 2xx, the run is still there", async () => {
  await using dir = await tempDir();
  const dbPath = dir.join("archive.sqlite");
  const c = CASES.find((x) => x.name === "latency-twamp")!;
  {
    const archive = await startArchive({ dbPath, extraArgs: ["--offline"] });
    const r = await archiverPost(archive, c);
    assertEquals(r.status, 200);
    await archive.stop("SIGKILL");
    await r.body?.cancel();
  }
  assertEquals(dbCounts(dbPath).documents, 1);
  await using again = await startArchive({ dbPath, extraArgs: ["--offline"] });
  const stats = JSON.parse(
    await tool("esmond-ps-get", [
      "-u",
      again.url,
      "-S",
      START,
      "-o",
      "json",
      "-s",
      "192.168.1.104",
      "-d",
      "192.168.1.101",
      "-e",
      "histogram-owdelay",
      "-T",
      "statistics",
    ]),
  );
  assertEquals(stats[0].median, -13.145);
  const re = await archiverPost(again, c);
  assertEquals(re.headers.get("x-runs-stored"), "0");
  await re.body?.cancel();
});

Deno.test("ingest: concurrent posts, one bad; a second run at the same second keeps its document", async () => {
  await using archive = await startArchive({ extraArgs: ["--offline"] });
  const c = CASES.find((x) => x.name === "latency-twamp")!;
  const auth = { authorization: `Token ${archive.token}` };
  const variant = (i: number, start = `2026-07-27T06:${String(i).padStart(2, "0")}:05+00:00`) =>
    c.text.replaceAll(
      "28063fc8-2f5f-408b-90a9-74cb6da37d9a",
      `28063fc8-2f5f-408b-90a9-${String(i).padStart(12, "0")}`,
    )
      .replaceAll("2026-07-27T05:46:05+00:00", start);
  const posts = Array.from({ length: 20 }, (_, i) =>
    fetch(`${archive.url}/logstash`, {
      method: "POST",
      headers: { ...c.headers, ...auth },
      body: i === 7 ? '{"test": {"type": "latency"}}' : variant(i),
    }));
  const answers = await Promise.all(posts);
  for (const [i, r] of answers.entries()) {
    assertEquals(r.status, i === 7 ? 400 : 200, `post ${i}`);
    await r.body?.cancel();
  }
  assertEquals(dbCounts(archive.dbPath).documents, 19);
  assertEquals(dbCounts(archive.dbPath).metadata, 1);
  const points = dbCounts(archive.dbPath).points;
  // Same test, same start second, another run: stored, its esmond points left to the first.
  const same = await fetch(`${archive.url}/logstash`, {
    method: "POST",
    headers: { ...c.headers, ...auth },
    body: variant(99, "2026-07-27T06:03:05+00:00"),
  });
  assertEquals(same.status, 200, await same.clone().text());
  await same.body?.cancel();
  assertEquals(dbCounts(archive.dbPath).documents, 20);
  assertEquals(dbCounts(archive.dbPath).points, points);
});
