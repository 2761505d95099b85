// The original Python esmond clients against the embedded archive. PyPI is not reachable from
// CI and the esmond sources are not part of this repository, so this test runs only when
// ESMOND_SOURCE points at an esmond checkout (the folder holding `esmond_client/clients/`) and
// python3 has `requests` and `dateutil`; otherwise it is reported as ignored.
import { assert, assertEquals, assertMatch, runTool, tempDir } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { CLIENT_FIXTURES, ESMOND_DATA } from "./fixture_archive.ts";
import { testDataUrl } from "../harness/test_data.ts";

const source = Deno.env.get("ESMOND_SOURCE");

async function python(args: string[], stdin?: string) {
  const child = new Deno.Command("python3", {
    args,
    env: { PYTHONPATH: `${source}/esmond_client`, PYTHONDONTWRITEBYTECODE: "1" },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

Deno.test({
  name: "original Python clients work unchanged against the archive",
  ignore: source === undefined,
  async fn() {
    const clients = `${source}/esmond_client/clients`;
    await using dir = await tempDir();
    const dbPath = `${dir.path}/py.sqlite`;
    const files = CLIENT_FIXTURES.map((f) => new URL(f, ESMOND_DATA).pathname);
    assertEquals(
      (await runTool("esmond-ps-archive", ["import", "--db", dbPath, ...files])).code,
      0,
    );
    assertEquals((await runTool("esmond-ps-archive", ["seed", "--demo", "--db", dbPath])).code, 0);
    await using archive = await startArchive({ dbPath });

    // esmond-clients.md §5 example, byte for byte
    const get = await python([
      `${clients}/esmond-ps-get`,
      "--url",
      archive.url,
      "-s",
      "198.129.254.30",
      "-d",
      "198.124.252.141",
      "-e",
      "throughput",
      "-S",
      "2014-02-05 00:00:00",
      "-E",
      "2014-02-05 16:00:00",
      "--ip",
      "-o",
      "csv",
    ]);
    assertEquals(get.code, 0, get.stderr);
    assertEquals(
      get.stdout,
      "source,destination,event_type,tool,summary_type,summary_window,timestamp,value\r\n" +
        "198.129.254.30,198.124.252.141,throughput,bwctl/iperf3,base,0,2014-02-05 01:17:50,5524593445.0\r\n" +
        "198.129.254.30,198.124.252.141,throughput,bwctl/iperf3,base,0,2014-02-05 05:17:50,4019110988.0\r\n" +
        "198.129.254.30,198.124.252.141,throughput,bwctl/iperf3,base,0,2014-02-05 09:17:50,9764400993.0\r\n" +
        "198.129.254.30,198.124.252.141,throughput,bwctl/iperf3,base,0,2014-02-05 13:17:50,7549113664.0\r\n\n",
    );
    // the client's 1000-point paging loop over a 1440-point day
    const paged = await python([
      `${clients}/esmond-ps-get`,
      "--url",
      archive.url,
      "-s",
      "198.129.252.142",
      "-d",
      "198.124.252.154",
      "-e",
      "packet-count-sent",
      "-S",
      "2014-02-04 21:00:00",
      "-E",
      "2014-02-05 22:00:00",
      "--ip",
      "-o",
      "csv",
    ]);
    assertEquals(paged.stdout.split("\r\n").length - 2, 1440);
    const endpoints = await python([
      `${clients}/esmond-ps-get-endpoints`,
      "--url",
      archive.url,
      "--ip",
    ]);
    assertEquals(endpoints.code, 0, endpoints.stderr);
    assertMatch(
      endpoints.stdout,
      /tool_name: owamp\/powstream\nevent_type: failures, histogram-owdelay/,
    );
    const stats = await python([
      `${clients}/esmond-ps-get`,
      "--url",
      archive.url,
      "-s",
      "198.51.100.10",
      "-d",
      "203.0.113.20",
      "-e",
      "histogram-owdelay",
      "-T",
      "statistics",
      "-W",
      "86400",
      "--ip",
      "-o",
      "json",
    ]);
    assertEquals(stats.code, 0, stats.stderr);
    assert(JSON.parse(stats.stdout).length >= 1);

    // a writer: esmond-ps-pipe posting a real bwctl/iperf3 result
    await runTool("esmond-ps-archive", ["token", "add", "pipe", "--db", dbPath]).then(async (t) => {
      const input = await Deno.readTextFile(testDataUrl("pipe", "tcp-4streams.bwctl.txt"));
      const piped = await python([
        `${clients}/esmond-ps-pipe`,
        "--url",
        archive.url,
        "--user",
        "pipe",
        "--key",
        t.stdout.trim(),
      ], input);
      assertEquals(piped.code, 0, piped.stderr);
    });
    const stored =
      await (await fetch(`${archive.archiveUrl}?source=127.0.0.1&event-type=throughput`))
        .json();
    assertEquals(stored.length, 1);
    assert(
      stored[0]["event-types"].some((e: { "time-updated": number | null }) => e["time-updated"]),
    );
  },
});
