// End-to-end: the query tools as subprocesses against a real esmond-ps-archive seeded through
// its write API. Expectations follow the clients spec's rules for the seeded values.
import { assert, assertEquals, assertMatch, runTool } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { seedArchive } from "./seed.ts";

const day = (ts: number) => new Date(ts * 1000).toISOString().replace("T", " ").slice(0, 19);
const iso = (ts: number) => new Date(ts * 1000).toISOString();
const IPERF = ["-s", "198.129.254.30", "-d", "198.124.252.141"];
const OWAMP = ["-s", "198.129.252.142", "-d", "198.124.252.154"];
const TRACE = ["-s", "2001:400:201:1150::3", "-d", "2001:400:210:151::2"];

Deno.test("query tools against a seeded archive", async (t) => {
  await using archive = await startArchive();
  const seeded = await seedArchive(archive.archiveUrl, archive.token, { points: 3 });
  const { base } = seeded;
  // Metadata are found by their last write time (now), data by their timestamps (from base).
  const window = ["-S", iso(base - 3600), "-E", iso(Math.floor(Date.now() / 1000) + 3600)];
  const run = (tool: string, args: string[]) =>
    runTool(tool, ["-u", archive.url, ...window, ...args]);

  await t.step("get-endpoints csv with --ip: archive order, event types joined", async () => {
    const r = await run("esmond-ps-get-endpoints", ["--ip", "-o", "csv"]);
    assertEquals(r.code, 0);
    const lines = r.stdout.split("\r\n");
    assertEquals(lines[0], "source,destination,measurement_agent,tool_name,event_type");
    assertEquals(lines.length, 5);
    assertEquals(lines[4], "\n");
    assert(lines.includes(
      "198.129.252.142,198.124.252.154,198.129.252.142,owamp/powstream," +
        '"histogram-owdelay, packet-count-sent, packet-loss-rate"',
    ));
    assert(lines.includes(
      '2001:400:201:1150::3,2001:400:210:151::2,2001:400:201:1150::3,"bwctl/tracepath,traceroute",' +
        '"packet-trace, path-mtu"',
    ));
  });

  await t.step("-F: free-form filter passed to the archive, dashed names accepted", async () => {
    const tcp = await run("esmond-ps-get-metadata", [
      "--ip",
      "-o",
      "csv",
      "-F",
      "ip-transport-protocol:tcp",
    ]);
    assertEquals(
      tcp.stdout,
      "source,destination,measurement_agent,input_source,input_destination,tool_name\r\n" +
        "198.129.254.30,198.124.252.141,198.129.254.30,lbl-pt1.es.net,chic-pt1.es.net,bwctl/iperf3\r\n\n",
    );
    const input = await run("esmond-ps-get-metadata", [
      "--ip",
      "-F",
      "input-source:lbl-owamp.es.net",
    ]);
    assertEquals(
      input.stdout,
      "source: 198.129.252.142\ndestination: 198.124.252.154\nmeasurement_agent: 198.129.252.142\n" +
        "input_source: lbl-owamp.es.net\ninput_destination: chic-owamp.es.net\ntool_name: owamp/powstream\n\n",
    );
    const none = await run("esmond-ps-get-endpoints", [
      "--ip",
      "-F",
      "tool_name:nothing",
      "-o",
      "json",
    ]);
    assertEquals([none.code, none.stdout], [0, '[{"msg": "No data found."}]\n']);
  });

  await t.step("get-metadata -M json: all keys sorted, free-form values as strings", async () => {
    const r = await run("esmond-ps-get-metadata", [...IPERF, "--ip", "-M", "-o", "json"]);
    const rows = JSON.parse(r.stdout);
    assertEquals(rows.length, 1);
    assertEquals(Object.keys(rows[0]), [...Object.keys(rows[0])].sort());
    assertEquals([rows[0].time_duration, rows[0].ip_transport_protocol], ["20", "tcp"]);
    assertEquals(rows[0].metadata_count_total, 1);
  });

  await t.step("get numeric csv: integer event type values come back as floats", async () => {
    const r = await run("esmond-ps-get", [...IPERF, "--ip", "-e", "throughput", "-o", "csv"]);
    const prefix = "198.129.254.30,198.124.252.141,throughput,bwctl/iperf3,base,0";
    assertEquals(
      r.stdout,
      "source,destination,event_type,tool,summary_type,summary_window,timestamp,value\r\n" +
        [0, 1, 2].map((i) => `${prefix},${day(base + 60 * i)},${9000000000 + i}.0\r\n`).join("") +
        "\n",
    );
  });

  await t.step("summaries: -T/-W reads the summary; -T without -W warns on stderr", async () => {
    // Summary bins start at multiples of the window: the daily average is at 00:00 UTC.
    const dayStart = ["-S", iso(Math.floor(base / 86400) * 86400)];
    const avg = await run("esmond-ps-get", [
      ...IPERF,
      ...dayStart,
      "--ip",
      "-e",
      "throughput",
      "-T",
      "average",
      "-W",
      "86400",
      "-o",
      "json",
    ]);
    const rows = JSON.parse(avg.stdout);
    assertEquals(rows.length, 1);
    assertEquals([rows[0].summary_type, rows[0].summary_window, rows[0].value], [
      "average",
      86400,
      9000000001,
    ]);
    assertMatch(avg.stdout, /"value": 9000000001\.0/);
    const noW = await run("esmond-ps-get", [...IPERF, "--ip", "-e", "throughput", "-T", "average"]);
    assertEquals([noW.code, noW.stdout], [0, "No data found.\n"]);
    assertMatch(noW.stderr, /-T average without -W.*86400/);
    const stats = await run("esmond-ps-get", [
      ...OWAMP,
      "--ip",
      "-e",
      "histogram-owdelay",
      "-T",
      "statistics",
      "-o",
      "csv",
    ]);
    const line = stats.stdout.split("\r\n")[1];
    assertMatch(
      line,
      /,statistics,0,.*,41\.0,41\.1,50\.0,41\.09\d*,"41\.\d, 41\.\d",0\.633\d*,0\.401\d*,41\.0,41\.1,41\.1$/,
    );
  });

  await t.step("packet-trace human: header block then hop blocks; IPv6 --src/--dest", async () => {
    const r = await run("esmond-ps-get", [...TRACE, "--ip", "-e", "packet-trace"]);
    const blocks = r.stdout.split("= + = + = + = + = + =\n");
    assertEquals(blocks.length, 9);
    assertEquals(
      blocks[0],
      "source: 2001:400:201:1150::3\ndestination: 2001:400:210:151::2\nevent_type: packet-trace\n" +
        `tool: bwctl/tracepath,traceroute\nsummary_type: base\nsummary_window: 0\ntimestamp: ${
          day(base)
        }\n`,
    );
    assertEquals(
      blocks[2],
      "ttl: 2\nquery: 1\nsuccess: 0\nip: None\nrtt: None\nmtu: None\nerror_message: timeout\n",
    );
    assert(r.stdout.endsWith("error_message: timeout\n\n"));
  });

  await t.step("event types the originals could not format come out as raw JSON", async () => {
    const r = await run("esmond-ps-get", [...IPERF, "--ip", "-e", "pscheduler-raw", "-o", "csv"]);
    assertEquals(r.code, 0);
    assertEquals(
      r.stdout.split("\r\n")[1],
      `198.129.254.30,198.124.252.141,pscheduler-raw,bwctl/iperf3,base,0,${
        day(base)
      },"{""succeeded"": true, ""run"": 0}"`,
    );
  });

  await t.step("validation exit 1 with the original's text; -L exit 0", async () => {
    const r = await runTool("esmond-ps-get", ["-u", archive.url, "-s", "x"]);
    assertEquals(r.code, 1);
    assert(
      r.stdout.startsWith(
        "--src and --dest args are both required (ntp-* event types only require --src).\n\n",
      ),
    );
    const bad = await runTool("esmond-ps-get", ["-W", "abc"]);
    assertEquals(bad.code, 1);
    assert(bad.stderr.endsWith("esmond-ps-get: error: option -W: invalid integer value: 'abc'\n"));
    const list = await runTool("esmond-ps-get-bulk", ["-L"]);
    assertEquals([list.code, list.stdout.split("\n")[1]], [0, "Valid event types:"]);
  });
});

