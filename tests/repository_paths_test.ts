/**
 * The repository stands on its own: no tracked file names a path outside it. The rules, applied
 * to every file `git ls-files` lists (text files only):
 *
 * 1. **No sibling folder.** Nothing names the development machine's folder beside the checkout:
 *    `../shared` or `shared/data/`, `shared/seeds/`, `shared/spec/` (everywhere, `testdata/`
 *    READMEs included). Real inputs live in `testdata/<area>/` and are reached through
 *    `tests/harness/test_data.ts`.
 * 2. **No climbing out.** In code (`.ts`, `.js`, `.sh`, `.ci/` files) no string literal that starts
 *    with `../` climbs above the repository root from the file's own folder.
 * 3. **No machine paths.** Outside `testdata/` (captured data, whose contents are what the capture
 *    machines wrote) nothing names a user's or a machine's working folder: `/work/`, `/root/`,
 *    `/home/`, `/Users/`. Examples use neutral paths such as `/var/log/…` or `/srv/…`.
 * 4. **`/tmp/` only in prose.** In code lines (not comments, not Markdown) `/tmp/` appears only as
 *    the shell fallback `${TMPDIR:-/tmp}` or `${HOME:-/tmp}`: tests write into `tempDir()`
 *    (`Deno.makeTempDir`), which honours `TMPDIR`.
 *
 * @module
 */
import { assert, assertEquals } from "./harness/mod.ts";
import { REPO_ROOT } from "../scripts/tools.ts";

/** One rule broken at one place. */
interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

const SIBLING = /\.\.\/shared\b|\bshared\/(?:data|seeds|spec)\//;
const MACHINE = /(?:^|[^A-Za-z0-9_.\-~])\/(?:work|root|home|Users)\//;
const TMP = /(?:^|[^A-Za-z0-9_.\-~$])\/tmp\//;
const TMP_FALLBACK = /\$\{(?:TMPDIR|HOME):-\/tmp\}/g;
const CLIMB = /["'`]((?:\.\.\/)+)/g;

const CODE = /\.(?:ts|js|mjs|sh)$|^\.ci\//;
const COMMENT = /^\s*(?:\*|\/\/|\/\*|#)/;

/** Checks one file's text against the rules; `file` is its path relative to the repository. */
function checkText(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  const inTestData = file.startsWith("testdata/");
  const isCode = CODE.test(file);
  const depth = file.split("/").length - 1;
  text.split("\n").forEach((line, index) => {
    const at = (rule: string) => found.push({ file, line: index + 1, rule, text: line.trim() });
    if (SIBLING.test(line)) at("names the folder beside the checkout");
    if (!inTestData && MACHINE.test(line)) at("names an absolute machine path");
    if (!isCode) return;
    for (const match of line.matchAll(CLIMB)) {
      if (match[1].length / 3 > depth) at("climbs above the repository root");
    }
    if (!COMMENT.test(line) && TMP.test(line.replace(TMP_FALLBACK, ""))) {
      at("writes /tmp/ directly (use tempDir() or ${TMPDIR:-/tmp})");
    }
  });
  return found;
}

async function trackedFiles(): Promise<string[]> {
  const out = await new Deno.Command("git", {
    args: ["ls-files", "-z"],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => null);
  if (out !== null && out.success) {
    return new TextDecoder().decode(out.stdout).split("\0").filter((f) => f !== "");
  }
  // Not a git checkout (an unpacked archive): every file but the ignored folders.
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(`${REPO_ROOT}/${dir}`)) {
      const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if ([".git", "dist", ".cache", "node_modules"].includes(rel)) continue;
      if (entry.isDirectory) await walk(rel);
      else if (entry.isFile) files.push(rel);
    }
  };
  await walk("");
  return files;
}

async function readText(file: string): Promise<string | undefined> {
  const bytes = await Deno.readFile(`${REPO_ROOT}/${file}`).catch(() => undefined);
  if (bytes === undefined || bytes.includes(0)) return undefined; // gone, or binary
  return new TextDecoder().decode(bytes);
}

Deno.test("the path rules catch what they name and let the allowed forms pass", () => {
  const rules = (file: string, text: string) => checkText(file, text).map((f) => f.rule);
  const up2 = "../".repeat(2);
  const up3 = "../".repeat(3);
  assertEquals(rules("tests/a/b.ts", `new URL("${up3}shared/data/x", import.meta.url)`), [
    "names the folder beside the checkout",
    "climbs above the repository root",
  ]);
  assertEquals(rules("scripts/d.ts", "`${REPO_ROOT}/../" + "shared/x`"), [
    "names the folder beside the checkout",
  ]);
  assertEquals(rules("tests/a/b.ts", `new URL("${up2}testdata/", import.meta.url)`), []);
  assertEquals(rules("docs/x.md", "see " + "/" + "work/main/README.md"), [
    "names an absolute machine path",
  ]);
  assertEquals(rules("tests/a.ts", `const p = "${"/"}home/u/x";`), [
    "names an absolute machine path",
  ]);
  assertEquals(rules("testdata/xrootd/a.ndjson", "/" + "root/x"), []);
  assertEquals(rules("tests/a.ts", `userid "=/root.9016:1@vm"`), []);
  assertEquals(rules("tests/a.ts", `await Deno.writeTextFile("/${"tmp"}/x", "")`), [
    "writes /tmp/ directly (use tempDir() or ${TMPDIR:-/tmp})",
  ]);
  assertEquals(rules("tests/a.ts", ` * await CaptureWriter.open("/${"tmp"}/c.ndjson");`), []);
  assertEquals(rules("scripts/a.sh", 'dir=$(mktemp -d "${TMPDIR:-/tmp}/x.XXXXXX")'), []);
  assertEquals(rules("docs/a.md", "writes /tmp/out"), []);
});

Deno.test("no tracked file names a path outside the repository", async () => {
  const files = await trackedFiles();
  assert(files.length > 100, `only ${files.length} files found under ${REPO_ROOT}`);
  const findings: Finding[] = [];
  const self = "tests/repository_paths_test.ts";
  for (const file of files.filter((f) => f !== self)) {
    const text = await readText(file);
    if (text !== undefined) findings.push(...checkText(file, text));
  }
  const report = findings.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.text}`).join("\n");
  assertEquals(findings.length, 0, `paths outside the repository:\n${report}`);
});
