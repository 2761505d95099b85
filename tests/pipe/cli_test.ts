/**
 * `esmond-ps-pipe` run as users run it (subprocess with its own permissions) against the real
 * embedded archive: every shared input, the malformed ones, spool/replay.
 */
import { assert, assertEquals, freePort, runTool, tempDir } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { PyFloat } from "../../lib/esmond/mod.ts";
import { eventTypeInfo } from "../../lib/esmond/event_types.ts";
import { parseProgramLog, type ProgramLogLine } from "../program_log/lines.ts";
import { storedState } from "./archive_state.ts";
import { decidedExpectation, readExpected, readPipeBytes, VALID_CASES } from "./expectations.ts";

/** Numbers as plain numbers, whatever float marking the library keeps. */
function plain(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** What the archive returns for a posted value (spec §4.1 value shapes). */
function asReturned(eventType: string, val: unknown): unknown {
  switch (eventTypeInfo(eventType)?.dataType) {
    case "integer":
      return Math.trunc(val as number);
    case "percentage": {
      const { numerator, denominator } = val as { numerator: number; denominator: number };
      return numerator / denominator;
    }
    default:
      return val;
  }
}

/** The program-log line of `event` whose message includes `text`, if any. */
function findLine(stderr: string, event: string, text: string): ProgramLogLine | undefined {
  return parseProgramLog(stderr).find((l) => l.event === event && l.message.includes(text));
}

function pipeArgs(archive: { url: string; token: string }, ...extra: string[]): string[] {
  return ["-U", `${archive.url}/esmond`, "-u", "pipe", "-k", archive.token, ...extra];
}

for (const name of VALID_CASES) {
  Deno.test(`esmond-ps-pipe: ${name} → the archive holds exactly the expected values`, async () => {
    await using archive = await startArchive({ tokenUser: "pipe" });
    const expected = await decidedExpectation(name);
    const result = await runTool("esmond-ps-pipe", pipeArgs(archive), {
      stdin: await readPipeBytes(`${name}.bwctl.txt`),
    });
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, "");
    const lines = parseProgramLog(result.stderr);
    assertEquals(lines.filter((l) => /\.(error|fatal)$/.test(l.event)), []);
    assertEquals(lines.at(-1)?.event, "main.exit");
    const stored = await storedState(archive.url);
    assertEquals(stored.length, 1);
    const [md] = stored;
    for (const [key, value] of Object.entries(expected.metadata)) {
      // Free-form values come back as text.
      assertEquals(String(md.raw[key]), String(value), key);
    }
    assertEquals([...md.eventTypes].sort(), [...expected.eventTypes].sort());
    for (const { eventType, val } of expected.data) {
      assertEquals(
        plain(md.points[eventType]),
        [[expected.ts, asReturned(eventType, val)]],
        eventType,
      );
    }
  });
}

Deno.test("esmond-ps-pipe: server-absent stores one failures point and exits 0", async () => {
  await using archive = await startArchive({ tokenUser: "pipe" });
  const expected = await readExpected("server-absent");
  // The prefix given as --script_alias instead of inside --url.
  const args = ["-U", archive.url, "-s", "esmond/", "-u", "pipe", "-k", archive.token];
  const result = await runTool("esmond-ps-pipe", args, {
    stdin: await readPipeBytes("server-absent.bwctl.txt"),
  });
  assertEquals(result.code, 0, result.stderr);
  assert(
    findLine(result.stderr, "process_iperf3.warning", expected.iperf3_error as string),
    result.stderr,
  );
  const stored = await storedState(archive.url);
  assertEquals(stored.length, 1);
  assertEquals(stored[0].eventTypes, ["failures"]);
  assertEquals(stored[0].raw["source"], "127.0.0.1");
  assertEquals(stored[0].raw["tool-name"], "bwctl/iperf3");
  const points = stored[0].points["failures"];
  assertEquals(points.length, 1);
  assertEquals(plain(points[0][1]), { error: expected.iperf3_error });
});

