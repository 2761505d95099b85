/**
 * Real Elasticsearch / OpenSearch nodes for the tests, started through
 * `scripts/search_engine.sh`, plus small HTTP helpers to read the index back.
 *
 * The tests using them are ignored where the programs the engines need are missing
 * (`SEARCH_ENGINE_PROGRAMS` of `tests/harness/programs.ts`, required under `CI=true`); an engine that cannot start
 * although they are present is a test failure.
 *
 * @module
 */
import { REPO_ROOT } from "../../scripts/tools.ts";

/** Engines the tests run against. */
export type EngineKind = "elasticsearch" | "opensearch";

/** One running node. */
export interface Engine extends AsyncDisposable {
  /** Which engine. */
  readonly kind: EngineKind;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Its data/log/pid folder. */
  readonly dir: string;
  /** Stops the node (data kept). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
}

const SCRIPT = `${REPO_ROOT}/scripts/search_engine.sh`;
const decoder = new TextDecoder();

async function script(args: string[]): Promise<string> {
  const out = await new Deno.Command(SCRIPT, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`search_engine.sh ${args.join(" ")}: ${decoder.decode(out.stderr).trim()}`);
  }
  return decoder.decode(out.stdout).trim();
}

/**
 * Starts a node of `kind` in a fresh temp folder. Tests that call it declare
 * `SEARCH_ENGINE_PROGRAMS` of `tests/harness/programs.ts` through `requirePrograms` (so they are ignored where Java or
 * Maven is missing); with the programs present, a node that cannot start is an error.
 */
export async function startEngine(kind: EngineKind): Promise<Engine> {
  const dir = await Deno.makeTempDir({ prefix: `xrd-${kind}-` });
  let url: string;
  try {
    url = await script(["start", kind, dir]);
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
  const engine: Engine = {
    kind,
    url,
    dir,
    stop: async () => void await script(["stop", dir]),
    start: async () => void await script(["start", kind, dir]),
    async [Symbol.asyncDispose]() {
      const pid = Number(await Deno.readTextFile(`${dir}/pid`).catch(() => "0"));
      await script(["stop", dir]).catch(() => {});
      // Never leave a JVM behind, whatever the stop script managed.
      if (pid > 0) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
  return engine;
}

/** Calls the engine's REST API and returns the parsed JSON answer. */
export async function api(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok && response.status !== 404) {
    throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  }
  return JSON.parse(text);
}

/** Every document of the indices matching `index` (after a refresh), as `_id` → `_source`. */
export async function readAll(
  url: string,
  index: string,
): Promise<Map<string, Record<string, unknown>>> {
  await api(url, "POST", `/${index}/_refresh?ignore_unavailable=true&allow_no_indices=true`);
  const docs = new Map<string, Record<string, unknown>>();
  let answer = await api(
    url,
    "POST",
    `/${index}/_search?scroll=1m&ignore_unavailable=true&allow_no_indices=true`,
    { size: 5000, sort: ["_doc"] },
  );
  while (true) {
    const hits = (answer.hits as { hits: { _id: string; _source: Record<string, unknown> }[] })
      ?.hits ?? [];
    if (hits.length === 0) break;
    for (const hit of hits) docs.set(hit._id, hit._source);
    answer = await api(url, "POST", "/_search/scroll", {
      scroll: "1m",
      scroll_id: answer._scroll_id,
    });
  }
  return docs;
}

/** The number of documents in the indices matching `index` (after a refresh). */
export async function countDocs(url: string, index: string): Promise<number> {
  await api(url, "POST", `/${index}/_refresh?ignore_unavailable=true&allow_no_indices=true`);
  const answer = await api(
    url,
    "GET",
    `/${index}/_count?ignore_unavailable=true&allow_no_indices=true`,
  );
  return (answer.count as number) ?? 0;
}

/** Field → mapping type of the first index matching `index`. */
export async function mappingTypes(url: string, index: string): Promise<Record<string, string>> {
  const answer = await api(url, "GET", `/${index}/_mapping`);
  const first = Object.values(answer)[0] as {
    mappings: { properties: Record<string, { type?: string }> };
  };
  const out: Record<string, string> = {};
  for (const [field, spec] of Object.entries(first.mappings.properties)) {
    out[field] = spec.type ?? "object";
  }
  return out;
}
