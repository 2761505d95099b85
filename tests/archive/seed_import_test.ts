// `seed --demo`, `import` of esmond-ps-get-bulk JSON exports, and CLI error handling.
import { assert, assertEquals, assertMatch, freePort, runTool, tempDir } from "../harness/mod.ts";
import { denoRunArgs, findTool } from "../../scripts/tools.ts";
import { startArchive } from "../archive_server.ts";

Deno.test("seed --demo gives every data family something to show", async () => {
  await using dir = await tempDir();
  const dbPath = `${dir.path}/demo.sqlite`;
  const seeded = await runTool("esmond-ps-archive", ["seed", "--demo", "--db", dbPath]);
  assertEquals(seeded.code, 0, seeded.stderr);
  await using archive = await startArchive({ dbPath });
  const all = await (await fetch(archive.archiveUrl)).json();
  const tools = new Set(all.map((m: { "tool-name": string }) => m["tool-name"]));
  for (const tool of ["owamp/powstream", "bwctl/iperf3", "bwctl/tracepath,traceroute", "ntpd"]) {
    assert(tools.has(tool), tool);
  }
  const now = Math.floor(Date.now() / 1000);
  // the default client window (last 24 h) finds data: time-updated is the seed time
  const recent = await (await fetch(
    `${archive.archiveUrl}?time-start=${now - 86400}&time-end=${now + 60}`,
  )).json();
  assertEquals(recent.length, all.length);
  const wanted = [
    "histogram-owdelay",
    "packet-loss-rate",
    "throughput",
    "throughput-subintervals",
    "streams-throughput",
    "streams-throughput-subintervals",
    "packet-trace",
    "failures",
    "ntp-offset",
  ];
  for (const eventType of wanted) {
    let points = 0;
    for (const md of all) {
      const et = md["event-types"].find((e: { "event-type": string }) =>
        e["event-type"] === eventType
      );
      if (!et) continue;
      const data = await (await fetch(
        `${archive.url}${et["base-uri"]}?time-start=${now - 48 * 3600}&limit=100000`,
      )).json();
      points += data.length;
      for (const p of data) assert(p.ts >= now - 48 * 3600 - 1 && p.ts <= now + 1, eventType);
    }
    assert(points > 0, `no ${eventType} points`);
  }
  // summaries were computed on write
  const owamp = all.find((m: { "tool-name": string }) => m["tool-name"] === "owamp/powstream");
  const stats = await (await fetch(
    `${archive.archiveUrl}${owamp["metadata-key"]}/histogram-owdelay/statistics/86400`,
  )).json();
  assert(stats.length >= 2);
  assert(
    stats[0].val.minimum <= stats[0].val.median && stats[0].val.median <= stats[0].val.maximum,
  );
});

// Rows as `esmond-ps-get-bulk -o json` writes them (esmond-clients.md §3, §5): Python
// json.dumps separators, floats as Python prints them.
const THROUGHPUT_EXPORT = '[{"source": "198.129.254.30", "destination": "198.124.252.141", ' +
  '"event_type": "throughput", "tool": "bwctl/iperf3", "summary_type": "base", ' +
  '"summary_window": 0, "timestamp": "2014-02-05 01:17:50", "value": 5524593445.0}, ' +
  '{"source": "198.129.254.30", "destination": "198.124.252.141", "event_type": "throughput", ' +
  '"tool": "bwctl/iperf3", "summary_type": "base", "summary_window": 0, ' +
  '"timestamp": "2014-02-05 05:17:50", "value": 4019110988.0}]';

const HISTOGRAM_EXPORT = '[{"source": "198.129.252.142", "destination": "198.124.252.154", ' +
  '"event_type": "histogram-ttl", "tool": "owamp/powstream", "summary_type": "base", ' +
  '"summary_window": 0, "timestamp": "2014-02-05 00:01:39", "bucket": ".0001", ' +
  '"value": {"9": 77, "10": 523}}]';

const TRACE_EXPORT = JSON.stringify([1, 2].map((ttl) => ({
  source: "10.0.0.1",
  destination: "10.0.0.2",
  event_type: "packet-trace",
  tool: "bwctl/tracepath,traceroute",
  summary_type: "base",
  summary_window: 0,
  timestamp: "2014-02-05 00:00:00",
  ttl: String(ttl),
  query: "1",
  success: 1,
  ip: `10.0.${ttl}.1`,
  rtt: "0.5",
  mtu: null,
  error_message: null,
})));

