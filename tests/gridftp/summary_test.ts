// The summary line of esmond-ps-load-gridftp says what was stored and what was not (issue 12:
// `Loaded 31 records` next to `stored=0` when the archive refused the key).
import { assertEquals, assertMatch, runTool, tempDir, testDataPath } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";

Deno.test("load-gridftp summary: stored and not stored, refused and unsent", async () => {
  await using archive = await startArchive();
  await using dir = await tempDir("gridftp-summary-");
  const load = (key: string, state: string) =>
    runTool("esmond-ps-load-gridftp", [
      ...["-f", testDataPath("gridftp", "transfer.log"), "-p", dir.join(state)],
      ...["-U", `${archive.url}/esmond`, "-u", "test", "-k", key],
    ]);
  const denied = await load("not-the-key", "denied.state");
  assertEquals(denied.code, 1);
  assertMatch(denied.stderr, /HTTP 401/);
  assertMatch(denied.stderr, /\.summary id=\d+ stored=0 not-stored=31 \(refused=0 unsent=31\) /);
  const loaded = await load(archive.token, "ok.state");
  assertEquals(loaded.code, 0, loaded.stderr);
  assertMatch(loaded.stderr, /\.summary id=\d+ stored=31 not-stored=0 \(refused=0 unsent=0\) /);
});
