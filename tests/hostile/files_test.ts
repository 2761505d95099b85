// Hostile files: corrupt state files of load-gridftp and the pipe spool, garbage archives
// given to `esmond-ps-archive import`, and user names that would corrupt `token list`.
import { assert, assertEquals, assertMatch, runTool, tempDir } from "../harness/mod.ts";
import { readState } from "../../cli/gridftp/state.ts";
import { readSpool, SpoolFileError } from "../../cli/pipe/spool.ts";

const CORRUPT = [
  "",
  "\u0000\u0001\u0002\u00ff",
  "[".repeat(50_000),
  '{"version":1,"format":"json","path":"x","dev":1,"ino":1,"offset":-5,"recordStart":0,' +
  '"recordHash":null}',
  '{"version":1,"format":"json","path":"x","dev":1,"ino":1,"offset":1e400,"recordStart":0,' +
  '"recordHash":null}',
  '{"version":1,"format":"json","path":"x","dev":1e300,"ino":"1","offset":0}',
  '{"__proto__":{"version":1},"format":"json"}',
  "\x1b]0;pwned\x07",
];

Deno.test("corrupt load-gridftp state files are unusable, never thrown or trusted", async () => {
  await using dir = await tempDir();
  for (const [i, text] of CORRUPT.entries()) {
    const path = `${dir.path}/state${i}.json`;
    await Deno.writeTextFile(path, text);
    const read = await readState(path);
    assert(read.kind !== "ok" || read.state.offset >= 0, `${i}: ${JSON.stringify(read)}`);
    assertEquals(read.kind, "unusable", `${i}`);
  }
});

Deno.test("corrupt pipe spool files are refused by name", async () => {
  await using dir = await tempDir();
  for (const [i, text] of CORRUPT.entries()) {
    const path = `${dir.path}/spool${i}.json`;
    await Deno.writeTextFile(path, text);
    try {
      await readSpool(path);
      throw new Error(`${i} accepted`);
    } catch (error) {
      assert(error instanceof SpoolFileError, `${i}: ${error}`);
    }
  }
});

Deno.test("garbage archives given to import: one line, exit 1, nothing stored", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/a.sqlite`;
  const garbage = [
    "not json",
    "[".repeat(100_000),
    '{"data": 1}',
    '[{"ts": true, "val": 1}]',
    "\x1b[2J\u0000",
  ];
  for (const [i, text] of garbage.entries()) {
    const file = `${dir.path}/g${i}.json`;
    await Deno.writeTextFile(file, text);
    const r = await runTool("esmond-ps-archive", ["import", file, "--db", db]);
    assertEquals(r.code, 1, `${i}: ${r.stderr}`);
    assertMatch(r.stderr, /nothing from it was stored|cannot read/, `${i}`);
    assert(!/\n\s+at /.test(r.stderr), r.stderr);
    // deno-lint-ignore no-control-regex
    assert(!/[\u0000-\u0009\u000b-\u001f]/.test(r.stderr), JSON.stringify(r.stderr));
  }
});

Deno.test("token add refuses user names with control characters or whitespace", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/a.sqlite`;
  for (const user of ["a\tb", "a\nb", "a b", "\x1b[2J", "x".repeat(65)]) {
    const r = await runTool("esmond-ps-archive", ["token", "add", user, "--db", db]);
    assertEquals(r.code, 1, JSON.stringify(user));
    assertMatch(r.stderr, /refused/);
    assertEquals(r.stdout, "");
  }
  const ok = await runTool("esmond-ps-archive", ["token", "add", "perfsonar", "--db", db]);
  assertEquals(ok.code, 0, ok.stderr);
  const list = await runTool("esmond-ps-archive", ["token", "list", "--db", db]);
  assertEquals(list.stdout.trim().split("\n").length, 1);
});
