import { assert, assertEquals, assertMatch } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";

const METADATA = {
  "subject-type": "point-to-point",
  "source": "10.1.1.1",
  "destination": "10.1.1.2",
  "tool-name": "bwctl/iperf3",
  "measurement-agent": "10.1.1.1",
  "input-source": "host1.example.net",
  "input-destination": "host2.example.net",
  "time-duration": 30,
  "ip-transport-protocol": "tcp",
  "event-types": [
    {
      "event-type": "throughput",
      "summaries": [
        { "summary-type": "aggregation", "summary-window": 86400 },
        { "summary-type": "average", "summary-window": 86400 },
      ],
    },
    { "event-type": "packet-retransmits", "summaries": [] },
  ],
};

function post(url: string, token: string | undefined, body: unknown, method = "POST") {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Token ${token}`;
  return fetch(url, { method, headers, body: JSON.stringify(body) });
}

Deno.test("archive: create metadata, dedup, single posts, summaries, 409, auth", async () => {
  await using archive = await startArchive();
  const created = await post(archive.archiveUrl, archive.token, METADATA);
  assertEquals(created.status, 201);
  assertEquals(created.headers.get("content-type"), "application/json");
  const md = await created.json();
  assertMatch(md["metadata-key"], /^[0-9a-f]{32}$/);
  assertEquals(created.headers.get("location"), `${archive.archiveUrl}${md["metadata-key"]}/`);
  assertEquals(md["time-duration"], "30");
  assertEquals(md["event-types"].map((e: { "event-type": string }) => e["event-type"]), [
    "packet-retransmits",
    "throughput",
  ]);
  assertEquals(md["event-types"][1].summaries.map((s: { uri: string }) => s.uri), [
    `/esmond/perfsonar/archive/${md["metadata-key"]}/throughput/aggregations/86400`,
    `/esmond/perfsonar/archive/${md["metadata-key"]}/throughput/averages/86400`,
  ]);

  const again = await post(archive.archiveUrl, archive.token, METADATA);
  assertEquals(again.status, 201);
  assertEquals((await again.json())["metadata-key"], md["metadata-key"]);

  const base = `${archive.archiveUrl}${md["metadata-key"]}/throughput/base`;
  const values = [5978580000, 5413040000, 7964590000, 6946810000];
  for (const [i, val] of values.entries()) {
    const r = await post(base, archive.token, { ts: 1398965989 + i * 600, val });
    assertEquals(r.status, 201);
    assertEquals(await r.text(), '""');
  }
  const dup = await post(base, archive.token, { ts: 1398965989, val: 1 });
  assertEquals(dup.status, 409);
  assertEquals(
    await dup.text(),
    '{"detail":"Time series value already exists with event type throughput at time 1398965989"}',
  );
  const anonymous = await post(base, undefined, { ts: 1398999999, val: 1 });
  assertEquals(anonymous.status, 401);
  assertEquals(anonymous.headers.get("www-authenticate"), "Token");
  assertEquals(
    await anonymous.text(),
    '{"detail":"Authentication credentials were not provided."}',
  );
  const badToken = await fetch(archive.archiveUrl, { headers: { authorization: "Token nope" } });
  assertEquals(badToken.status, 401);
  assertEquals(await badToken.text(), '{"detail":"Invalid token."}');

  const averages = await fetch(
    `${archive.archiveUrl}${md["metadata-key"]}/throughput/averages/86400`,
  );
  assertEquals(await averages.text(), '[{"ts":1398902400,"val":6575755000.0}]');
  const aggregations = await fetch(
    `${archive.archiveUrl}${md["metadata-key"]}/throughput/aggregations/86400`,
  );
  assertEquals(await aggregations.text(), '[{"ts":1398902400,"val":26303020000.0}]');
  const data = await fetch(`${base}?time-start=1398965989&time-end=1398966589`);
  assertEquals(
    await data.text(),
    '[{"ts":1398965989,"val":5978580000.0},{"ts":1398966589,"val":5413040000.0}]',
  );

  const undeclared = await post(
    `${archive.archiveUrl}${md["metadata-key"]}/packet-loss-rate/base`,
    archive.token,
    { ts: 1398965989, val: { numerator: 1, denominator: 2 } },
  );
  assertEquals(undeclared.status, 400);
  assertMatch((await undeclared.json()).detail, /packet-loss-rate/);
  // host names in IP filters resolve through the system resolver (/etc/hosts included)
  const local = await post(archive.archiveUrl, archive.token, { ...METADATA, source: "127.0.0.1" });
  assertEquals(local.status, 201);
  const byName =
    await (await fetch(`${archive.archiveUrl}?source=localhost&dns-match-rule=only-v4`))
      .json();
  assertEquals(byName.map((m: { source: string }) => m.source), ["127.0.0.1"]);
  const v6Only =
    await (await fetch(`${archive.archiveUrl}?source=localhost&dns-match-rule=only-v6`))
      .text();
  assert(v6Only === "[]" || v6Only.includes("Unable to find address"));
  const list = (await (await fetch(archive.archiveUrl)).json()).filter((m: { source: string }) =>
    m.source === "10.1.1.1"
  );
  assertEquals(list.length, 1);
  assertEquals(list[0]["event-types"].length, 2);
  assert(list[0]["event-types"][1]["time-updated"] > 1_700_000_000);
});
