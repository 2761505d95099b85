/** The state file (atomic JSON, pickle leftovers) and the rotation plan, on real files. */
import { assert, assertEquals, tempDir } from "../harness/mod.ts";
import { type LoaderState, readState, recordHash, writeState } from "../../cli/gridftp/state.ts";
import { planRun } from "../../cli/gridftp/rotation.ts";

const encoder = new TextEncoder();

async function stateAfter(path: string, text: string, recordLine: string): Promise<LoaderState> {
  const info = await Deno.stat(path);
  const end = encoder.encode(text).length;
  const start = end - encoder.encode(recordLine + "\n").length;
  return {
    version: 1,
    format: "netlogger",
    path,
    dev: info.dev!,
    ino: info.ino!,
    offset: end,
    recordStart: start,
    recordHash: await recordHash(encoder.encode(recordLine)),
    line: 2,
    savedAt: new Date().toISOString(),
  };
}

Deno.test("state: round trip, missing, and an old pickle / empty file is unusable, not fatal", async () => {
  await using dir = await tempDir();
  const path = dir.join("load_grid_ftp.pickle");
  assertEquals((await readState(path)).kind, "missing");
  await Deno.writeFile(path, new Uint8Array([0x80, 0x02, 0x7d, 0x71]));
  assertEquals((await readState(path)).kind, "unusable");
  await Deno.writeTextFile(path, "");
  assertEquals((await readState(path)).kind, "unusable");
  await Deno.writeTextFile(dir.join("log"), "a\nb\n");
  const state = await stateAfter(dir.join("log"), "a\nb\n", "b");
  await writeState(path, state);
  assertEquals(await readState(path), { kind: "ok", state });
  // No temp file left behind.
  assertEquals([...Deno.readDirSync(dir.path)].map((e) => e.name).sort(), [
    "load_grid_ftp.pickle",
    "log",
  ]);
});

Deno.test("rotation plan: resume, rename rotation, copytruncate, unknown file", async () => {
  await using dir = await tempDir();
  const log = dir.join("g.log");
  await Deno.writeTextFile(log, "one\ntwo\n");
  const state = await stateAfter(log, "one\ntwo\n", "two");

  const none = await planRun({ filePath: log });
  assertEquals(none.segments, [{ path: log, offset: 0, linesBefore: 0 }]);

  await Deno.writeTextFile(log, "three\n", { append: true });
  const resume = await planRun({ filePath: log, state });
  assertEquals(resume.segments, [{ path: log, offset: 8, linesBefore: 2 }]);
  assertEquals(resume.notes[0][1], `File ${log} passes last record check`);

  // logrotate's default: rename, then a new file.
  await Deno.rename(log, `${log}.1`);
  await Deno.writeTextFile(log, "four\n");
  const renamed = await planRun({ filePath: log, state });
  assertEquals(renamed.segments, [
    { path: `${log}.1`, offset: 8, linesBefore: 2 },
    { path: log, offset: 0, linesBefore: 0 },
  ]);
  // --rotated names another place.
  await Deno.rename(`${log}.1`, dir.join("old"));
  const elsewhere = await planRun({ filePath: log, state, rotatedPath: dir.join("old") });
  assertEquals(elsewhere.segments[0].path, dir.join("old"));

  // copytruncate: same inode, shrunk; the copy has a new inode but the record is there.
  await Deno.remove(log);
  await Deno.writeTextFile(log, "one\ntwo\nthree\n");
  const same = await stateAfter(log, "one\ntwo\n", "two");
  await Deno.copyFile(log, `${log}.1`);
  await Deno.truncate(log, 0);
  const truncated = await planRun({ filePath: log, state: same });
  assertEquals(truncated.segments.map((s) => [s.path, s.offset]), [[`${log}.1`, 8], [log, 0]]);

  // Nothing holds the record any more: warn and start at the top, like the original.
  await Deno.remove(`${log}.1`);
  const lost = await planRun({ filePath: log, state: same });
  assertEquals(lost.segments, [{ path: log, offset: 0, linesBefore: 0 }]);
  assertEquals(lost.notes[0][0], "main.warn");
  assert(lost.notes[0][1].includes("does not contain last log entry. Maybe rotated?- proceeding"));

  // Same file, same size, but the bytes before the offset changed: not trusted.
  await Deno.writeTextFile(log, "one\ntwX\n");
  const edited = await stateAfter(log, "one\ntwo\n", "two");
  assertEquals((await planRun({ filePath: log, state: edited })).notes[0][0], "main.warn");
});
