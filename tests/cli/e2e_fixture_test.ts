// Golden tests on the esmond fixtures of testdata/esmond (client-library metadata and time
// series), loaded into a real esmond-ps-archive through its write API. Expected lines come from
// the clients spec's example and from the fixture files themselves.
import { assert, assertEquals, runTool } from "../harness/mod.ts";
import { startArchive, type TestArchive } from "../archive_server.ts";
import { testDataUrl } from "../harness/test_data.ts";

const DATA = testDataUrl("esmond");

interface FixtureRow {
  model: string;
  pk: number;
  fields: Record<string, unknown>;
}

async function send(archive: TestArchive, url: string, method: string, body: string) {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json", authorization: `Token ${archive.token}` },
    body,
  });
  const text = await response.text();
  assertEquals(response.status, 201, text);
  return text;
}

/** Posts the metadata of `key` from the relational fixture; returns the new metadata key. */
async function postMetadata(archive: TestArchive, rows: FixtureRow[], key: string) {
  const md = rows.find((r) => r.model === "api.psmetadata" && r.fields.metadata_key === key)!;
  const mine = (model: string) =>
    rows.filter((r) => r.model === model && r.fields.metadata === md.pk);
  const subject = mine("api.pspointtopointsubject")[0].fields;
  const body: Record<string, unknown> = {
    "subject-type": md.fields.subject_type,
    "source": subject.source,
    "destination": subject.destination,
    "measurement-agent": subject.measurement_agent,
    "tool-name": subject.tool_name,
    "input-source": subject.input_source,
    "input-destination": subject.input_destination,
  };
  for (const p of mine("api.psmetadataparameters")) {
    body[p.fields.parameter_key as string] = p.fields.parameter_value;
  }
  const types = new Map<string, Array<Record<string, unknown>>>();
  for (const e of mine("api.pseventtypes")) {
    const list = types.get(e.fields.event_type as string) ?? [];
    if (e.fields.summary_type !== "base") {
      list.push({
        "summary-type": e.fields.summary_type,
        "summary-window": e.fields.summary_window,
      });
    }
    types.set(e.fields.event_type as string, list);
  }
  body["event-types"] = [...types].map(([name, summaries]) => ({ "event-type": name, summaries }));
  return JSON.parse(
    await send(archive, archive.archiveUrl, "POST", JSON.stringify(body)),
  )["metadata-key"];
}

/**
 * Puts a time-series dump as-is, keeping each histogram's bucket order by splicing the
 * original `val` text into the request body.
 */
async function putSeries(
  archive: TestArchive,
  key: string,
  file: string,
  eventType: string,
  limit = Infinity,
) {
  const text = await Deno.readTextFile(new URL(file, DATA));
  const all = JSON.parse(text) as Array<{ ts: number }>;
  const allVals = [...text.matchAll(/"val": (\{[^}]*\}|-?[0-9.eE+-]+)/g)].map((m) => m[1]);
  assertEquals(allVals.length, all.length);
  const rows = all.slice(0, limit);
  const vals = allVals.slice(0, limit);
  const items = rows.map((row, i) =>
    `{"ts": ${row.ts / 1000}, "val": [{"event-type": "${eventType}", "val": ${vals[i]}}]}`
  );
  await send(archive, `${archive.archiveUrl}${key}/`, "PUT", `{"data": [${items.join(", ")}]}`);
  return { rows, vals };
}

const day = (ts: number) => new Date(ts * 1000).toISOString().replace("T", " ").slice(0, 19);

Deno.test("fixture goldens: throughput csv as in the spec's example", async () => {
  await using archive = await startArchive();
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("perfsonar_client_metadata.json", DATA)),
  );
  const key = await postMetadata(archive, fixture, "EC7E5AF67F8746C8AEF41E60288F3F59");
  const { rows, vals } = await putSeries(archive, key, "throughput_data.json", "throughput");
  // Metadata are searched by their last write (now), so the window must reach now.
  const end = new Date(Date.now() + 3_600_000).toISOString();
  const r = await runTool("esmond-ps-get", [
    ...["-u", archive.url, "--src", "198.129.254.30", "--dest", "198.124.252.141"],
    ...["-e", "throughput", "-S", "2014-02-05 00:00:00", "-E", end, "--ip", "-o", "csv"],
  ]);
  assertEquals(r.code, 0, r.stderr);
  const prefix = "198.129.254.30,198.124.252.141,throughput,bwctl/iperf3,base,0";
  const lines = r.stdout.split("\r\n");
  assertEquals(
    lines[0],
    "source,destination,event_type,tool,summary_type,summary_window,timestamp,value",
  );
  // The two lines the spec shows for this query.
  assertEquals(lines[1], `${prefix},2014-02-05 01:17:50,5524593445.0`);
  assert(lines.includes(`${prefix},2014-02-05 13:17:50,7549113664.0`));
  const expected = rows.map((row, i) => ({ ts: row.ts / 1000, val: vals[i] }))
    .filter((p) => p.ts >= Date.UTC(2014, 1, 5) / 1000)
    .map((p) => `${prefix},${day(p.ts)},${p.val}.0`);
  assertEquals(lines.slice(1, -1), expected);
  assertEquals(lines.at(-1), "\n");
});

