// `esmond-ps-archive pscheduler-doc` on every testdata body, as a subprocess.
import { assert, assertEquals, assertMatch } from "../harness/assert.ts";
import { runTool, tempDir } from "../harness/mod.ts";
import { esmondView, logstashDocument } from "../../lib/pscheduler/mod.ts";
import { runCases } from "./testdata.ts";

const CASES = runCases();

Deno.test("pscheduler-doc prints the Logstash document of every body", async () => {
  await using dir = await tempDir();
  for (const c of CASES) {
    const names = dir.join(`${c.name}.names.json`);
    await Deno.writeTextFile(names, JSON.stringify(c.names));
    const before = Date.now();
    const r = await runTool("esmond-ps-archive", [
      "pscheduler-doc",
      "--offline",
      "--names",
      names,
      "--observer",
      c.headers["x-ps-observer"],
      c.file,
    ]);
    assertEquals(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assertEquals(lines.length, 1);
    const printed = JSON.parse(lines[0]);
    const expected = await logstashDocument(c.body, {
      observer: c.headers["x-ps-observer"],
      resolver: c.resolver,
    });
    assertEquals(Object.keys(printed), ["index", "document"]);
    assertEquals(printed.index, expected.index);
    const stamp = Date.parse(printed.document["@timestamp"]);
    assert(stamp >= before - 1000 && stamp <= Date.now() + 1000, "@timestamp is now");
    delete printed.document["@timestamp"];
    const want = JSON.parse(JSON.stringify(expected.document));
    delete want["@timestamp"];
    assertEquals(printed.document, want, c.name);
    assert(lines[0].includes('"slip":300.0'), "floats keep their .0");
  }
});

Deno.test("pscheduler-doc --esmond prints what the esmond archiver would send", async () => {
  await using dir = await tempDir();
  for (const c of CASES) {
    const names = dir.join(`${c.name}.names.json`);
    await Deno.writeTextFile(names, JSON.stringify(c.names));
    const r = await runTool("esmond-ps-archive", [
      "pscheduler-doc",
      "--esmond",
      "--offline",
      "--names",
      names,
      "--measurement-agent",
      c.measurementAgent,
      c.file,
    ]);
    assertEquals(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout);
    assertEquals(Object.keys(printed), ["metadata", "data"]);
    const view = await esmondView(c.body, {
      resolver: c.resolver,
      measurementAgent: c.measurementAgent,
    });
    assertEquals(printed, JSON.parse(JSON.stringify(view)), c.name);
    assertEquals(printed.metadata["measurement-agent"], c.measurementAgent);
    assertEquals(printed.data.data.length, 1);
  }
});

Deno.test("pscheduler-doc: every file in one call, one line each", async () => {
  const r = await runTool("esmond-ps-archive", [
    "pscheduler-doc",
    "--offline",
    ...CASES.map((c) => c.file),
  ]);
  assertEquals(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assertEquals(
    lines.map((l) => l.index),
    CASES.map((c) => `pscheduler_${(c.body as { test: { type: string } }).test.type}`),
  );
});

Deno.test("pscheduler-doc: bad input is one clear line and exit 1", async () => {
  await using dir = await tempDir();
  const bad = dir.join("bad.json");
  await Deno.writeTextFile(bad, '{"test": {"type": "rtt"');
  const noType = dir.join("notype.json");
  await Deno.writeTextFile(noType, '{"result": {}}');
  for (
    const [file, reason] of [[bad, /not JSON/], [noType, /no test\.type/], [
      dir.join("absent.json"),
      /cannot read/,
    ]] as const
  ) {
    const r = await runTool("esmond-ps-archive", ["pscheduler-doc", "--offline", file]);
    assertEquals(r.code, 1);
    assertEquals(r.stdout, "");
    assertEquals(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assertMatch(r.stderr, reason);
  }
  const e = await runTool("esmond-ps-archive", ["pscheduler-doc", "--esmond", "--offline", noType]);
  assertEquals(e.code, 1);
  assertEquals(e.stderr.trimEnd().split("\n").length, 1, e.stderr);
  const names = dir.join("names.json");
  await Deno.writeTextFile(names, '{"forward": {"h": {"ipv4": "x"}}}');
  const n = await runTool("esmond-ps-archive", ["pscheduler-doc", "--names", names, CASES[0].file]);
  assertEquals(n.code, 1);
  assertMatch(n.stderr, /forward\.h\.ipv4 must be a list/);
});
