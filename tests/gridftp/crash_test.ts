/**
 * Exactly-once across crashes: the loader is killed with SIGKILL at 20 random moments while it
 * loads a long generated log into the real archive, rerun each time, and the archive ends up
 * holding the same content as after one clean run — nothing lost, nothing twice.
 */
import { assert, assertEquals, tempDir } from "../harness/mod.ts";
import { denoRunArgs, findTool } from "../../scripts/tools.ts";
import { startArchive } from "../archive_server.ts";
import { dumpArchive } from "./archive_dump.ts";
import { writeGeneratedLog } from "./gen_log.ts";

const LINES = 1500;
const KILLS = 20;

type Archive = Awaited<ReturnType<typeof startArchive>>;

function loaderCommand(archive: Archive, log: string, state: string): Deno.Command {
  const args = [
    "-f",
    log,
    "-p",
    state,
    "-U",
    `${archive.url}/esmond`,
    "-u",
    "t",
    "-k",
    archive.token,
    "-P",
  ];
  return new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(findTool("esmond-ps-load-gridftp")!, [...args, "--batch-size", "10"]),
    stdout: "null",
    stderr: "piped",
  });
}

function root(archive: Archive): string {
  return archive.archiveUrl;
}

Deno.test("kill -9 at 20 random points, rerun each time: same archive as one clean run", async () => {
  await using dir = await tempDir();
  const log = dir.join("gridftp.log");
  await writeGeneratedLog(log, LINES);

  await using clean = await startArchive({ tokenUser: "t" });
  const began = performance.now();
  const cleanRun = await loaderCommand(clean, log, dir.join("clean.state")).output();
  const cleanMs = performance.now() - began;
  assertEquals(cleanRun.code, 0, new TextDecoder().decode(cleanRun.stderr));
  const want = await dumpArchive(root(clean));
  assert(want.length > 10);
  // A run with nothing left to do measures the fixed start-up cost.
  const idleBegan = performance.now();
  await loaderCommand(clean, log, dir.join("clean.state")).output();
  const startupMs = performance.now() - idleBegan;
  const workMs = Math.max(cleanMs - startupMs, 100);

  await using crashed = await startArchive({ tokenUser: "t" });
  const state = dir.join("crash.state");
  let killed = 0;
  for (let i = 0; i < KILLS; i++) {
    const child = loaderCommand(crashed, log, state).spawn();
    // Each rerun resumes, so spread the kills over the work still to do: on average one
    // twentieth of it per run, some kills before the first batch, most in the middle of one.
    const delay = startupMs * 0.8 + Math.random() * (startupMs * 0.2 + (2 * workMs) / KILLS);
    await new Promise((r) => setTimeout(r, delay));
    try {
      child.kill("SIGKILL");
      killed++;
    } catch {
      // finished before the kill
    }
    await child.output();
  }
  assert(
    killed >= 5,
    `only ${killed} kills landed (start-up ${startupMs} ms, work ${workMs} ms)`,
  );
  const last = await loaderCommand(crashed, log, state).output();
  assertEquals(last.code, 0, new TextDecoder().decode(last.stderr));
  assertEquals(await dumpArchive(root(crashed)), want);
});
