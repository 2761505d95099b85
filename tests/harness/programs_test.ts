import { assert, assertEquals, assertMatch } from "./assert.ts";
import { findProgram, missingPrograms, requirePrograms } from "./programs.ts";
import { runDeno } from "./run_tool.ts";
import { tempDir } from "./temp_dir.ts";

const ABSENT = "no-such-program-for-esmond-tests";

Deno.test("requirePrograms: present programs leave the definition as it is", () => {
  const deno = Deno.execPath();
  const dir = deno.slice(0, deno.lastIndexOf("/"));
  const name = deno.slice(deno.lastIndexOf("/") + 1);
  assertEquals(findProgram(name, dir), deno);
  const definition = { name: "t", fn() {} };
  assertEquals(requirePrograms([name], definition, { path: dir, ci: true }), definition);
});

Deno.test("requirePrograms: a missing program ignores the test with one line naming it", () => {
  const lines: string[] = [];
  const definition = requirePrograms(
    ["iperf3", { name: ABSENT, install: "make it" }],
    { name: "t", fn() {} },
    { path: "", ci: false, report: (line) => lines.push(line) },
  );
  assertEquals(definition.ignore, true);
  assertEquals(lines, [
    `ignored: t: needs iperf3, ${ABSENT}, not installed (apt-get install iperf3; make it)`,
  ]);
  assertEquals(missingPrograms(["iperf3"], "").map((p) => p.install), ["apt-get install iperf3"]);
});

Deno.test("requirePrograms: under CI a missing program fails the test with that line", () => {
  const definition = requirePrograms([ABSENT], { name: "t", fn() {} }, { path: "", ci: true });
  assert(!definition.ignore);
  const fn = definition.fn as () => void;
  let message = "";
  try {
    fn();
  } catch (error) {
    message = (error as Error).message;
  }
  assertEquals(
    message,
    `t: needs ${ABSENT}, not installed (install ${ABSENT}); required under CI=true`,
  );
});

Deno.test("deno test reports a test needing an absent program as ignored, and failed under CI=true", async () => {
  await using dir = await tempDir("programs-");
  const harness = new URL("./programs.ts", import.meta.url).href;
  await Deno.writeTextFile(
    dir.join("needs_test.ts"),
    `import { requirePrograms } from "${harness}";\n` +
      `Deno.test(requirePrograms(["${ABSENT}"], { name: "needs it", fn() {} }));\n` +
      `Deno.test("plain", () => {});\n`,
  );
  const args = ["test", "--allow-all", "--no-lock", dir.join("needs_test.ts")];
  const plain = await runDeno(args, { cwd: dir.path, env: { CI: "false" } });
  assertEquals(plain.code, 0, plain.stderr);
  assertMatch(plain.stdout, new RegExp(`ignored: needs it: needs ${ABSENT}, not installed`));
  assertMatch(plain.stdout, /needs it \.\.\. ignored/);
  assertMatch(plain.stdout, /ok \| 1 passed \| 0 failed \| 1 ignored/);

  const ci = await runDeno(args, { cwd: dir.path, env: { CI: "true" } });
  assertEquals(ci.code, 1);
  assertMatch(ci.stdout, /FAILED \| 1 passed \| 1 failed/);
  assertMatch(ci.stdout, /required under CI=true/);
});

// Engines, brokers and browsers are programs outside Deno: a test file that starts one must
// declare them, or without them it fails instead of being ignored (or passes doing nothing).
const STARTS_A_PROGRAM = /\b(openSearchNode|startEngine|startBroker|launchLoopbackBrowser)\(/;
// The browser test is ignored through its own check (chromium is found by path, not on PATH).
const DECLARES = /\b(requirePrograms|skipWithoutChromium)\(/;

Deno.test("every test file that starts an engine, broker or browser declares its programs", async () => {
  const root = new URL("../", import.meta.url);
  const undeclared: string[] = [];
  const silent: string[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir), `${path}/`);
      else if (entry.name.endsWith("_test.ts")) {
        const text = await Deno.readTextFile(new URL(entry.name, dir));
        if (STARTS_A_PROGRAM.test(text) && !DECLARES.test(text)) {
          undeclared.push(path);
        }
        if (/if \(!(engine|node|broker)\) return;/.test(text)) silent.push(path);
      }
    }
  };
  await walk(root, "tests/");
  assertEquals(undeclared.sort(), [], "start a program without requirePrograms");
  assertEquals(silent.sort(), [], "return early (a silent pass) when a program is missing");
});
