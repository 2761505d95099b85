/**
 * Imports run one way in the folders split out of large modules: the pieces of
 * `lib/pscheduler/esmond_view/` import only pieces below them (and never the pScheduler
 * modules that import the view), and the durable sinks' shared modules in `collector/sink/`
 * never import a sink. The collector's stages import only their own folder and the stages
 * before them in the flow (listen → decode → correlate → sink), and between the top folders
 * `lib/` imports neither `collector/` nor `cli/`, which never import each other, and none of
 * the three imports `tests/`.
 *
 * @module
 */
import { assertEquals } from "./harness/mod.ts";

const ROOT = new URL("../", import.meta.url);
// Also a bare `import "./x.ts"` (side effects only).
const IMPORT = /^\s*(?:import|export)\b[^"';]*?["'](\.[^"']+)["']/gm;

/** The relative imports of each non-test `.ts` file of a folder, by file name. */
async function importsIn(folder: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const url = new URL(folder, ROOT);
  for await (const entry of Deno.readDir(url)) {
    if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    // Comments dropped, so doc examples do not count.
    const text = (await Deno.readTextFile(new URL(entry.name, url)))
      .replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    found.set(entry.name, [...text.matchAll(IMPORT)].map((match) => match[1]));
  }
  return found;
}

// Lower first; a piece may import only pieces of a lower rank.
const ESMOND_VIEW_RANK: Readonly<Record<string, number>> = {
  "types.ts": 0,
  "python_values.ts": 1,
  "summaries.ts": 1,
  "archiver_record.ts": 2,
  "type_mapping.ts": 3,
  "addresses.ts": 3,
  "latency.ts": 4,
  "throughput.ts": 4,
  "trace.ts": 4,
  "rtt.ts": 4,
  "disk_to_disk.ts": 4,
  "mappings.ts": 5,
  "view.ts": 6,
  "mod.ts": 7,
};

Deno.test("lib/pscheduler/esmond_view/: every piece ranked, imports only run down", async () => {
  const wrong: string[] = [];
  const files = await importsIn("lib/pscheduler/esmond_view/");
  assertEquals([...files.keys()].sort(), Object.keys(ESMOND_VIEW_RANK).sort());
  for (const [file, specs] of files) {
    for (const spec of specs) {
      if (spec.startsWith("./")) {
        const target = spec.slice(2);
        if (!((ESMOND_VIEW_RANK[target] ?? Infinity) < ESMOND_VIEW_RANK[file])) {
          wrong.push(`${file} → ${spec}`);
        }
      } else if (
        ["../esmond_view.ts", "../mod.ts"].includes(spec)
      ) {
        wrong.push(`${file} → ${spec}`);
      }
    }
  }
  assertEquals(wrong, []);
});

Deno.test("collector/sink/: the shared modules never import a sink, search/ never bus/", async () => {
  const wrong: string[] = [];
  // The spool and its record type are the search sink's, shared by both sinks.
  const shared = ["./search/spool.ts", "./search/bulk_result.ts"];
  for (const file of ["spool_feed.ts", "spool_delivery.ts"]) {
    for (const spec of (await importsIn("collector/sink/")).get(file) ?? []) {
      if (spec.startsWith("./bus/") || (spec.startsWith("./search/") && !shared.includes(spec))) {
        wrong.push(`${file} → ${spec}`);
      }
    }
  }
  for (const [file, specs] of await importsIn("collector/sink/search/")) {
    for (const spec of specs) {
      if (spec.startsWith("../bus/")) wrong.push(`search/${file} → ${spec}`);
    }
  }
  assertEquals(wrong, []);
});

/** The relative imports of each non-test `.ts` file below a folder, as paths from the root. */
async function importsUnder(folder: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const [name, specs] of await importsIn(folder)) {
    const file = new URL(folder + name, ROOT);
    found.set(folder + name, specs.map((spec) => new URL(spec, file).href.slice(ROOT.href.length)));
  }
  for await (const entry of Deno.readDir(new URL(folder, ROOT))) {
    if (!entry.isDirectory) continue;
    for (const [file, targets] of await importsUnder(`${folder}${entry.name}/`)) {
      found.set(file, targets);
    }
  }
  return found;
}

// The collector's stages in the order a datagram goes through them; `collector/main.ts` and
// `collector/options.ts`, which wire them, come after all of them.
const COLLECTOR_STAGES = ["listen", "decode", "correlate", "sink"];

/** A collector file's stage (`""` for the wiring files beside the stages). */
function stageOf(path: string): string {
  const [, folder, rest] = path.split("/");
  return rest === undefined ? "" : folder;
}

function stageRank(stage: string): number {
  return stage === "" ? COLLECTOR_STAGES.length : COLLECTOR_STAGES.indexOf(stage);
}

/** Each cycle of a graph given as edges, as its nodes in order (found once, from its least). */
function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const found: string[][] = [];
  const walk = (path: string[]) => {
    for (const next of edges.get(path.at(-1)!) ?? []) {
      if (next === path[0]) found.push([...path, next]);
      else if (next > path[0] && !path.includes(next)) walk([...path, next]);
    }
  };
  for (const start of [...edges.keys()].sort()) walk([start]);
  return found;
}

Deno.test("collector/: stages import only themselves and the stages before them, no cycles", async () => {
  const folders: string[] = [];
  for await (const entry of Deno.readDir(new URL("collector/", ROOT))) {
    if (entry.isDirectory) folders.push(entry.name);
  }
  assertEquals(folders.sort(), [...COLLECTOR_STAGES].sort(), "every stage folder ranked");
  const wrong: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of await importsUnder("collector/")) {
    const from = stageOf(file);
    for (const target of targets) {
      if (!target.startsWith("collector/")) continue;
      const to = stageOf(target);
      if (to === from) continue;
      if (stageRank(to) > stageRank(from)) wrong.push(`${file} → ${target}`);
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  assertEquals(wrong, [], "imports against the flow listen → decode → correlate → sink");
  assertEquals(cycles(edges).map((cycle) => cycle.join(" → ")), [], "cycles between stages");
});

Deno.test("top folders: lib/ imports neither collector/ nor cli/, nor they each other, none tests/", async () => {
  // Product code (benchmarks beside it included) takes nothing from tests/: a tool built from
  // it must not depend on test fixtures.
  const forbidden: Readonly<Record<string, readonly string[]>> = {
    "lib/": ["collector/", "cli/", "tests/"],
    "collector/": ["cli/", "tests/"],
    "cli/": ["collector/", "tests/"],
  };
  const wrong: string[] = [];
  for (const [folder, banned] of Object.entries(forbidden)) {
    for (const [file, targets] of await importsUnder(folder)) {
      for (const target of targets) {
        if (banned.some((top) => target.startsWith(top))) wrong.push(`${file} → ${target}`);
      }
    }
  }
  assertEquals(wrong, []);
});