Deno.test("esmond-ps-pipe: plain iperf3 JSON from --file with --input-source/--input-destination", async () => {
  await using archive = await startArchive({ tokenUser: "pipe" });
  await using dir = await tempDir();
  const file = `${dir.path}/result.json`;
  await Deno.writeFile(file, await readPipeBytes("tcp-1stream.iperf3.json"));
  const refused = await runTool("esmond-ps-pipe", pipeArgs(archive, "--file", file));
  assertEquals(refused.code, 255);
  assert(refused.stderr.includes("--verbose"), refused.stderr);
  const result = await runTool(
    "esmond-ps-pipe",
    pipeArgs(archive, "--file", file, "--input-source", "127.0.0.1", "--input-destination", "::1"),
  );
  assertEquals(result.code, 0, result.stderr);
  const stored = await storedState(archive.url);
  assertEquals(stored.length, 1);
  assertEquals(stored[0].raw["tool-name"], "iperf3");
  assertEquals(stored[0].raw["input-destination"], "::1");
  assertEquals(stored[0].raw["measurement-agent"], "::1");
  const expected = await decidedExpectation("tcp-1stream");
  assertEquals(plain(stored[0].points["throughput"]), [[
    expected.ts,
    Math.trunc(expected.data[0].val as number),
  ]]);
});

Deno.test("esmond-ps-pipe: --dry-run prints the request bodies and posts nothing", async () => {
  await using archive = await startArchive({ tokenUser: "pipe" });
  const result = await runTool("esmond-ps-pipe", [
    "-U",
    `${archive.url}/esmond`,
    "--dry-run",
  ], { stdin: await readPipeBytes("tcp-4streams.bwctl.txt") });
  assertEquals(result.code, 0, result.stderr);
  const printed = JSON.parse(result.stdout);
  const expected = await decidedExpectation("tcp-4streams");
  assertEquals(
    printed.metadata["event-types"].map((e: { "event-type": string }) => e["event-type"]),
    expected.eventTypes,
  );
  assertEquals(printed.data, {
    data: [{
      ts: expected.ts,
      val: expected.data.map((d) => ({ "event-type": d.eventType, val: d.val })),
    }],
  });
  assertEquals(await storedState(archive.url), []);
});

Deno.test("esmond-ps-pipe: archive down → spooled → archive up → replay posts once", async () => {
  await using dir = await tempDir();
  const spool = `${dir.path}/spool`;
  const dbPath = `${dir.path}/archive.sqlite`;
  const input = await readPipeBytes("udp-2streams.bwctl.txt");
  const down = { url: `http://127.0.0.1:${freePort()}`, token: "unused" };
  const failed = await runTool(
    "esmond-ps-pipe",
    pipeArgs(down, "--spool", spool, "--retries", "0", "--timeout", "2"),
    { stdin: input },
  );
  assertEquals(failed.code, 75, failed.stderr);
  assert(
    findLine(
      failed.stderr,
      "process_iperf3.error",
      "MetadataPost failed, abort processing, not updating record state - ERROR: ",
    ),
    failed.stderr,
  );
  assert(findLine(failed.stderr, "spool.warning", `--replay ${spool}`), failed.stderr);
  const spooled = [...Deno.readDirSync(spool)].map((e) => e.name);
  assertEquals(spooled.length, 1, spooled.join());
  assert(spooled[0].endsWith(".json"));

  await using archive = await startArchive({ dbPath, tokenUser: "pipe" });
  assertEquals(await storedState(archive.url), []);
  const replayed = await runTool("esmond-ps-pipe", pipeArgs(archive, "--replay", spool));
  assertEquals(replayed.code, 0, replayed.stderr);
  assert(findLine(replayed.stderr, "replay.end", "replayed 1 result(s)"), replayed.stderr);
  assertEquals([...Deno.readDirSync(spool)].length, 0);
  const again = await runTool("esmond-ps-pipe", pipeArgs(archive, "--replay", spool));
  assertEquals(again.code, 0, again.stderr);

  const expected = await decidedExpectation("udp-2streams");
  const stored = await storedState(archive.url);
  assertEquals(stored.length, 1);
  for (const { eventType, val } of expected.data) {
    assertEquals(plain(stored[0].points[eventType]), [[expected.ts, asReturned(eventType, val)]]);
  }
});

