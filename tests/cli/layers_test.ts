/**
 * The layering of `cli/`: `format/` is pure (no I/O of any kind), and imports run one way
 * (entry points → query → options → format → lib; the writers gridftp/ and pipe/ → lib).
 *
 * @module
 */
import { assertEquals } from "../harness/mod.ts";

const CLI = new URL("../../cli/", import.meta.url);

async function sources(folder: URL): Promise<{ name: string; text: string }[]> {
  const files: { name: string; text: string }[] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (entry.isFile && entry.name.endsWith(".ts")) {
      files.push({ name: entry.name, text: await Deno.readTextFile(new URL(entry.name, folder)) });
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

/** Code without comments, so doc examples do not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

const IO =
  /\bDeno\.(open|read|write|stat|lstat|remove|rename|mkdir|makeTemp|resolveDns|connect|listen|serve|stdout|stderr|stdin|readDir|readFile|readTextFile|writeFile|writeTextFile|Command|run|env|exit)\b|\bfetch\s*\(|["']node:(fs|net|dns|http|https|child_process)(\/promises)?["']/;

Deno.test("cli/format/ does no I/O: no Deno.* I/O, fetch or node:fs in any file", async () => {
  const offenders = (await sources(new URL("format/", CLI)))
    .filter((file) => IO.test(code(file.text)))
    .map((file) => file.name);
  assertEquals(offenders, []);
});

const IMPORT = /^\s*(?:import|export)\b[^"']*?from\s*["'](\.[^"']+)["']/gm;

function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((match) => match[1]);
}

Deno.test("cli/ imports run one way: format → lib only, options never → query", async () => {
  const wrong: string[] = [];
  for (const file of await sources(new URL("format/", CLI))) {
    for (const spec of importsOf(file.text)) {
      if (!spec.startsWith("./") && !spec.startsWith("../../lib/")) {
        wrong.push(`format/${file.name} → ${spec}`);
      }
    }
  }
  for (const file of await sources(new URL("options/", CLI))) {
    for (const spec of importsOf(file.text)) {
      if (spec.startsWith("../query/") || spec.startsWith("../archive/")) {
        wrong.push(`options/${file.name} → ${spec}`);
      }
    }
  }
  assertEquals(wrong, []);
});
