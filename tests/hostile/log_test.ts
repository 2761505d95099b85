// Control characters from input never reach a log line or the program log raw.
import { assert, assertEquals, assertMatch } from "../harness/mod.ts";
import { getLogger, setupLogging } from "../../lib/log/mod.ts";
import { formatLogLine } from "../../cli/program_log/mod.ts";

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

Deno.test("log lines escape ESC, CR, newlines and C1 in messages and properties", async () => {
  for (const format of ["text", "json"] as const) {
    const lines: string[] = [];
    await setupLogging({ format, write: (line) => lines.push(line) });
    getLogger("esmond-ps-load-gridftp").warn("bad record {record}\x1b[2J", {
      record: "host=\x1b]0;pwned\x07 a\r\nb \u009b31m",
    });
    assertEquals(lines.length, 1);
    assert(lines[0].endsWith("\n"));
    assert(!CONTROL.test(lines[0].slice(0, -1)), JSON.stringify(lines[0]));
    assertMatch(lines[0], /u001b/);
    if (format === "json") JSON.parse(lines[0]);
  }
  await setupLogging({ quiet: true });
});

Deno.test("program-log lines escape control characters", () => {
  const line = formatLogLine("main.warning", "skipped \x1b[31mred\x1b[0m\nnext", new Date(0));
  assertEquals(line.split("\n").length, 2);
  assert(!CONTROL.test(line.slice(0, -1)), JSON.stringify(line));
});
