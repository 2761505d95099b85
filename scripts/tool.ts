/**
 * `deno task tool NAME ARGS…`: runs any tool by its binary name, from source, with exactly the
 * permissions it needs. Stdin, stdout and stderr are the tool's own; the exit code is passed on.
 *
 * @module
 */
import { denoRunArgs, findTool, TOOLS } from "./tools.ts";
import { watchLauncher } from "./launcher_watch.ts";

function usage(): string {
  const width = Math.max(...TOOLS.map((tool) => tool.name.length));
  const rows = TOOLS.map((tool) => `  ${tool.name.padEnd(width)}  ${tool.summary}`);
  return `usage: deno task tool NAME [ARGS...]\n\ntools:\n${rows.join("\n")}\n`;
}

async function main(args: string[]): Promise<number> {
  const [name, ...toolArgs] = args;
  if (name === undefined || name === "--help" || name === "-h") {
    await Deno.stderr.write(new TextEncoder().encode(usage()));
    return name === undefined ? 1 : 0;
  }
  const tool = findTool(name);
  if (tool === undefined) {
    await Deno.stderr.write(new TextEncoder().encode(`unknown tool: ${name}\n\n${usage()}`));
    return 1;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(tool, toolArgs),
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => {
    try {
      child.kill(signal);
    } catch {
      // the child already exited
    }
  };
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => {
    const handler = forward(signal);
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  // Stopped with its launcher: killing `npx` (or `deno task`) must not leave the tool running.
  const stopWatching = watchLauncher(() => {
    forward("SIGTERM")();
    const hard = setTimeout(forward("SIGKILL"), 5_000);
    Deno.unrefTimer(hard);
  });
  const status = await child.status;
  stopWatching();
  for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  if (status.signal !== null) return 128 + signalNumber(status.signal);
  return status.code;
}

function signalNumber(signal: Deno.Signal): number {
  const numbers: Partial<Record<Deno.Signal, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGTERM: 15,
    SIGPIPE: 13,
  };
  return numbers[signal] ?? 1;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
