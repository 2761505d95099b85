// Write authentication (token forms, list/revoke), network-element subjects and data paging
// over the default page, through real HTTP.
import { assert, assertEquals, assertMatch, runTool } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { expectStatus, getText, send } from "./http_helpers.ts";

Deno.test("write API: auth forms, token list/revoke, network-element, paging over 1500", async () => {
  await using archive = await startArchive({ tokenUser: "writer" });
  const ne = {
    "subject-type": "network-element",
    "source": "10.0.0.9",
    "measurement-agent": "10.0.0.9",
    "tool-name": "ntpd",
    "input-source": "ntp.example.net",
    "event-types": [{ "event-type": "ntp-offset" }],
  };
  await expectStatus(
    await send(archive, "", ne, { token: null }),
    401,
    "Authentication credentials were not provided.",
  );
  await expectStatus(
    await send(archive, "", ne, { token: "a b" }),
    401,
    "Invalid token header. Token string should not contain spaces.",
  );
  const created = await fetch(archive.archiveUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `ApiKey writer:${archive.token}`,
    },
    body: JSON.stringify(ne),
  });
  assertEquals(created.status, 201);
  const md = await created.json();
  assert(!("destination" in md) && !("input-destination" in md));
  assertEquals(md["input-source"], "ntp.example.net");
  const key = md["metadata-key"];
  const found = JSON.parse(await getText(archive, "?subject-type=network-element&source=10.0.0.9"));
  assertEquals(found.length, 1);

  const data = Array.from({ length: 20_000 }, (_, i) => ({
    ts: 1_500_000_000 + i,
    val: [{ "event-type": "ntp-offset", val: i / 1000 }],
  }));
  await expectStatus(await send(archive, `${key}/`, { data }, { method: "PUT" }), 201);
  const page = await fetch(`${archive.archiveUrl}${key}/ntp-offset/base?time-start=1500000000`);
  const points = await page.json();
  assertEquals(points.length, 1500);
  assertEquals(
    page.headers.get("link"),
    `<${archive.archiveUrl}${key}/ntp-offset/base?limit=1500&offset=1500&time-start=1500000000>; rel="next"`,
  );
  const next = await (await fetch(
    `${archive.archiveUrl}${key}/ntp-offset/base?limit=1500&offset=1500&time-start=1500000000`,
  )).json();
  assertEquals(next.length, 1500);
  assertEquals(next[99], { ts: 1_500_001_599, val: 1.599 });
  // a large limit is streamed in chunks: complete, ordered, honouring offset and time-end
  const big = await fetch(
    `${archive.archiveUrl}${key}/ntp-offset/base?time-start=1500000000&time-end=1500019000&limit=19000&offset=7`,
  );
  assertEquals(big.headers.get("content-type"), "application/json");
  const bigPoints: { ts: number; val: number }[] = await big.json();
  assertEquals(bigPoints.length, 19_001 - 7);
  bigPoints.forEach((p, i) => {
    assertEquals(p.ts, 1_500_000_007 + i);
  });
  assertEquals(bigPoints.at(-1), { ts: 1_500_019_000, val: 19 });
  const none = await (await fetch(
    `${archive.archiveUrl}${key}/ntp-offset/base?time-start=1600000000&limit=50000`,
  )).text();
  assertEquals(none, "[]");

  const listed = await runTool("esmond-ps-archive", ["token", "list", "--db", archive.dbPath]);
  assertEquals(listed.code, 0);
  assertMatch(listed.stdout, /^writer\t[0-9a-f]{8}\t\d{4}-/);
  assert(!listed.stdout.includes(archive.token));
  const revoked = await runTool("esmond-ps-archive", [
    "token",
    "revoke",
    "writer",
    "--db",
    archive.dbPath,
  ]);
  assertEquals(revoked.code, 0, revoked.stderr);
  await expectStatus(await send(archive, "", ne), 401, "Invalid token.");
  const again = await runTool("esmond-ps-archive", [
    "token",
    "revoke",
    "writer",
    "--db",
    archive.dbPath,
  ]);
  assertEquals(again.code, 2);
  assertMatch(again.stderr, /^esmond-ps-archive: no token for user writer\n$/);
});
