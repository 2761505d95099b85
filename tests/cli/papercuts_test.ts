// Papercuts of the query tools a new user hit (issue 12), each checked through the tools as
// subprocesses against a real archive holding the demo data.
import { assert, assertEquals, assertMatch, runTool, tempDir } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";

const QUERY_TOOLS = [
  "esmond-ps-get-endpoints",
  "esmond-ps-get-metadata",
  "esmond-ps-get",
  "esmond-ps-get-bulk",
];
const BULK_ONLY = ["--output-directory", "--concurrency", "--resume"];

Deno.test("help: -S/-E named as they are, the tool example matches the data, own options only", async () => {
  for (const tool of QUERY_TOOLS) {
    const help = await runTool(tool, ["--help"]);
    assertEquals(help.code, 0, help.stderr);
    assert(!help.stdout.includes("--begin"), `${tool}: ${help.stdout}`);
    assertMatch(help.stdout, /-S\/--start-time and -E\/--end-time/);
    assertMatch(help.stdout, /e\.g\. bwctl\/iperf3, owamp\/powstream\)/);
    for (const option of BULK_ONLY) {
      assertEquals(
        help.stdout.includes(option),
        tool === "esmond-ps-get-bulk",
        `${tool} ${option}`,
      );
    }
    assert(!/esmond-ps-get-bulk:/.test(help.stdout), help.stdout);
  }
});

Deno.test("-F without a colon is a usage error on stderr, exit 1, nothing queried", async () => {
  let requests = 0;
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} },
    () => (requests++, Response.json([])),
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    for (const tool of ["esmond-ps-get-metadata", "esmond-ps-get-endpoints"]) {
      const result = await runTool(tool, ["-u", url, "-o", "csv", "-F", "nocolon"]);
      assertEquals(result.code, 1);
      assertEquals(result.stdout, "");
      assertEquals(
        result.stderr,
        `${tool}: error: --filter arg nocolon should be of the format key:value\n`,
      );
    }
    assertEquals(requests, 0);
  } finally {
    controller.abort();
    await server.finished;
  }
});

Deno.test("on the demo data: owamp/powstream found, get-bulk never overwrites, --quiet is quiet", async (t) => {
  await using dir = await tempDir("papercuts-");
  const db = dir.join("demo.sqlite");
  const seeded = await runTool("esmond-ps-archive", ["seed", "--demo", "--db", db]);
  assertEquals(seeded.code, 0, seeded.stderr);
  await using archive = await startArchive({ dbPath: db });
  const url = ["-u", archive.url];

  await t.step("-t owamp/powstream, the help's example, finds the owamp tests", async () => {
    const found = await runTool("esmond-ps-get-metadata", [
      ...url,
      "-t",
      "owamp/powstream",
      "--ip",
    ]);
    assertEquals(found.code, 0, found.stderr);
    assertMatch(found.stdout, /tool_name: owamp\/powstream\n/);
  });

  const hosts = ["-s", "198.51.100.10", "-d", "203.0.113.20", "--ip", "-o", "json"];
  await t.step(
    "two series of one file name: the second gets its metadata key, stderr says so",
    async () => {
      const out = dir.join("bulk");
      await Deno.mkdir(out);
      const bulk = await runTool("esmond-ps-get-bulk", [...url, ...hosts, "-D", out]);
      assertEquals(bulk.code, 0, bulk.stderr);
      const written = [...bulk.stdout.matchAll(/\* writing (.*)\n/g)].map((m) => m[1]);
      const files = [...Deno.readDirSync(out)].map((e) => `${out}/${e.name}`).sort();
      assertEquals(files, [...written].sort());
      const failures = files.filter((f) => f.includes("_failures_"));
      assert(failures.length >= 2, files.join("\n"));
      const suffixed = failures.filter((f) => /_\d{4}-\d\d-\d\d_[0-9a-f]{32}\.json$/i.test(f));
      // Names are handed out in listing order (metadata keys are random, so is the order): the
      // first failures series takes the plain name even when it turns out to have no data, and
      // then no plain file is written.
      const firstFailures = bulk.stdout.split("* processing failures\n")[1] ?? "";
      const firstEmpty = firstFailures.startsWith("  * no data for that event type");
      assertEquals(
        suffixed.length,
        failures.length - (firstEmpty ? 0 : 1),
        `${failures.join("\n")}\n${bulk.stdout}`,
      );
      for (const file of suffixed) {
        const plain = file.replace(/_[0-9a-f]{32}\.json$/i, ".json");
        assert(bulk.stderr.includes(plain) && bulk.stderr.includes(file), bulk.stderr);
        assertMatch(bulk.stderr, /already used by another series/);
      }
    },
  );

  await t.step("--quiet prints no progress at all", async () => {
    const out = dir.join("quiet");
    await Deno.mkdir(out);
    const quiet = await runTool("esmond-ps-get-bulk", [...url, ...hosts, "-D", out, "--quiet"]);
    assertEquals(quiet.code, 0, quiet.stderr);
    assertEquals(quiet.stdout, "");
    assertEquals(quiet.stderr, "");
    assert([...Deno.readDirSync(out)].length > 5);
  });
});
