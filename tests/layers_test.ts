/**
 * Imports run one way in the folders split out of large modules: the pieces of
 * `lib/pscheduler/esmond_view/` import only pieces below them (and never the pScheduler
 * modules that import the view), and the durable sinks' shared modules in `collector/sink/`
 * never import a sink.
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
