// `.ci/run` keeps its install steps, then runs the README's test command in a fresh clone of HEAD
// inside an empty temporary folder and ends with "N passed, N failed". The Debian and Maven steps
// and `npx` are stubbed here (the stub records where the test command ran and prints a summary).
import { assertEquals, assertMatch, requirePrograms, tempDir } from "./harness/mod.ts";
import { REPO_ROOT } from "../scripts/tools.ts";

const decoder = new TextDecoder();

async function git(args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  return decoder.decode(out.stdout).trim();
}

async function ciRun(summary: string) {
  await using dir = await tempDir("ci-run-");
  const bin = dir.join("bin");
  await Deno.mkdir(bin);
  const record = dir.join("record");
  const stub = (name: string, body: string) =>
    Deno.writeTextFile(`${bin}/${name}`, `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  await stub("dpkg", "exit 0");
  await stub(
    "npx",
    `shift 2  # -y deno@VERSION
if [ "$1" = task ]; then
  { pwd; ls -A ..; git rev-parse HEAD; git status --porcelain | wc -l; } > "${record}"
  echo "${summary}"
else
  exec "${Deno.execPath()}" "$@"
fi`,
  );
  // A resolved classpath, so that `search_engine.sh install` has nothing to do.
  const cache = dir.join("cache");
  for (const engine of ["elasticsearch", "opensearch"]) {
    await Deno.mkdir(`${cache}/${engine}`, { recursive: true });
    await Deno.writeTextFile(`${cache}/${engine}/classpath.txt`, `${cache}/${engine}/pom.xml`);
    await Deno.writeTextFile(`${cache}/${engine}/pom.xml`, "");
  }
  const out = await new Deno.Command("bash", {
    args: [`${REPO_ROOT}/.ci/run`],
    env: {
      PATH: `${bin}:${Deno.env.get("PATH")}`,
      SEARCH_ENGINE_CACHE: cache,
      TMPDIR: dir.path,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const [cwd, beside, head, dirty] = (await Deno.readTextFile(record)).trim().split("\n");
  const left = [...Deno.readDirSync(dir.path)].map((e) => e.name).sort();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    cwd,
    beside,
    head,
    dirty,
    left,
  };
}

Deno.test(requirePrograms(["bash", "git"], {
  name: ".ci/run runs the tests in a fresh clone of HEAD with nothing beside it",
  async fn() {
    const run = await ciRun("ok | 7 passed | 0 failed | 2 ignored (1s)");
    assertEquals(run.code, 0, run.stdout);
    assertMatch(run.cwd, /\/esmond-ci\.[^/]+\/checkout$/);
    assertEquals(run.beside, "checkout");
    assertEquals(run.head, await git(["rev-parse", "HEAD"], REPO_ROOT));
    assertEquals(run.dirty, "0");
    assertEquals(run.stdout.trim().split("\n").slice(-2), [
      '2 ignored (see the "ignored:" lines)',
      "7 passed, 0 failed",
    ]);
    // the temporary clone is removed afterwards
    assertEquals(run.left, ["bin", "cache", "record"]);
  },
}));

Deno.test(requirePrograms(["bash", "git"], {
  name: ".ci/run exits non-zero when a test failed",
  async fn() {
    const run = await ciRun("FAILED | 6 passed | 1 failed (1s)");
    assertEquals(run.code, 1);
    assertEquals(run.stdout.trim().split("\n").at(-1), "6 passed, 1 failed");
  },
}));
