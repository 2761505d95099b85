/**
 * Runs a tool of the project as a subprocess, the way users run it (`deno run` with the tool's
 * own permissions), and captures what it printed.
 *
 * @module
 */
import { denoRunArgs, findTool } from "../../scripts/tools.ts";

/** What a tool run produced. */
export interface ToolResult {
  /** Exit code (128 + signal number when killed by a signal). */
  readonly code: number;
  /** Standard output as text. */
  readonly stdout: string;
  /** Standard error as text. */
  readonly stderr: string;
  /** Standard output as bytes, for byte-for-byte comparisons. */
  readonly stdoutBytes: Uint8Array;
}

/** Options for {@linkcode runTool}. */
export interface RunToolOptions {
  /** Bytes or text written to the tool's stdin (stdin is closed afterwards). */
  readonly stdin?: string | Uint8Array;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
  /** Working directory. */
  readonly cwd?: string;
  /** Kill the tool after this many milliseconds (default 60 000). */
  readonly timeoutMs?: number;
}

const decoder = new TextDecoder();

/**
 * Runs the tool named `name` with `args` and waits for it to exit.
 *
 * @example
 * ```ts
 * import { runTool } from "./run_tool.ts";
 * const result = await runTool("esmond-ps-get", ["--help"]);
 * console.log(result.code, result.stdout);
 * ```
 */
export async function runTool(
  name: string,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<ToolResult> {
  const tool = findTool(name);
  if (tool === undefined) throw new Error(`no tool named ${name}`);
  return await runDeno(denoRunArgs(tool, args), options);
}

/**
 * Runs `deno` itself with the given arguments (for tasks and scripts) and captures the output.
 *
 * @example
 * ```ts
 * import { runDeno } from "./run_tool.ts";
 * const result = await runDeno(["task", "--quiet", "tool", "esmond-ps-get", "--help"]);
 * ```
 */
export async function runDeno(
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<ToolResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...args],
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, options.timeoutMs ?? 60_000);
  try {
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      const bytes = typeof options.stdin === "string"
        ? new TextEncoder().encode(options.stdin)
        : options.stdin;
      await writer.write(bytes).catch(() => {});
      await writer.close().catch(() => {});
    }
    const output = await child.output();
    const code = output.signal !== null
      ? 128 + (output.signal === "SIGKILL" ? 9 : 15)
      : output.code;
    return {
      code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      stdoutBytes: output.stdout,
    };
  } finally {
    clearTimeout(timer);
  }
}
