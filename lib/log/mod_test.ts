import { assert, assertEquals, assertMatch } from "../../tests/harness/assert.ts";
import { getLogger, levelFor, setupLogging } from "./mod.ts";

Deno.test("levelFor maps --verbose/--quiet to a log level", () => {
  assertEquals(levelFor({}), "info");
  assertEquals(levelFor({ verbose: true }), "debug");
  assertEquals(levelFor({ quiet: true }), "error");
  assertEquals(levelFor({ quiet: true, verbose: true }), "error");
});

Deno.test("setupLogging writes structured lines and honours the level", async () => {
  const lines: string[] = [];
  await setupLogging({ format: "json", write: (line) => lines.push(line) });
  const log = getLogger("test-tool");
  log.debug("hidden {n}", { n: 1 });
  log.info("shown {n}", { n: 2 });
  assertEquals(lines.length, 1);
  const record = JSON.parse(lines[0]);
  assertEquals(record.level, "INFO");
  assertEquals(record.logger, "test-tool");
  assertMatch(record.message, /shown 2/);
  assertEquals(record.properties.n, 2);

  lines.length = 0;
  await setupLogging({ format: "text", verbose: true, write: (line) => lines.push(line) });
  log.debug("now {what}", { what: "visible" });
  assertEquals(lines.length, 1);
  assert(lines[0].includes("what=visible"), lines[0]);
});
