/**
 * `esmond-ps-load-gridftp` run as users run it, against the real embedded archive: every shared
 * log ends up in the archive exactly as the data README says; resume, rotation, `--single`,
 * `--dont_write`, `-D`, option errors and a down archive.
 */
import { assert, assertEquals, assertMatch, freePort, runTool, tempDir } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { dumpArchive } from "./archive_dump.ts";
import { expectedDump, sharedLog } from "./expected_dump.ts";
import { writeGeneratedLog } from "./gen_log.ts";
import { denoRunArgs, findTool } from "../../scripts/tools.ts";

const TOOL = "esmond-ps-load-gridftp";
const FILES = [
  "transfer.log",
  "ipv6.log",
  "aborted.log",
  "striped.log",
  "failures.edited.log",
  "transfer.json.log",
];

type Archive = Awaited<ReturnType<typeof startArchive>>;

function archiveRoot(archive: Archive): string {
  return archive.archiveUrl;
}

function load(archive: Archive, args: string[], cwd?: string) {
  return runTool(TOOL, [
    "-U",
    `${archive.url}/esmond`,
    "-u",
    "test",
    "-k",
    archive.token,
    "-P",
    ...args,
  ], {
    cwd,
  });
}

for (const file of FILES) {
  Deno.test(`${file}: the archive holds exactly the README's metadata and values`, async () => {
    await using archive = await startArchive({ tokenUser: "test" });
    await using dir = await tempDir();
    const state = dir.join("state.json");
    const json = file.endsWith(".json.log") ? ["-J"] : [];
    const first = await load(archive, ["-f", sharedLog(file), "-p", state, ...json]);
    assertEquals(first.code, 0, first.stderr);
    // The original's count: RETR/STOR lines, or every valid JSON object.
    const facts = JSON.parse(await Deno.readTextFile(sharedLog("expected.json")))[file];
    const counted = facts.records.filter((r: Record<string, unknown>) =>
      r.type === "RETR" || r.type === "STOR" || r.event_type !== undefined
    ).length;
    assertMatch(first.stderr, new RegExp(`\\.end id=\\d+ Loaded ${counted} records\n`));
    assertEquals(await dumpArchive(archiveRoot(archive)), await expectedDump(file, false));
    // A second run resumes after the last stored record and stores nothing new, also when the
    // log ends in a line that is not a transfer (ipv6.log ends with MLSD).
    const second = await load(archive, ["-f", sharedLog(file), "-p", state, ...json]);
    assertEquals(second.code, 0, second.stderr);
    assertMatch(second.stderr, /passes last record check/);
    assert(!/stored=[1-9]/.test(second.stderr), second.stderr);
    assertEquals(await dumpArchive(archiveRoot(archive)), await expectedDump(file, false));
  });
}

for (const file of ["transfer.log", "transfer.json.log"]) {
  Deno.test(`${file} with -F -N -V: the sensitive fields are stored too`, async () => {
    await using archive = await startArchive({ tokenUser: "test" });
    await using dir = await tempDir();
    const json = file.endsWith(".json.log") ? ["-J"] : [];
    const args = ["-f", sharedLog(file), "-p", dir.join("s"), "-F", "-N", "-V", ...json];
    const run = await load(archive, args);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(await dumpArchive(archiveRoot(archive)), await expectedDump(file, true));
  });
}

Deno.test("skips are logged with line and reason and counted in the summary", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  const run = await load(archive, ["-f", sharedLog("striped.log"), "-p", dir.join("s")]);
  assertEquals(run.code, 0, run.stderr);
  assertMatch(
    run.stderr,
    /^ts=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} event=scan_and_load_netlogger\.error id=\d+ line 3: skipping - could not generate metadata args: DEST '127\.0\.0\.1,127\.0\.0\.1'/m,
  );
  assertMatch(run.stderr, /event=scan_and_load_netlogger\.end id=\d+ Loaded 10 records/);
  assertMatch(run.stderr, /stored=2 .*skipped: metadata=8/);
});

