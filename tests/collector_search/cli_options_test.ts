// The collector's search options from the command line: mistakes end with one clear error line
// and a non-zero exit before anything listens; --help lists the search options.
import { assert, assertEquals, assertMatch, runTool } from "../harness/mod.ts";

const LISTEN = ["-p", "0", "-b", "127.0.0.1"];

Deno.test("search option mistakes give one error line and exit 1", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["-s", "http://127.0.0.1:9", "--backend", "solr"],
      /--backend must be elasticsearch or opensearch/,
    ],
    [["-s", "ftp://127.0.0.1:9"], /only http:\/\/ and https:\/\/ are supported/],
    [["-s", "http://127.0.0.1:9", "--index", "Bad"], /must be lower case/],
    [
      ["-s", "http://127.0.0.1:9", "--user", "u"],
      /--user needs --password-file or XRD_SEARCH_PASSWORD/,
    ],
    [
      ["-s", "http://127.0.0.1:9", "--ca-file", "/nonexistent/ca.pem"],
      /--ca-file \/nonexistent\/ca.pem/,
    ],
  ];
  for (const [args, message] of cases) {
    const result = await runTool("xrootd-fstream-collector", [...LISTEN, ...args], {
      env: { XRD_SEARCH_PASSWORD: "" },
      timeoutMs: 30_000,
    });
    assertEquals(result.code, 1, result.stderr);
    const lines = result.stderr.trim().split("\n");
    assertEquals(lines.length, 1, result.stderr);
    assertMatch(lines[0], message);
    assertEquals(result.stdout, "");
  }
});

Deno.test("--help lists the search options", async () => {
  const result = await runTool("xrootd-fstream-collector", ["--help"]);
  assertEquals(result.code, 0);
  for (
    const option of ["--spool-dir", "--spool-max-bytes", "--backend", "--index", "--no-template"]
  ) {
    assert(result.stdout.includes(option), option);
  }
});
