/**
 * Runs the real collector (`collector/main.ts` with its registered permissions) to the end, for
 * `--replay` and other runs that stop on their own.
 *
 * @module
 */
import { denoRunArgs, findTool } from "../../scripts/tools.ts";

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
