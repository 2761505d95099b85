import { assertEquals, assertRejects, tempDir } from "../harness/mod.ts";
import { parsePipeArgs, UsageError } from "../../cli/pipe/options.ts";

Deno.test("pipe options: the original defaults and spellings", async () => {
  const options = await parsePipeArgs(["--user", "me", "--key", "k"]);
  assertEquals(options.url, "http://localhost:8000");
  assertEquals(options.scriptAlias, "/");
  assertEquals(options.verbose, false);
  assertEquals(options.dryRun, false);
  const short = await parsePipeArgs([
    "-u",
    "me",
    "-k",
    "k",
    "-U",
    "http://h/esmond",
    "-s",
    "x",
    "-v",
  ]);
  assertEquals([short.url, short.scriptAlias, short.verbose], ["http://h/esmond", "x", true]);
  const dashed = await parsePipeArgs(["-u", "me", "-k", "k", "--script-alias", "/esmond"]);
  assertEquals(dashed.scriptAlias, "/esmond");
});

Deno.test("pipe options: mistakes are usage errors", async () => {
  await using dir = await tempDir();
  const cases: [string[], RegExp][] = [
    [["-u", "me"], /both --user and --key/],
    [["-k", "k"], /both --user and --key/],
    [["-u", "me", "-k", "k", "--bogus"], /bogus/],
    [["-u", "me", "-k", "k", "--timeout", "soon"], /--timeout/],
    [["-u", "me", "-k", "k", "-l", `${dir.path}/missing`], /log_dir/],
    [["-u", "me", "-k", "k", "--replay", `${dir.path}/missing`], /--replay/],
    [["-u", "me", "-k", "k", "--replay", dir.path, "--file", "x"], /--replay/],
  ];
  for (const [args, message] of cases) {
    await assertRejects(
      () => parsePipeArgs(args),
      (error: Error) => error instanceof UsageError && message.test(error.message),
      args.join(" "),
    );
  }
});

Deno.test("pipe options: --dry-run needs no credentials", async () => {
  const options = await parsePipeArgs([
    "--dry-run",
    "--input-source",
    "a",
    "--input-destination",
    "b",
  ]);
  assertEquals([options.dryRun, options.inputSource, options.inputDestination], [true, "a", "b"]);
});