Deno.test("rotation: append, rename + new file, append, run: every record loaded once", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  const lines = (await Deno.readTextFile(sharedLog("transfer.log"))).split("\n").filter(Boolean);
  const log = dir.join("gridftp.log");
  const state = dir.join("state.json");
  await Deno.writeTextFile(log, lines.slice(0, 10).join("\n") + "\n");
  assertEquals((await load(archive, ["-f", log, "-p", state])).code, 0);
  await Deno.writeTextFile(log, lines.slice(10, 20).join("\n") + "\n", { append: true });
  await Deno.rename(log, `${log}.1`);
  await Deno.writeTextFile(log, lines.slice(20).join("\n") + "\n");
  const run = await load(archive, ["-f", log, "-p", state]);
  assertEquals(run.code, 0, run.stderr);
  assertMatch(run.stderr, /was rotated: finishing .*gridftp\.log\.1 from byte/);
  assertEquals(await dumpArchive(archiveRoot(archive)), await expectedDump("transfer.log", false));
  assert(!/already in the archive/.test(run.stderr), run.stderr);
  // The next run continues in the new file only.
  await Deno.writeTextFile(log, lines[0] + "\n", { append: true });
  const next = await load(archive, ["-f", log, "-p", state]);
  assertEquals(next.code, 0, next.stderr);
  assertMatch(next.stderr, /passes last record check/);
  assertMatch(next.stderr, /stored=1 /);
});

Deno.test("--single stores one transfer per run and saves it; --dont_write and -D", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  const state = dir.join("state.json");
  const log = sharedLog("aborted.log");
  const throughputPoints = async () =>
    (await dumpArchive(archiveRoot(archive))).reduce(
      (n, m) => n + (m.data.throughput?.length ?? 0),
      0,
    );
  for (let i = 1; i <= 3; i++) {
    const run = await load(archive, ["-f", log, "-p", state, "--single"]);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(await throughputPoints(), i);
    assertEquals(JSON.parse(await Deno.readTextFile(state)).line, i);
  }
  // --dont_write: loads the rest but leaves the state where it was.
  const before = await Deno.readTextFile(state);
  const dont = await load(archive, ["-f", log, "-p", state, "--dont_write"]);
  assertEquals(dont.code, 0, dont.stderr);
  assertEquals(await Deno.readTextFile(state), before);
  assertEquals(await dumpArchive(archiveRoot(archive)), await expectedDump("aborted.log", false));
  // -D: the run resumes from the state (values already stored are not duplicated) and removes
  // the state file at the end, so the next run starts from the top.
  const del = await load(archive, ["-f", log, "-p", state, "-D"]);
  assertEquals(del.code, 0, del.stderr);
  await Deno.stat(state).then(() => assert(false, "state file still there"), () => {});
  assertEquals(await dumpArchive(archiveRoot(archive)), await expectedDump("aborted.log", false));
});

Deno.test("default state file names, relative to the working directory; --pickle spelling", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  assertEquals((await load(archive, ["-f", sharedLog("aborted.log")], dir.path)).code, 0);
  assertEquals(JSON.parse(await Deno.readTextFile(dir.join("load_grid_ftp.pickle"))).line, 9);
  const json = await load(archive, ["-f", sharedLog("transfer.json.log"), "-J"], dir.path);
  assertEquals(json.code, 0);
  assertEquals(JSON.parse(await Deno.readTextFile(dir.join("load_grid_ftp.json.pickle"))).line, 42);
  const pickle = await load(
    archive,
    ["-f", sharedLog("ipv6.log"), "--pickle", "old.pickle"],
    dir.path,
  );
  assertEquals(pickle.code, 0);
  assertEquals(JSON.parse(await Deno.readTextFile(dir.join("old.pickle"))).line, 10);
});

Deno.test("a down archive: non-zero exit, one clear error, no state written", async () => {
  await using dir = await tempDir();
  const state = dir.join("state.json");
  const run = await runTool(TOOL, [
    "-f",
    sharedLog("aborted.log"),
    "-p",
    state,
    "-U",
    `http://127.0.0.1:${freePort()}`,
    "-u",
    "u",
    "-k",
    "k",
  ]);
  assertEquals(run.code, 1, run.stderr);
  assertMatch(run.stderr, /abort processing, state kept at the last stored record/);
  await Deno.stat(state).then(() => assert(false, "state written"), () => {});
});

