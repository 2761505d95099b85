// `deno task demo` from the repository alone: the GridFTP, pipe and collector sections run from
// `testdata/` and show their data, and every command it prints is pasteable as is.
import { assert, assertEquals, assertMatch, runDeno } from "./harness/mod.ts";
import { REPO_ROOT } from "../scripts/tools.ts";

/** The words a POSIX shell makes of `line` (quotes and backslashes; no expansions but `#`). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed quote: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let text = "";
      for (; j < line.length && line[j] !== '"'; j++) {
        text += line[j] === "\\" ? line[++j] : line[j];
      }
      if (j >= line.length) throw new Error(`unclosed quote: ${line}`);
      word = (word ?? "") + text;
      i = j;
    } else if (c === "\\") {
      word = (word ?? "") + line[++i];
    } else if (c === " ") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "#" && word === undefined) {
      break;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The sections of the demo output: command line → what follows it. */
function sections(output: string): Map<string, string> {
  const map = new Map<string, string>();
  const parts = output.split(/^=== (.*) ===$/m);
  for (let i = 1; i < parts.length; i += 2) map.set(parts[i], parts[i + 1]);
  return map;
}

Deno.test("shellWords reads quoting like a shell", () => {
  assertEquals(shellWords(`a -S '2026-11-30 04:01:31' "x\\"y" b\\ c   # note`), [
    "a",
    "-S",
    "2026-11-30 04:01:31",
    'x"y',
    "b c",
  ]);
});

Deno.test({
  name: "deno task demo shows the GridFTP, pipe and collector data with pasteable commands",
  sanitizeResources: false,
  async fn() {
    const demo = await runDeno(["task", "demo"], { cwd: REPO_ROOT, timeoutMs: 240_000 });
    assertEquals(demo.code, 0, demo.stderr);
    assert(!demo.stdout.includes("No data found."), demo.stdout);
    assert(!demo.stdout.includes("(exit "), demo.stdout);
    const found = sections(demo.stdout);
    const commands = [...found.keys()].filter((c) => /^(deno task|curl) /.test(c));
    assert(commands.length >= 12, commands.join("\n"));

    const find = (pattern: RegExp): [string[], string] => {
      const command = commands.find((c) => pattern.test(c));
      assert(command !== undefined, `no command like ${pattern}`);
      return [shellWords(command), found.get(command)!];
    };

    // Every command is words a shell reads back: dates with a space stay one word.
    for (const command of commands) {
      const words = shellWords(command);
      for (const option of ["-S", "-E"]) {
        const at = words.indexOf(option);
        if (at >= 0) assertMatch(words[at + 1], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, command);
      }
      if (words[0] === "deno") {
        assertEquals(words.slice(0, 4), ["deno", "task", "--quiet", "tool"], command);
        const key = words.findIndex((w) => w === "-k" || w === "--key");
        if (key >= 0) assertEquals(words[key + 1], "$ESMOND_KEY", command);
      }
    }

    // GridFTP: the in-repo log loaded, then read back in its window.
    const [load, loaded] = find(/esmond-ps-load-gridftp /);
    assertEquals(load[load.indexOf("-f") + 1], "testdata/gridftp/transfer.log");
    assertMatch(loaded, /stored=31 /);
    const [, gridftp] = find(/esmond-ps-get .* -t gridftp /);
    assertMatch(gridftp, /tool: gridftp\n/);
    // The demo shows the first blocks only, and metadata are listed in key order (random
    // keys): any transfer of the log (17:18:54 to 17:19:07) may come first.
    assertMatch(gridftp, /timestamp: 2026-11-24 17:(18:5[4-9]|19:0[0-7])\nvalue: \d+\.0/);

    // pipe: the in-repo bwctl output stored, then read back.
    const [pipe, piped] = find(/esmond-ps-pipe .* < testdata\/pipe\/tcp-4streams\.bwctl\.txt$/);
    assertEquals(pipe.at(-1), "testdata/pipe/tcp-4streams.bwctl.txt");
    assertMatch(piped, /stored 8 value\(s\) at ts 1795540656/);
    const [, iperf3] = find(/esmond-ps-get .* -t bwctl\/iperf3 -S /);
    assertMatch(iperf3, /timestamp: 2026-11-24 17:17:36\nvalue: 26479014962\.0/);

    // collector: the in-repo capture replayed; the printed command works when pasted.
    const [replay, replayed] = find(/xrootd-fstream-collector --replay /);
    assertMatch(replayed, /xrd_msg_type="fstream_close" .* xrd_XFR_read=16777216 /);
    const deno = Deno.execPath().slice(0, Deno.execPath().lastIndexOf("/"));
    const pasted = await new Deno.Command("sh", {
      args: ["-c", commands.find((c) => c.includes("--replay"))!],
      cwd: REPO_ROOT,
      env: { PATH: `${deno}:${Deno.env.get("PATH") ?? ""}`, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(pasted.code, 0, new TextDecoder().decode(pasted.stderr));
    const docs = new TextDecoder().decode(pasted.stdout).trim().split("\n");
    assertEquals(docs.length, 3, replay.join(" "));
  },
});
