import {
  assert,
  assertEquals,
  assertMatch,
  freePort,
  runDeno,
  startChildServer,
  tempDir,
} from "./harness/mod.ts";
import { planCompile } from "../scripts/compile.ts";
import { parseTestSummary } from "../scripts/test_summary.ts";
import { denoRunArgs, findTool, REPO_ROOT, TOOLS } from "../scripts/tools.ts";

Deno.test("a tool's runtime flags go into its deno run and deno compile command lines", () => {
  const tool = findTool("esmond-ps-get-bulk")!;
  assert((tool.runtimeFlags ?? []).length > 0);
  const [plan] = planCompile({ names: [tool.name], outDir: "/srv/out" });
  const run = denoRunArgs(tool, ["--help"]);
  for (const flag of tool.runtimeFlags!) {
    // Before the entry point: after it they would be the program's own arguments.
    assert(plan.args.indexOf(flag) >= 0 && plan.args.indexOf(flag) < plan.args.length - 1, flag);
    assert(run.indexOf(flag) >= 0 && run.indexOf(flag) < run.indexOf(`${REPO_ROOT}/${tool.entry}`));
  }
});

Deno.test("deno task tool with an unknown name exits 1 and lists every tool", async () => {
  const result = await runDeno(["task", "--quiet", "tool", "NO-SUCH-TOOL"], { cwd: REPO_ROOT });
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertMatch(result.stderr, /unknown tool: NO-SUCH-TOOL/);
  for (const tool of TOOLS) assert(result.stderr.includes(tool.name), tool.name);
});

// `deno task bench` runs `deno bench` first: a non-benchmark file in its list (a script named
// `bench.ts` once) would run there, and that one started `deno bench` again, without end.
Deno.test("deno bench picks up only *_bench.ts files", async () => {
  // A filter that matches no benchmark: each file is loaded and named, none is measured.
  const result = await runDeno(
    ["bench", "-A", "--frozen", "--permit-no-files", "--filter", "no such benchmark"],
    { cwd: REPO_ROOT, timeoutMs: 120_000 },
  );
  assertEquals(result.code, 0, result.stderr);
  const files = [...result.stdout.matchAll(/^file:\/\/(\S+)$/gm)].map((m) => m[1]);
  assert(files.length > 0, result.stdout);
  assertEquals(files.filter((file) => !file.endsWith("_bench.ts")), []);
});

Deno.test("every registered tool has an entry point on disk", async () => {
  for (const tool of TOOLS) {
    const info = await Deno.stat(`${REPO_ROOT}/${tool.entry}`).catch(() => null);
    assert(info?.isFile, `${tool.name}: ${tool.entry} is missing`);
  }
});

Deno.test("compile plan passes target, output and permissions to deno compile", () => {
  const [plan] = planCompile({
    names: ["esmond-ps-get"],
    outDir: "/srv/out",
    target: "aarch64-unknown-linux-gnu",
  });
  const args = plan.args;
  assertEquals(args[0], "compile");
  assert(args.includes("--frozen"));
  assertEquals(args[args.indexOf("--target") + 1], "aarch64-unknown-linux-gnu");
  assertEquals(args[args.indexOf("--output") + 1], "/srv/out/esmond-ps-get");
  assert(args.includes("--allow-net"));
  assert(!args.includes("--allow-all"));
  assertEquals(args.at(-1), `${REPO_ROOT}/cli/esmond_ps_get.ts`);
  assertEquals(planCompile({ names: [], outDir: "d" }).length, TOOLS.length);
});

