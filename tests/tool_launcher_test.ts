// Killing the process that launched `deno task tool` (npx, a shell, deno task itself) stops the
// tool: the wrapper watches its launcher chain (scripts/launcher_watch.ts).
import { assert, freePort, requirePrograms } from "./harness/mod.ts";
import { REPO_ROOT } from "../scripts/tools.ts";

function udpFree(port: number): boolean {
  try {
    Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

Deno.test(requirePrograms(["sh"], {
  name: "killing the launcher of deno task tool by PID (SIGKILL) stops the tool",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const port = freePort("udp");
    const deno = Deno.execPath();
    // `sh -c` stands for `npx`: a launcher that does not forward signals to its children.
    const launcher = new Deno.Command("sh", {
      args: [
        "-c",
        `"${deno}" task --quiet tool xrootd-fstream-collector -b 127.0.0.1 -p ${port} -q; :`,
      ],
      cwd: REPO_ROOT,
      stdout: "null",
      stderr: "null",
      env: { NO_COLOR: "1" },
    }).spawn();
    try {
      assert(await until(() => !udpFree(port), 60_000), "the collector never bound its port");
      Deno.kill(launcher.pid, "SIGKILL");
      await launcher.status;
      assert(await until(() => udpFree(port), 10_000), "the tool outlived its launcher");
    } finally {
      try {
        launcher.kill("SIGKILL");
      } catch {
        // gone
      }
    }
  },
}));
