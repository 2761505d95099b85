/**
 * Starts a child server process, waits until it answers, and stops it.
 *
 * @module
 */

/** Options for {@linkcode startChildServer}. */
export interface ChildServerOptions {
  /** Executable to run. */
  readonly command: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Resolves true once the server answers; polled until it does or the timeout passes. */
  readonly ready: () => Promise<boolean>;
  /** Give up after this many milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
  /** Working directory. */
  readonly cwd?: string;
  /** Name used in error messages. */
  readonly name?: string;
}

/** A running child server; `await using` stops it. */
export interface ChildServer extends AsyncDisposable {
  /** The child process. */
  readonly process: Deno.ChildProcess;
  /** What the child wrote on stderr so far (kept for failure messages). */
  stderr(): string;
  /** What the child wrote on stdout so far. */
  stdout(): string;
  /** Sends `signal` (default SIGTERM) and waits for exit, escalating to SIGKILL after 10 s. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

function collect(stream: ReadableStream<Uint8Array>): () => string {
  const decoder = new TextDecoder();
  let text = "";
  (async () => {
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      if (text.length > 1_000_000) text = text.slice(-500_000);
    }
  })().catch(() => {});
  return () => text;
}

/**
 * Starts `command args…` and resolves once `ready()` reports true.
 * Fails with the child's stderr in the message when it exits or times out first.
 *
 * @example
 * ```ts
 * import { startChildServer } from "./child_server.ts";
 * import { freePort } from "./free_port.ts";
 * import assert from "node:assert/strict";
 * const port = freePort();
 * const get = () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()).catch(() => "");
 * await using _server = await startChildServer({
 *   command: Deno.execPath(),
 *   args: ["eval", `Deno.serve({ hostname: "127.0.0.1", port: ${port} }, () => new Response("up"))`],
 *   ready: async () => (await get()) === "up",
 * });
 * assert.equal(await get(), "up");
 * ```
 */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const name = options.name ?? options.command;
  const process = new Deno.Command(options.command, {
    args: [...options.args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: options.env,
    cwd: options.cwd,
  }).spawn();
  const stderr = collect(process.stderr);
  const stdout = collect(process.stdout);
  let exited: Deno.CommandStatus | null = null;
  const statusPromise = process.status.then((status) => (exited = status));

  const stop = async (signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus> => {
    if (exited !== null) return exited;
    try {
      process.kill(signal);
    } catch {
      // already exited
    }
    const timer = setTimeout(() => {
      try {
        process.kill("SIGKILL");
      } catch {
        // already exited
      }
    }, 10_000);
    const status = await statusPromise;
    clearTimeout(timer);
    return status;
  };
  const server: ChildServer = {
    process,
    stderr,
    stdout,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (true) {
    if (exited !== null) {
      throw new Error(
        `${name} exited with ${JSON.stringify(exited)} before it was ready; stderr:\n${stderr()}`,
      );
    }
    if (await options.ready().catch(() => false)) return server;
    if (Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(
        `${name} was not ready after ${options.timeoutMs ?? 30_000} ms; stderr:\n${stderr()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