Deno.test("fixture goldens: the spec's exact example window with --match-data-time", async () => {
  await using archive = await startArchive();
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("perfsonar_client_metadata.json", DATA)),
  );
  const key = await postMetadata(archive, fixture, "EC7E5AF67F8746C8AEF41E60288F3F59");
  const { rows, vals } = await putSeries(archive, key, "throughput_data.json", "throughput");
  const args = [
    ...[
      "-u",
      archive.url,
      "--src",
      "198.129.254.30",
      "--dest",
      "198.124.252.141",
      "-e",
      "throughput",
    ],
    ...["-S", "2014-02-05 00:00:00", "-E", "2014-02-05 16:00:00", "--ip", "-o", "csv"],
  ];
  // Found by last-update time (the original's rule) the test is invisible: written just now.
  const byUpdate = await runTool("esmond-ps-get", args);
  assertEquals(
    byUpdate.stdout.split("\r\n")[1],
    "No data,No data,No data,No data,No data,No data,No data,No data",
  );
  const byData = await runTool("esmond-ps-get", [...args, "--match-data-time"]);
  const prefix = "198.129.254.30,198.124.252.141,throughput,bwctl/iperf3,base,0";
  const lines = byData.stdout.split("\r\n");
  assertEquals(lines[1], `${prefix},2014-02-05 01:17:50,5524593445.0`);
  assertEquals(lines.at(-2), `${prefix},2014-02-05 13:17:50,7549113664.0`);
  const expected = rows.map((row, i) => ({ ts: row.ts / 1000, val: vals[i] }))
    .filter((p) => p.ts >= Date.UTC(2014, 1, 5) / 1000 && p.ts <= Date.UTC(2014, 1, 5, 16) / 1000)
    .map((p) => `${prefix},${day(p.ts)},${p.val}.0`);
  assertEquals(lines.slice(1, -1), expected);
});

// The original prints a histogram in the archive's bucket order ({'400': 2, '646': 3, ...}),
// which JSON.parse alone would sort (integer-like keys first): the client library keeps it
// (`parsePyJson` in lib/esmond/py_json.ts).
Deno.test({
  name: "fixture goldens: histogram buckets printed in the archive's order",
  fn: async () => {
    await using archive = await startArchive();
    const fixture = JSON.parse(
      await Deno.readTextFile(new URL("perfsonar_client_metadata.json", DATA)),
    );
    const key = await postMetadata(archive, fixture, "0CB19291FB6D40EAA1955376772BF5D2");
    const { rows, vals } = await putSeries(
      archive,
      key,
      "histogram_owdelay_minute_data.json",
      "histogram-owdelay",
    );
    const end = new Date(Date.now() + 3_600_000).toISOString();
    const r = await runTool("esmond-ps-get", [
      ...["-u", archive.url, "--src", "198.129.252.142", "--dest", "198.124.252.154"],
      ...["-e", "histogram-owdelay", "-S", "2014-02-04", "-E", end, "--ip"],
    ]);
    assertEquals(r.code, 0, r.stderr);
    // The whole series (every minute of the fixture), each block in the fixture's order with
    // its buckets in the fixture's order.
    const blocks = r.stdout.split("= + = + = + = + = + =\n");
    assertEquals(blocks.length, rows.length);
    const expected = rows.map((row, i) =>
      "source: 198.129.252.142\ndestination: 198.124.252.154\nevent_type: histogram-owdelay\n" +
      `tool: owamp/powstream\nsummary_type: base\nsummary_window: 0\ntimestamp: ${
        day(row.ts / 1000)
      }\n` +
      `bucket: .0001\nvalue: ${vals[i].replaceAll('"', "'")}\n`
    );
    expected[expected.length - 1] += "\n";
    assertEquals(blocks, expected);
  },
});
