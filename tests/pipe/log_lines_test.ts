/**
 * `esmond-ps-pipe`'s program log (spec §8, §7.2): the original's line shape, event names and
 * texts for every malformed input, `-v` extras and the success sequence, against the real
 * embedded archive. Our additions (`no input`, non-text input, the tool named when its output is
 * not JSON, exit 255 for an unsupported tool) are listed where they appear.
 */
import { escapeControl } from "../../lib/log/mod.ts";
import { assert, assertEquals, runTool } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { parseProgramLog, type ProgramLogLine } from "../program_log/lines.ts";
import { storedState } from "./archive_state.ts";
import {
  decidedExpectation,
  MALFORMED_CASES,
  readExpected,
  readPipeBytes,
  readPipeText,
} from "./expectations.ts";

type Expected = readonly (readonly [event: string, messageStart: string])[];

const START: Expected = [["main.start", "reading input"]];
const FATAL: Expected = [
  ["main.fatal", "could not extract metadata and valid json from input"],
  ["main.fatal", "exiting"],
];
const NO_START_TOOL: Expected = [
  ["id_and_extract.error", "did not find bwctl: start_tool token to extract JSON from output"],
  ["id_and_extract.error", "bwctl must be run with the --verbose flag"],
];
const NO_TOOL_NAME: Expected = [["id_and_extract.error", "could not extract tool_name"]];
const NO_ADDRESSES: Expected = [
  ["id_and_extract.error", "could not extract input_source"],
  ["id_and_extract.error", "could not extract input_destination"],
];
const NO_JSON: Expected = [["id_and_extract.error", "could not load json_block: "]];

/** Per malformed case, every line in order (spec §8.1 and the shared README's "original"). */
const EXPECTED: Record<(typeof MALFORMED_CASES)[number], Expected> = {
  "malformed-no-verbose": [...START, ...NO_START_TOOL, ...NO_ADDRESSES, ...NO_JSON, ...FATAL],
  "malformed-json-only": [
    ...START,
    ...NO_START_TOOL,
    ...NO_TOOL_NAME,
    ...NO_ADDRESSES,
    ...NO_JSON,
    ...FATAL,
  ],
  "malformed-verbose-no-json": [
    ...START,
    ["id_and_extract.error", "could not load json_block: "],
    ...FATAL,
  ],
  "malformed-truncated-json": [...START, ...NO_JSON, ...FATAL],
  "malformed-empty": [
    ...START,
    ["id_and_extract.error", "no input: the input is empty"],
    ...NO_START_TOOL,
    ...NO_TOOL_NAME,
    ...NO_ADDRESSES,
    ...NO_JSON,
    ...FATAL,
  ],
  "malformed-unsupported-tool-nuttcp": [
    ...START,
    ...NO_JSON,
    ["id_and_extract.error", "there is no handler for input type: nuttcp"],
    ...FATAL,
  ],
  "malformed-unsupported-tool-nuttcp-json": [
    ...START,
    ["main.fatal", "there is no handler for input type: nuttcp"],
    ["main.fatal", "exiting"],
  ],
  "malformed-binary-garbage": [
    ...START,
    ["id_and_extract.error", "the input is not text"],
    ...NO_START_TOOL,
    ...NO_TOOL_NAME,
    ...NO_ADDRESSES,
    ...NO_JSON,
    ...FATAL,
  ],
};

function assertLines(lines: readonly ProgramLogLine[], expected: Expected, name: string): void {
  const shown = lines.map((l) => `${l.event} ${l.message}`).join("\n");
  assertEquals(lines.map((l) => l.event), expected.map(([event]) => event), `${name}:\n${shown}`);
  expected.forEach(([, start], i) => {
    assert(lines[i].message.startsWith(start), `${name} line ${i}: ${lines[i].message}`);
  });
}

function pipeArgs(archive: { url: string; token: string }, ...extra: string[]): string[] {
  return ["-U", `${archive.url}/esmond`, "-u", "pipe", "-k", archive.token, ...extra];
}

Deno.test("esmond-ps-pipe log: each malformed input gives the original's lines, exit 255, nothing posted", async () => {
  await using archive = await startArchive({ tokenUser: "pipe" });
  for (const name of MALFORMED_CASES) {
    const result = await runTool("esmond-ps-pipe", pipeArgs(archive), {
      stdin: await readPipeBytes(`${name}.bwctl.txt`),
    });
    assertEquals(result.code, 255, `${name}: ${result.stderr}`);
    assertLines(parseProgramLog(result.stderr), EXPECTED[name], name);
    const names = (await readExpected(name)).message_names as string[];
    assert(names.some((w) => result.stderr.includes(w)), `${name} names none of ${names}`);
  }
  assertEquals(await storedState(archive.url), []);
});

Deno.test("esmond-ps-pipe log: failure lines name what is missing", async () => {
  const killed = await runTool("esmond-ps-pipe", ["--dry-run"], {
    stdin: await readPipeBytes("malformed-verbose-no-json.bwctl.txt"),
  });
  const lines = parseProgramLog(killed.stderr);
  assert(lines[1].message.includes("was killed"), lines[1].message);
  const truncated = await runTool("esmond-ps-pipe", ["--dry-run"], {
    stdin: await readPipeBytes("malformed-truncated-json.bwctl.txt"),
  });
  assert(parseProgramLog(truncated.stderr)[1].message.includes("truncated"), truncated.stderr);
});

Deno.test("esmond-ps-pipe log: -v adds main.debug with the whole input between the fatal lines", async () => {
  const input = await readPipeText("malformed-no-verbose.bwctl.txt");
  const result = await runTool("esmond-ps-pipe", ["--dry-run", "-v"], { stdin: input });
  assertEquals(result.code, 255);
  const lines = parseProgramLog(result.stderr);
  assertEquals(lines.slice(-3).map((l) => l.event), ["main.fatal", "main.debug", "main.fatal"]);
  // The whole input on one line: its newlines and tabs escaped like any control character.
  assertEquals(lines.at(-2)?.message, escapeControl(input.replace(/\n$/, "")));
  const quiet = await runTool("esmond-ps-pipe", ["--dry-run", "-q"], { stdin: input });
  const quietLines = parseProgramLog(quiet.stderr);
  assertEquals(quietLines.at(-1)?.message, "exiting", quiet.stderr);
  assert(quietLines.every((l) => /\.(warning|error|fatal)$/.test(l.event)), quiet.stderr);
});

Deno.test("esmond-ps-pipe log: a stored run logs start, begin, each event type (-v), end, exit", async () => {
  await using archive = await startArchive({ tokenUser: "pipe" });
  const expected = await decidedExpectation("tcp-4streams");
  const result = await runTool("esmond-ps-pipe", pipeArgs(archive, "-v"), {
    stdin: await readPipeBytes("tcp-4streams.bwctl.txt"),
  });
  assertEquals(result.code, 0, result.stderr);
  const lines = parseProgramLog(result.stderr).filter((l) => !l.event.startsWith("http."));
  assertLines(lines, [
    ["main.start", "reading input"],
    ["process_iperf3.start", "begin"],
    ...expected.data.map(({ eventType }) => ["process_event_type.start", eventType] as const),
    ["process_iperf3.info", `stored ${expected.data.length} value(s) at ts ${expected.ts}`],
    ["process_iperf3.end", "finished"],
    ["main.exit", "success"],
  ], "tcp-4streams");
  // -v also makes the library log each request, in the same shape.
  assert(parseProgramLog(result.stderr).some((l) => l.event === "http.info"), result.stderr);
});