Deno.test("import loads get-bulk JSON exports, idempotently, all or nothing", async () => {
  await using dir = await tempDir();
  const dbPath = `${dir.path}/imported.sqlite`;
  const files = {
    "throughput.json": THROUGHPUT_EXPORT,
    "ttl.json": HISTOGRAM_EXPORT,
    "trace.json": TRACE_EXPORT,
  };
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir.path}/${name}`, text);
  }
  const paths = Object.keys(files).map((n) => `${dir.path}/${n}`);
  for (let round = 0; round < 2; round++) {
    const r = await runTool("esmond-ps-archive", ["import", "--db", dbPath, ...paths]);
    assertEquals(r.code, 0, r.stderr);
  }
  // a valid first row, then a broken one: the file must leave nothing behind
  const goodRow = JSON.parse(THROUGHPUT_EXPORT)[0];
  await Deno.writeTextFile(
    `${dir.path}/bad.json`,
    JSON.stringify([{ ...goodRow, timestamp: "2014-02-06 00:00:00" }, {
      ...goodRow,
      destination: undefined,
    }]),
  );
  const bad = await runTool("esmond-ps-archive", [
    "import",
    "--db",
    dbPath,
    `${dir.path}/bad.json`,
  ]);
  assertEquals(bad.code, 1);
  assertMatch(bad.stderr, /bad\.json: row without destination \(nothing from it was stored\)/);
  const missing = await runTool("esmond-ps-archive", [
    "import",
    "--db",
    dbPath,
    `${dir.path}/nope.json`,
  ]);
  assertEquals(missing.code, 1);
  assertMatch(missing.stderr, /^esmond-ps-archive: cannot read .*nope\.json/);

  await using archive = await startArchive({ dbPath });
  const all = await (await fetch(archive.archiveUrl)).json();
  assertEquals(all.length, 3);
  const get = async (tool: string, eventType: string) => {
    const md = all.find((m: { "tool-name": string }) => m["tool-name"] === tool);
    return await (await fetch(
      `${archive.archiveUrl}${md["metadata-key"]}/${eventType}/base?time-start=0`,
    ))
      .text();
  };
  assertEquals(
    await get("bwctl/iperf3", "throughput"),
    '[{"ts":1391563070,"val":5524593445.0},{"ts":1391577470,"val":4019110988.0}]',
  );
  assertEquals(
    await get("owamp/powstream", "histogram-ttl"),
    '[{"ts":1391558499,"val":{"9":77,"10":523}}]',
  );
  assertEquals(
    await get("bwctl/tracepath,traceroute", "packet-trace"),
    '[{"ts":1391558400,"val":[' +
      '{"ttl":"1","query":"1","success":1,"ip":"10.0.1.1","rtt":"0.5","mtu":null,"error_message":null},' +
      '{"ttl":"2","query":"1","success":1,"ip":"10.0.2.1","rtt":"0.5","mtu":null,"error_message":null}]}]',
  );
});

Deno.test("CLI: usage errors give one line and a non-zero exit", async () => {
  const cases: [string[], RegExp][] = [
    [["serve"], /^esmond-ps-archive: --db FILE is required\n$/],
    [["serve", "--db", ":memory:", "--port", "x"], /^esmond-ps-archive: --port must be/],
    [["frobnicate", "--db", "x"], /^esmond-ps-archive: unknown command frobnicate\n$/],
    [["seed", "--db", ":memory:"], /^esmond-ps-archive: seed needs --demo/],
    [["serve", "--bogus"], /^esmond-ps-archive: unknown option --bogus\n$/],
  ];
  for (const [args, pattern] of cases) {
    const r = await runTool("esmond-ps-archive", args);
    assertEquals(r.code, 2, args.join(" "));
    assertMatch(r.stderr, pattern);
    assertEquals(r.stdout, "");
  }
  const help = await runTool("esmond-ps-archive", ["--help"]);
  assertEquals(help.code, 0);
  assertMatch(help.stdout, /esmond-ps-archive serve --db FILE/);
});

Deno.test("serve --db :memory: --new-token: a writable throwaway archive", async () => {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(findTool("esmond-ps-archive")!, [
      "serve",
      "--db",
      ":memory:",
      "--port",
      String(port),
      "--new-token",
      "ci",
    ]),
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("serve exited before printing the token");
    out += value;
  }
  const token = out.trim();
  assertMatch(token, /^[0-9a-f]{40}$/);
  const root = `http://127.0.0.1:${port}/esmond/perfsonar/archive/`;
  const created = await fetch(root, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Token ${token}` },
    body: JSON.stringify({
      "subject-type": "network-element",
      "source": "10.0.0.1",
      "measurement-agent": "10.0.0.1",
      "tool-name": "ntpd",
      "input-source": "ntp",
      "event-types": [{ "event-type": "ntp-offset" }],
    }),
  });
  assertEquals(created.status, 201);
  await created.body?.cancel();
  child.kill("SIGINT");
  assertEquals((await child.status).code, 0);
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
});

Deno.test("import into the database of a running archive shows up at once", async () => {
  await using archive = await startArchive();
  const before = await (await fetch(archive.archiveUrl)).json();
  assertEquals(before, []);
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/t.json`, THROUGHPUT_EXPORT);
  const r = await runTool("esmond-ps-archive", [
    "import",
    "--db",
    archive.dbPath,
    `${dir.path}/t.json`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  const after = await (await fetch(archive.archiveUrl)).json();
  assertEquals(after.length, 1);
  const md = after[0];
  const data = await (await fetch(`${archive.url}${md["event-types"][0]["base-uri"]}?time-start=0`))
    .json();
  assertEquals(data.length, 2);
  // and a second import (one more point) refreshes the cached metadata of the running server
  await Deno.writeTextFile(
    `${dir.path}/t2.json`,
    JSON.stringify([{ ...JSON.parse(THROUGHPUT_EXPORT)[0], timestamp: "2014-02-06 00:00:00" }]),
  );
  assertEquals(
    (await runTool("esmond-ps-archive", ["import", "--db", archive.dbPath, `${dir.path}/t2.json`]))
      .code,
    0,
  );
  const again =
    await (await fetch(`${archive.url}${md["event-types"][0]["base-uri"]}?time-start=0`))
      .json();
  assertEquals(again.length, 3);
});
