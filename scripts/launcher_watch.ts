/**
 * Notices when the launcher of `deno task tool` is gone. `npx -y deno@… task tool NAME` starts
 * `npm exec` → `sh -c deno …` → `deno task` → this wrapper → the tool; killing the `npx` process
 * (even with SIGKILL, which cannot be forwarded) orphans the rest, and `deno task` keeps them
 * running. The wrapper therefore watches its launcher chain: its ancestors, walking up while
 * they are `deno`, `node`, `npm…`, `npx` or `sh` processes (a user's interactive shell, or
 * `nohup`'s, is not part of it), and stops the tool when one of them has exited. It asks `ps`
 * (Deno lets only `--allow-all` read `/proc/PID/stat`); Linux only, and without `ps` it watches
 * nothing.
 *
 * @module
 */

/** What `ps` says of one process. */
interface ProcInfo {
  readonly ppid: number;
  readonly start: string;
  readonly comm: string;
}

const decoder = new TextDecoder();

/** `ps` of the given pids (every process when none), by pid; empty when `ps` is missing. */
function ps(pids?: readonly number[]): Map<number, ProcInfo> {
  const select = pids === undefined ? ["-e"] : ["-p", pids.join(",")];
  const found = new Map<number, ProcInfo>();
  let text = "";
  try {
    const out = new Deno.Command("ps", {
      args: [...select, "-o", "pid=,ppid=,lstart=,comm="],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    text = decoder.decode(out.stdout);
  } catch {
    return found;
  }
  for (const line of text.split("\n")) {
    // pid ppid Www Mmm dd hh:mm:ss yyyy comm
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)\s+(.*)$/.exec(line);
    if (m) found.set(Number(m[1]), { ppid: Number(m[2]), start: m[3], comm: m[4].trim() });
  }
  return found;
}

/** Process names that make up a launcher chain. */
const LAUNCHER = /^(deno|node|npx|npm.*|sh)$/;

/**
 * The launcher chain above this process: pid and start time of each ancestor that is part of
 * it, nearest first.
 *
 * @example
 * ```ts
 * import { launcherChain } from "./launcher_watch.ts";
 * const chain = launcherChain();
 * console.log(chain.map((p) => p.pid));
 * ```
 */
export function launcherChain(): { pid: number; start: string }[] {
  const chain: { pid: number; start: string }[] = [];
  if (Deno.build.os !== "linux") return chain;
  const all = ps();
  let pid = Deno.ppid;
  while (pid > 1 && chain.length < 16) {
    const info = all.get(pid);
    if (info === undefined || !LAUNCHER.test(info.comm)) break;
    chain.push({ pid, start: info.start });
    pid = info.ppid;
  }
  return chain;
}

/**
 * Calls `onGone` once when a process of the launcher chain has exited (checked every
 * `intervalMs`, default 1000, with one `ps`). The timer does not keep the process alive. Returns a function that
 * stops watching.
 *
 * @example
 * ```ts
 * import { watchLauncher } from "./launcher_watch.ts";
 * const stop = watchLauncher(() => console.error("launcher gone"));
 * stop();
 * ```
 */
export function watchLauncher(onGone: () => void, intervalMs = 1000): () => void {
  const chain = launcherChain();
  if (chain.length === 0) return () => {};
  const timer = setInterval(() => {
    const now = ps(chain.map((p) => p.pid));
    if (chain.every(({ pid, start }) => now.get(pid)?.start === start)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}