Deno.test("host names: resolved unless --ip (127.0.0.1 is localhost in /etc/hosts)", async () => {
  await using archive = await startArchive();
  const headers = { "content-type": "application/json", authorization: `Token ${archive.token}` };
  const response = await fetch(archive.archiveUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Token ${archive.token}` },
    body: JSON.stringify({
      "subject-type": "point-to-point",
      "source": "127.0.0.1",
      "destination": "192.0.2.1",
      "measurement-agent": "127.0.0.1",
      "tool-name": "bwctl/iperf3",
      "input-source": "127.0.0.1",
      "input-destination": "192.0.2.1",
      "event-types": [{ "event-type": "throughput" }],
    }),
  });
  const key = (await response.json())["metadata-key"];
  const point = await fetch(`${archive.archiveUrl}${key}/throughput/base`, {
    method: "POST",
    headers,
    body: JSON.stringify({ ts: 1700000000, val: 1 }),
  });
  assertEquals(point.status, 201);
  await point.body?.cancel();
  const args = ["-u", archive.url, "-S", "2000-01-01", "-E", "2100-01-01", "-o", "csv"];
  const named = await runTool("esmond-ps-get-metadata", args);
  // 192.0.2.1 (TEST-NET) has no name: kept as it is, after at most the short lookup timeout.
  assertEquals(
    named.stdout.split("\r\n")[1],
    "localhost,192.0.2.1,localhost,127.0.0.1,192.0.2.1,bwctl/iperf3",
  );
  const raw = await runTool("esmond-ps-get-metadata", [...args, "--ip"]);
  assertEquals(
    raw.stdout.split("\r\n")[1],
    "127.0.0.1,192.0.2.1,127.0.0.1,127.0.0.1,192.0.2.1,bwctl/iperf3",
  );
});

Deno.test("archive unreachable: exit 2 and one error line", async () => {
  await using archive = await startArchive();
  const url = archive.url;
  await archive.stop();
  const r = await runTool("esmond-ps-get-endpoints", ["-u", url, "--ip", "--timeout", "2"]);
  assertEquals(r.code, 2);
  assertEquals(r.stdout, "");
  const errorLines = r.stderr.split("\n").filter((line) =>
    line.startsWith("esmond-ps-get-endpoints: error:")
  );
  assertEquals(errorLines.length, 1);
});

Deno.test("--url with a prefix path and with a pasted archive path", async () => {
  await using archive = await startArchive({ scriptAlias: "/mirror/esmond" });
  await seedArchive(archive.archiveUrl, archive.token, { points: 1 });
  const window = [
    "-S",
    "2000-01-01",
    "-E",
    "2100-01-01",
    "--ip",
    "-o",
    "csv",
    "-t",
    "owamp/powstream",
  ];
  const prefixed = await runTool("esmond-ps-get-endpoints", [
    "-u",
    `${archive.url}/mirror`,
    ...window,
  ]);
  assertEquals(prefixed.code, 0, prefixed.stderr);
  const lines = prefixed.stdout.split("\r\n");
  assertEquals(lines.length, 3);
  assert(lines[1].startsWith("198.129.252.142,198.124.252.154,198.129.252.142,owamp/powstream,"));
  await using plain = await startArchive();
  await seedArchive(plain.archiveUrl, plain.token, { points: 1 });
  const pasted = await runTool("esmond-ps-get-endpoints", [
    "-u",
    `${plain.url}/esmond/perfsonar/archive/`,
    ...window,
  ]);
  assert(pasted.stdout.startsWith(
    "\n not necessary to add /esmond/perfsonar/archive to --url arg - trimming\n" +
      "source,destination,measurement_agent,tool_name,event_type\r\n198.129.252.142,",
  ));
});
