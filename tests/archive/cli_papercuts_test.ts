// esmond-ps-archive and the client's retries, as a new user met them (issue 12).
import { assert, assertEquals, assertMatch, runTool } from "../harness/mod.ts";

Deno.test("serve on a port in use names the address, one line, exit 1", async () => {
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = busy.addr.port;
  const result = await runTool("esmond-ps-archive", [
    "serve",
    "--db",
    ":memory:",
    "--port",
    `${port}`,
  ]);
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    `esmond-ps-archive: cannot listen on 127.0.0.1:${port}: address already in use\n`,
  );
});

Deno.test("option errors print the tool's own one-line message", async () => {
  const cases: [string[], string][] = [
    [
      ["seed", "--demo", "--db", ":memory:", "--hours", "-5"],
      "--hours needs a value (for one starting with '-', write --hours=VALUE)",
    ],
    [
      ["seed", "--demo", "--db", ":memory:", "--hours=-5"],
      "--hours must be a non-negative integer, got -5",
    ],
    [["serve", "--db", ":memory:", "--bogus"], "unknown option --bogus"],
    [["serve", "--db"], "--db needs a value"],
  ];
  for (const [args, message] of cases) {
    const result = await runTool("esmond-ps-archive", args);
    assertEquals(result.code, 2, args.join(" "));
    assertEquals(result.stderr, `esmond-ps-archive: ${message}\n`, args.join(" "));
  }
});

Deno.test("a deterministic refusal (Deno's blocked port 1) is not retried", async () => {
  const started = Date.now();
  const result = await runTool("esmond-ps-get-endpoints", ["-u", "http://127.0.0.1:1"]);
  assertEquals(result.code, 2, result.stderr);
  assert(!result.stderr.includes("retrying"), result.stderr);
  assert(!result.stderr.includes("attempts"), result.stderr);
  assertEquals(result.stderr.trim().split("\n").length, 1, result.stderr);
  assert(Date.now() - started < 20_000);
});

Deno.test("each retry warning names the URL once", async () => {
  const port = (() => {
    using l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    return l.addr.port;
  })();
  const result = await runTool("esmond-ps-get-endpoints", ["-u", `http://127.0.0.1:${port}`]);
  assertEquals(result.code, 2);
  const retries = result.stderr.split("\n").filter((l) => l.includes("retrying"));
  assertEquals(retries.length, 3, result.stderr);
  for (const line of retries) {
    assertEquals(line.split(`127.0.0.1:${port}`).length - 1, 1, line);
    assertMatch(line, /Connection refused/);
  }
});