Deno.test("option errors: optparse messages on stderr, exit 2", async () => {
  await using dir = await tempDir();
  const cases: [string[], string][] = [
    [[], "Filename is required."],
    [["-f", dir.join("missing.log")], `${dir.join("missing.log")} does not exist`],
    [["-l", dir.join("nodir"), "-f", "x"], `${dir.join("nodir")} log path does not exist.`],
    [["--bogus"], "no such option: --bogus"],
  ];
  for (const [args, message] of cases) {
    const run = await runTool(TOOL, args);
    assertEquals(run.code, 2, `${args}: ${run.stderr}`);
    assertEquals(
      run.stderr,
      `Usage: esmond-ps-load-gridftp [ -f filename | -v ]\n\nesmond-ps-load-gridftp: error: ${message}\n`,
    );
    assertEquals(run.stdout, "");
  }
});

Deno.test("-l writes the program log to <dir>/esmond-ps-load-gridftp.log, appending", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  const args = ["-f", sharedLog("ipv6.log"), "-p", dir.join("s"), "-l", dir.path];
  assertEquals((await load(archive, args)).code, 0);
  assertEquals((await load(archive, args)).code, 0);
  const text = await Deno.readTextFile(dir.join("esmond-ps-load-gridftp.log"));
  assertEquals(text.match(/event=main\.start/g)?.length, 2);
  assertMatch(text, /line 11: skipping - TYPE MLSD is not RETR\/STOR/);
});

Deno.test("SIGINT: the current batch is finished and saved, exit 0; the next run goes on", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  const log = dir.join("gridftp.log");
  const lines = 3000;
  await writeGeneratedLog(log, lines);
  const state = dir.join("state.json");
  const args = [
    "-f",
    log,
    "-p",
    state,
    "-U",
    `${archive.url}/esmond`,
    "-u",
    "test",
    "-k",
    archive.token,
    "-P",
    "--batch-size",
    "50",
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(findTool(TOOL)!, args),
    stdout: "null",
    stderr: "piped",
  }).spawn();
  while (!(await Deno.stat(state).then(() => true, () => false))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGINT");
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  assertMatch(stderr, /event=scan_and_load_netlogger\.info id=\d+ Got SIGINT - exiting\./);
  const firstStored = Number(/stored=(\d+)/.exec(stderr)![1]);
  assert(firstStored > 0 && firstStored < lines, stderr);
  const rest = await runTool(TOOL, args);
  assertEquals(rest.code, 0, rest.stderr);
  assertMatch(rest.stderr, /duplicates=0 /);
  const restStored = Number(/stored=(\d+)/.exec(rest.stderr)![1]);
  const transfers = (await Deno.readTextFile(log)).split("\n").filter((l) =>
    /TYPE=(RETR|STOR)/.test(l)
  );
  assertEquals(firstStored + restStored, transfers.length);
});

Deno.test("no user/key: warned, the archive refuses the write, exit 1 and no state", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  const state = dir.join("state.json");
  const run = await runTool(TOOL, [
    "-f",
    sharedLog("aborted.log"),
    "-p",
    state,
    "-U",
    `${archive.url}/esmond`,
    "-k",
    archive.token,
  ]);
  assertEquals(run.code, 1, run.stderr);
  assertMatch(run.stderr, /event=main\.warn id=\d+ username and api_key not set/);
  assertMatch(run.stderr, /401/);
  await Deno.stat(state).then(() => assert(false, "state written"), () => {});
  assertEquals(await dumpArchive(archive.archiveUrl), []);
});

Deno.test("a state file in a missing folder: one error line, exit 1, no stack trace", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  const run = await load(archive, ["-f", sharedLog("aborted.log"), "-p", dir.join("no", "state")]);
  assertEquals(run.code, 1, run.stderr);
  assertMatch(run.stderr, /event=main\.error id=\d+ .*No such file or directory/);
  assert(!/\n\s+at /.test(run.stderr), run.stderr);
});

Deno.test("-s gives the mount prefix separately (a trailing slash does no harm)", async () => {
  await using archive = await startArchive({ tokenUser: "test" });
  await using dir = await tempDir();
  const run = await runTool(TOOL, [
    "-f",
    sharedLog("aborted.log"),
    "-p",
    dir.join("s"),
    "-U",
    archive.url,
    "-s",
    "esmond/",
    "-u",
    "test",
    "-k",
    archive.token,
  ]);
  assertEquals(run.code, 0, run.stderr);
  assertEquals(await dumpArchive(archive.archiveUrl), await expectedDump("aborted.log", false));
});