Deno.test("esmond-ps-pipe: usage errors exit 2 with one line", async () => {
  const missing = await runTool("esmond-ps-pipe", ["-u", "someone"], { stdin: "" });
  assertEquals(missing.code, 2);
  assert(missing.stderr.includes("both --user and --key args are required."), missing.stderr);
  const badDir = await runTool("esmond-ps-pipe", ["-u", "a", "-k", "b", "-l", "/nonexistent/x"], {
    stdin: "",
  });
  assertEquals(badDir.code, 2);
  assertEquals(badDir.stderr.trim().split("\n").length, 1, badDir.stderr);
});

Deno.test("esmond-ps-pipe: --log_dir writes the log to esmond-ps-pipe.log, not stderr", async () => {
  await using dir = await tempDir();
  const result = await runTool("esmond-ps-pipe", ["--dry-run", "-l", dir.path], {
    stdin: await readPipeBytes("malformed-empty.bwctl.txt"),
  });
  assertEquals(result.code, 255);
  assertEquals(result.stderr, "");
  const log = parseProgramLog(await Deno.readTextFile(`${dir.path}/esmond-ps-pipe.log`));
  assertEquals(log.slice(-2).map((l) => `${l.event} ${l.message}`), [
    "main.fatal could not extract metadata and valid json from input",
    "main.fatal exiting",
  ]);
});

Deno.test("esmond-ps-pipe: data refused after the metadata was created → spooled, replay stores it once", async () => {
  await using dir = await tempDir();
  const spool = `${dir.path}/spool`;
  const dbPath = `${dir.path}/archive.sqlite`;
  const input = await readPipeBytes("tcp-4streams.bwctl.txt");
  {
    // A body limit that lets the metadata POST through and refuses the large bulk PUT.
    await using small = await startArchive({
      dbPath,
      tokenUser: "pipe",
      extraArgs: ["--max-body", "2000"],
    });
    const refused = await runTool("esmond-ps-pipe", pipeArgs(small, "--spool", spool), {
      stdin: input,
    });
    assertEquals(refused.code, 75, refused.stderr);
    assert(findLine(refused.stderr, "write.warning", "413"), refused.stderr);
    const half = await storedState(small.url);
    assertEquals(half.length, 1);
    assertEquals(Object.values(half[0].points).flat(), []);
  }
  await using archive = await startArchive({ dbPath, tokenUser: "pipe" });
  const replayed = await runTool("esmond-ps-pipe", pipeArgs(archive, "--replay", spool));
  assertEquals(replayed.code, 0, replayed.stderr);
  const stored = await storedState(archive.url);
  assertEquals(stored.length, 1);
  const expected = await decidedExpectation("tcp-4streams");
  for (const { eventType, val } of expected.data) {
    assertEquals(plain(stored[0].points[eventType]), [[expected.ts, asReturned(eventType, val)]]);
  }
});

Deno.test("esmond-ps-pipe: replay sets aside a result the archive refuses for good and goes on", async () => {
  await using dir = await tempDir();
  const spool = `${dir.path}/spool`;
  const down = { url: `http://127.0.0.1:${freePort()}`, token: "unused" };
  for (const name of ["tcp-1stream", "udp"]) {
    const result = await runTool(
      "esmond-ps-pipe",
      pipeArgs(down, "--spool", spool, "--retries", "0", "--timeout", "2"),
      { stdin: await readPipeBytes(`${name}.bwctl.txt`) },
    );
    assertEquals(result.code, 75, result.stderr);
  }
  await using archive = await startArchive({ tokenUser: "pipe" });
  // Stored meanwhile by another route: replaying it is a duplicate (409) that no retry can fix.
  const direct = await runTool("esmond-ps-pipe", pipeArgs(archive), {
    stdin: await readPipeBytes("tcp-1stream.bwctl.txt"),
  });
  assertEquals(direct.code, 0, direct.stderr);
  const replayed = await runTool("esmond-ps-pipe", pipeArgs(archive, "--replay", spool));
  assertEquals(replayed.code, 1, replayed.stderr);
  assert(findLine(replayed.stderr, "replay.error", "409"), replayed.stderr);
  const left = [...Deno.readDirSync(spool)].map((e) => e.name);
  assertEquals(left.length, 1);
  assert(left[0].endsWith(".json.rejected"), left[0]);
  const stored = await storedState(archive.url);
  assertEquals(stored.length, 2);
  const udp = stored.find((md) => md.raw["ip-transport-protocol"] === "UDP");
  assertEquals(udp?.points["packet-count-sent"]?.length, 1);
});
