// Collector papercuts a new user hit (issue 12), through the real tool as a subprocess.
import { assertEquals, assertMatch, runTool, tempDir, testDataPath } from "../harness/mod.ts";

Deno.test("-s URL with --output FILE is refused with one line, nothing written", async () => {
  await using dir = await tempDir("collector-papercuts-");
  const result = await runTool("xrootd-fstream-collector", [
    ...["-s", "http://127.0.0.1:9", "--output", dir.join("docs.ndjson"), "-p", "0"],
  ]);
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  assertEquals(
    result.stderr,
    "xrootd-fstream-collector: --output and -s do not go together (documents go to a file or to the search engine)\n",
  );
  assertEquals([...Deno.readDirSync(dir.path)], []);
});

Deno.test("--replay of a file with no capture record exits 1; one good record is enough", async () => {
  await using dir = await tempDir("collector-papercuts-");
  const bad = dir.join("bad.ndjson");
  await Deno.writeTextFile(bad, 'not json\n{"t": 1}\n');
  const result = await runTool("xrootd-fstream-collector", ["--replay", bad]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertMatch(result.stderr, /nothing in .*bad\.ndjson could be read as a capture record/);

  const empty = dir.join("empty.ndjson");
  await Deno.writeTextFile(empty, "");
  assertEquals((await runTool("xrootd-fstream-collector", ["--replay", empty])).code, 1);

  const real = (await Deno.readTextFile(testDataPath("xrootd", "read_single.ndjson"))).split("\n");
  const mixed = dir.join("mixed.ndjson");
  await Deno.writeTextFile(mixed, ["garbage", ...real].join("\n"));
  const ok = await runTool("xrootd-fstream-collector", ["--replay", mixed]);
  assertEquals(ok.code, 0, ok.stderr);
  assertEquals(ok.stdout.trim().split("\n").length, 3);
});
