// Goldens on the esmond fixtures imported as they are (keys, parameters and the original
// time-updated values kept), so the spec's example runs with its exact window and the
// original's metadata time rule. Expected text comes from the spec and the fixture files.
import { assert, assertEquals, runTool, tempDir } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { testDataUrl } from "../harness/test_data.ts";

const DATA = testDataUrl("esmond");
const file = (name: string) => new URL(name, DATA).pathname;
const day = (ts: number) => new Date(ts * 1000).toISOString().replace("T", " ").slice(0, 19);

/** The `val` texts of a Cassandra dump, in file order (keys in their stored order). */
async function dumpValues(name: string): Promise<Array<{ ts: number; val: string }>> {
  const text = await Deno.readTextFile(file(name));
  const rows = JSON.parse(text) as Array<{ ts: number }>;
  const vals = [...text.matchAll(/"val": (\{[^}]*\}|-?[0-9.eE+-]+)/g)].map((m) => m[1]);
  assertEquals(vals.length, rows.length);
  return rows.map((row, i) => ({ ts: row.ts / 1000, val: vals[i] }));
}

/**
 * A flat `{"k": n, …}` text as Python reads it: a repeated key keeps its first position and
 * takes the last value (`json.loads` into a dict).
 */
function pyDict(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of text.matchAll(/"([^"]*)":\s*(-?[0-9.eE+-]+)/g)) map.set(m[1], m[2]);
  return map;
}
const reprOf = (text: string) =>
  "{" + [...pyDict(text)].map(([k, v]) => `'${k}': ${v}`).join(", ") + "}";
const jsonOf = (text: string) =>
  "{" + [...pyDict(text)].map(([k, v]) => `"${k}": ${v}`).join(", ") + "}";

Deno.test("imported esmond fixtures: spec example, endpoints, histograms and summaries", async (t) => {
  await using dir = await tempDir();
  const dbPath = `${dir.path}/fixtures.sqlite`;
  const imported = await runTool("esmond-ps-archive", [
    "import",
    file("perfsonar_client_metadata.json"),
    file("throughput_data.json"),
    file("histogram_owdelay_minute_data.json"),
    file("histogram_owdelay_daily_data.json"),
    "--db",
    dbPath,
  ]);
  assertEquals(imported.code, 0, imported.stderr);
  await using archive = await startArchive({ dbPath });
  const url = ["-u", archive.url, "--ip"];

  await t.step("the spec's esmond-ps-get csv example, byte for byte", async () => {
    const r = await runTool("esmond-ps-get", [
      ...url,
      ...["--src", "198.129.254.30", "--dest", "198.124.252.141", "-e", "throughput"],
      ...["-S", "2014-02-05 00:00:00", "-E", "2014-02-05 16:00:00", "-o", "csv"],
    ]);
    assertEquals(r.code, 0, r.stderr);
    const prefix = "198.129.254.30,198.124.252.141,throughput,bwctl/iperf3,base,0";
    const points = (await dumpValues("throughput_data.json"))
      .filter((p) =>
        p.ts >= Date.UTC(2014, 1, 5) / 1000 && p.ts <= Date.UTC(2014, 1, 5, 16) / 1000
      );
    assertEquals(points.length, 4);
    assertEquals(
      r.stdout,
      "source,destination,event_type,tool,summary_type,summary_window,timestamp,value\r\n" +
        points.map((p) => `${prefix},${day(p.ts)},${p.val}.0\r\n`).join("") + "\n",
    );
    assert(r.stdout.includes(`${prefix},2014-02-05 01:17:50,5524593445.0\r\n`));
    assert(r.stdout.includes(`${prefix},2014-02-05 13:17:50,7549113664.0\r\n\n`));
  });

  await t.step("get-endpoints csv in metadata-key order", async () => {
    const r = await runTool("esmond-ps-get-endpoints", [
      ...url,
      "-S",
      "2014-02-05",
      "-E",
      "2014-02-06",
      "-o",
      "csv",
    ]);
    assertEquals(
      r.stdout,
      "source,destination,measurement_agent,tool_name,event_type\r\n" +
        "198.129.252.142,198.124.252.154,198.129.252.142,owamp/powstream," +
        '"histogram-owdelay, histogram-ttl, packet-count-lost, packet-count-sent, packet-duplicates"\r\n' +
        "198.129.254.30,198.124.252.141,198.129.254.30,bwctl/iperf3,throughput\r\n\n",
    );
  });

  await t.step("get-metadata -M human: six fields, then the rest sorted", async () => {
    const r = await runTool("esmond-ps-get-metadata", [
      ...url,
      ...["-S", "2014-02-05", "-E", "2014-02-06", "-t", "bwctl/iperf3", "-M"],
    ]);
    assertEquals(
      r.stdout,
      "source: 198.129.254.30\ndestination: 198.124.252.141\nmeasurement_agent: 198.129.254.30\n" +
        "input_source: lbl-pt1.es.net\ninput_destination: chic-pt1.es.net\ntool_name: bwctl/iperf3\n" +
        "ip_transport_protocol: tcp\nmetadata_count_total: 1\nmetadata_next_page: None\n" +
        "metadata_previous_page: None\nsubject_type: point-to-point\ntime_duration: 20\n" +
        "time_interval: 21600\ntime_interval_randomization: 10\n" +
        `url: ${archive.archiveUrl}EC7E5AF67F8746C8AEF41E60288F3F59/\n\n`,
    );
  });

  await t.step(
    "histogram json: buckets in stored order, bucket width from the metadata",
    async () => {
      const r = await runTool("esmond-ps-get", [
        ...url,
        ...["-s", "198.129.252.142", "-d", "198.124.252.154", "-e", "histogram-owdelay"],
        // The metadata was last written on 2014-02-05, after this window: find it by its data.
        ...[
          "-S",
          "2014-02-04 21:19:10",
          "-E",
          "2014-02-04 21:20:10",
          "-o",
          "json",
          "--match-data-time",
        ],
      ]);
      const [first, second] = await dumpValues("histogram_owdelay_minute_data.json");
      const row = (p: { ts: number; val: string }) =>
        '{"source": "198.129.252.142", "destination": "198.124.252.154", "event_type": "histogram-owdelay", ' +
        `"tool": "owamp/powstream", "summary_type": "base", "summary_window": 0, "timestamp": "${
          day(p.ts)
        }", ` +
        `"bucket": ".0001", "value": ${jsonOf(p.val)}}`;
      assertEquals(r.stdout, `[${row(first)}, ${row(second)}]\n`);
    },
  );

  await t.step("daily aggregation summary with -T/-W, human", async () => {
    const daily = await dumpValues("histogram_owdelay_daily_data.json");
    const target = daily.find((p) => day(p.ts).startsWith("2014-02-05"))!;
    const r = await runTool("esmond-ps-get", [
      ...url,
      ...["-s", "198.129.252.142", "-d", "198.124.252.154", "-e", "histogram-owdelay"],
      ...["-T", "aggregation", "-W", "86400", "-S", "2014-02-05", "-E", "2014-02-06"],
    ]);
    assertEquals(
      r.stdout,
      "source: 198.129.252.142\ndestination: 198.124.252.154\nevent_type: histogram-owdelay\n" +
        "tool: owamp/powstream\nsummary_type: aggregation\nsummary_window: 86400\n" +
        `timestamp: ${day(target.ts)}\nbucket: .0001\nvalue: ${reprOf(target.val)}\n\n`,
    );
  });
});