Deno.test("compile --dry-run with DENORT_BIN prints one command per tool", async () => {
  await using dir = await tempDir();
  const denort = dir.join("denort");
  await Deno.writeTextFile(denort, "not really a runtime");
  const result = await runDeno(
    ["task", "--quiet", "compile", "--dry-run", "--target", "x86_64-unknown-linux-gnu"],
    { cwd: REPO_ROOT, env: { DENORT_BIN: denort } },
  );
  assertEquals(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assertEquals(lines.length, TOOLS.length);
  for (const [i, tool] of TOOLS.entries()) {
    assert(lines[i].startsWith(`DENORT_BIN=${denort} deno compile `), lines[i]);
    assert(lines[i].includes(`--output ${REPO_ROOT}/dist/${tool.name} `), lines[i]);
    assert(lines[i].includes("--target x86_64-unknown-linux-gnu"), lines[i]);
  }
});

Deno.test("compile with a DENORT_BIN that is not a file fails with a clear line", async () => {
  const result = await runDeno(["task", "--quiet", "compile", "esmond-ps-get"], {
    cwd: REPO_ROOT,
    env: { DENORT_BIN: "/nonexistent/denort" },
  });
  assertEquals(result.code, 1);
  assertMatch(result.stderr, /DENORT_BIN=\/nonexistent\/denort is not a file/);
});

Deno.test("compile without DENORT_BIN and without internet names what to set", async () => {
  await using dir = await tempDir();
  const result = await runDeno(
    ["task", "--quiet", "compile", "--out", dir.path, "esmond-ps-get-endpoints"],
    { cwd: REPO_ROOT, env: { DENORT_BIN: "" }, timeoutMs: 180_000 },
  );
  if (result.code === 0) {
    // A machine with internet access (or a cached denort) builds the binary for real.
    assert((await Deno.stat(dir.join("esmond-ps-get-endpoints"))).isFile);
  } else {
    assertEquals(result.code, 1);
    assertMatch(result.stderr, /set DENORT_BIN=/);
  }
});

Deno.test("parseTestSummary reads deno's summary line, with steps and ignored", () => {
  assertEquals(parseTestSummary("x\nok | 12 passed | 0 failed (3s)\n"), {
    passed: 12,
    failed: 0,
    ignored: 0,
  });
  assertEquals(
    parseTestSummary(
      "\x1b[0m\x1b[31mFAILED\x1b[0m | 3 passed (4 steps) | 2 failed | 1 ignored (9s)",
    ),
    { passed: 3, failed: 2, ignored: 1 },
  );
  assertEquals(parseTestSummary("nothing here"), null);
});

Deno.test("test_summary.ts prints the plain line and fails on failures", async () => {
  const pass = await runDeno(["run", "--quiet", `${REPO_ROOT}/scripts/test_summary.ts`], {
    stdin: "ok | 4 passed | 0 failed (1s)\n",
  });
  assertEquals(pass.code, 0);
  assertEquals(pass.stdout.trim().split("\n").at(-1), "4 passed, 0 failed");
  const fail = await runDeno(["run", "--quiet", `${REPO_ROOT}/scripts/test_summary.ts`], {
    stdin: "FAILED | 4 passed | 1 failed (1s)\n",
  });
  assertEquals(fail.code, 1);
  assertEquals(fail.stdout.trim().split("\n").at(-1), "4 passed, 1 failed");
});

Deno.test("harness: freePort gives bindable ports, tempDir cleans up", async () => {
  const port = freePort();
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  listener.close();
  const udp = freePort("udp");
  assert(udp > 0);
  let path = "";
  {
    await using dir = await tempDir();
    path = dir.path;
    await Deno.writeTextFile(dir.join("f"), "x");
  }
  assertEquals(await Deno.stat(path).catch(() => null), null);
});

Deno.test("harness: startChildServer waits for readiness and reports a dead child", async () => {
  const port = freePort();
  const code =
    `Deno.serve({ hostname: "127.0.0.1", port: ${port}, onListen() {} }, () => new Response("up"));`;
  {
    await using server = await startChildServer({
      command: Deno.execPath(),
      args: ["eval", code],
      ready: async () => (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())) === "up",
    });
    assertEquals(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "up");
    await server.stop();
  }
  let message = "";
  try {
    await startChildServer({
      command: Deno.execPath(),
      args: ["eval", "console.error('boom: cannot bind'); Deno.exit(3)"],
      ready: () => Promise.resolve(false),
      name: "broken-server",
    });
  } catch (error) {
    message = (error as Error).message;
  }
  assertMatch(message, /broken-server exited/);
  assertMatch(message, /boom: cannot bind/);
});
