/**
 * Runs the real collector (`collector/main.ts` with its registered permissions) to the end, for
 * `--replay` and other runs that stop on their own.
 *
 * @module
 */
import { denoRunArgs, findTool } from "../../scripts/tools.ts";
import {
  type RunningCollector,
  spawnCollector as spawnUntil,
} from "../collector_search/collector_proc.ts";

/** Runs the collector with `args`; resolves its exit code, stdout and stderr. */
export async function runCollector(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const tool = findTool("xrootd-fstream-collector")!;
  const out = await new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(tool, args),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

/** Starts the collector with `args`; resolves once its log matches `ready`. */
export function spawnCollector(
  args: string[],
  ready: RegExp,
): Promise<RunningCollector<true>> {
  return spawnUntil(args, (log) => ready.test(log) ? true : undefined);
}

/** The NDJSON documents of a file (empty when it does not exist yet). */
export async function readDocuments(path: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

/** Waits until `path` holds at least `count` documents and no more arrive for `quietMs`. */
export async function waitForDocuments(
  path: string,
  count: number,
  timeoutMs = 60_000,
  quietMs = 1500,
): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const docs = await readDocuments(path);
    if (docs.length !== last) {
      last = docs.length;
      since = Date.now();
    } else if (docs.length >= count && Date.now() - since >= quietMs) {
      return docs;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return await readDocuments(path);
}
