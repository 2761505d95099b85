/**
 * Running a real Debian `xrootd` in the collector tests: run a command, wait for its port, and
 * drop from root to the `xrootd` user the package made (whether it is installed:
 * `requirePrograms` of the harness).
 *
 * @module
 */
import { type ChildServer, startChildServer } from "../harness/mod.ts";
import { denoRunArgs, findTool } from "../../scripts/tools.ts";

/**
 * Runs a command; resolves its output, rejects with it when the command fails.
 *
 * @example
 * ```ts
 * import { run } from "./xrootd_helpers.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await run(Deno.execPath(), ["eval", "console.log('hi')"]), "hi\n");
 * await assert.rejects(() => run(Deno.execPath(), ["eval", "Deno.exit(3)"]));
 * ```
 */
export async function run(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`${command} ${args.join(" ")} failed: ${text}`);
  return text;
}

/**
 * Whether something listens on TCP `port` of 127.0.0.1.
 *
 * @example
 * ```ts
 * import { tcpOpen } from "./xrootd_helpers.ts";
 * await tcpOpen(1); // false
 * ```
 */
export async function tcpOpen(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * The command that starts `xrootd`: as is, or — xrootd refuses to run as root — through
 * `setpriv` as the `xrootd` user, after giving it `dir`.
 *
 * @example
 * ```ts
 * import { serverCommand } from "./xrootd_helpers.ts";
 * // const [command, prefix] = await serverCommand("/tmp/x");
 * ```
 */
export async function serverCommand(dir: string): Promise<[string, string[]]> {
  if (Deno.uid() !== 0) return ["xrootd", []];
  const uid = Number((await run("id", ["-u", "xrootd"])).trim());
  const gid = Number((await run("id", ["-g", "xrootd"])).trim());
  await run("chown", ["-R", `${uid}:${gid}`, dir]);
  return ["setpriv", [`--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "xrootd"]];
}

/**
 * Starts the collector on UDP `udpPort` of 127.0.0.1 writing NDJSON to `output` (flushed every
 * second), with `/metrics` on `metricsPort`; resolves once `/metrics` answers.
 *
 * @example
 * ```ts
 * import { startFileCollector } from "./xrootd_helpers.ts";
 * // const collector = await startFileCollector(9930, 9100, "/tmp/docs.ndjson");
 * ```
 */
export function startFileCollector(
  udpPort: number,
  metricsPort: number,
  output: string,
): Promise<ChildServer> {
  return startChildServer({
    name: "xrootd-fstream-collector",
    command: Deno.execPath(),
    args: denoRunArgs(findTool("xrootd-fstream-collector")!, [
      "--bind=127.0.0.1",
      `--port=${udpPort}`,
      `--metrics-port=${metricsPort}`,
      `--output=${output}`,
      "--time=1",
    ]),
    ready: async () => {
      try {
        return (await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text()))
          .length > 0;
      } catch {
        return false;
      }
    },
  });
}
