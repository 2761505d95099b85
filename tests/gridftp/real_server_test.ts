/**
 * A fresh log from a real `globus-gridftp-server` (Debian `globus-gridftp-server-progs`), made
 * by real `globus-url-copy` transfers over loopback, loaded into the real archive. The facts
 * checked are the transfers this test made (direction, sizes, streams), not the loader's output.
 */
import {
  assert,
  assertEquals,
  findProgram,
  freePort,
  requirePrograms,
  runTool,
  startChildServer,
  tempDir,
} from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { dumpArchive } from "./archive_dump.ts";

const NEEDS = ["globus-gridftp-server", "globus-url-copy"];
const SERVER = findProgram("globus-gridftp-server") ?? "globus-gridftp-server";
const COPY = findProgram("globus-url-copy") ?? "globus-url-copy";

async function copy(args: string[]): Promise<void> {
  const out = await new Deno.Command(COPY, { args, stdout: "piped", stderr: "piped" }).output();
  if (out.code !== 0) {
    throw new Error(`globus-url-copy ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

Deno.test(requirePrograms(NEEDS, {
  name: "a log written by a real GridFTP server just now loads as the transfers made",
  async fn() {
    await using dir = await tempDir("gridftp-real-");
    // The server drops to an unprivileged user for anonymous sessions.
    await Deno.chmod(dir.path, 0o777);
    const data = dir.join("data");
    await Deno.mkdir(data, { mode: 0o777 });
    await Deno.chmod(data, 0o777);
    await Deno.writeFile(dir.join("data", "a.dat"), crypto.getRandomValues(new Uint8Array(65536)));
    await Deno.writeFile(
      dir.join("data", "name with space.dat"),
      crypto.getRandomValues(new Uint8Array(123457 % 65536)),
    );
    const transferLog = dir.join("transfer.log");
    const port = freePort();
    await using _server = await startChildServer({
      name: "globus-gridftp-server",
      command: SERVER,
      args: [
        "-p",
        String(port),
        "-aa",
        "-anonymous-user",
        "nobody",
        "-control-interface",
        "127.0.0.1",
        "-data-interface",
        "127.0.0.1",
        "-Z",
        transferLog,
        "-log-module",
        "stdio:buffer=0",
        "-rp",
        dir.path,
        "-home-dir",
        data,
        "-d",
        "error",
        "-l",
        dir.join("server.log"),
      ],
      env: { GLOBUS_HOSTNAME: "localhost" },
      ready: async () => {
        try {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port });
          conn.close();
          return true;
        } catch {
          return false;
        }
      },
    });
    const url = (path: string) => `ftp://127.0.0.1:${port}${path.replaceAll(" ", "%20")}`;
    await copy([url(dir.join("data", "a.dat")), `file://${dir.join("r1")}`]);
    await copy(["-p", "4", url(dir.join("data", "a.dat")), `file://${dir.join("r2")}`]);
    await copy([`file://${dir.join("r1")}`, url(dir.join("data", "up.dat"))]);
    await copy(["-list", url(`${data}/`)]);
    await copy([url(dir.join("data", "name with space.dat")), `file://${dir.join("r3")}`]);

    await using archive = await startArchive({ tokenUser: "t" });
    const args = [
      "-f",
      transferLog,
      "-p",
      dir.join("state"),
      "-U",
      `${archive.url}/esmond`,
      "-u",
      "t",
      "-k",
      archive.token,
      "-F",
    ];
    let run = await runTool("esmond-ps-load-gridftp", args);
    assertEquals(run.code, 0, run.stderr);
    const dump = await dumpArchive(archive.archiveUrl);
    const rows = dump.map((m) => [
      m.fields["input-source"],
      m.fields["input-destination"],
      m.fields["gridftp-bytes-transferred"],
      m.fields["bw-parallel-streams"],
      m.fields["gridftp-file"]?.split("/").pop(),
      m.data["streams-packet-retransmits"]?.[0]?.[1],
    ]).sort((a, b) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
    assertEquals(rows, [
      ["127.0.0.1", "localhost", "65536", "1", "up.dat", []],
      ["localhost", "127.0.0.1", "57921", "1", "name with space.dat", []],
      ["localhost", "127.0.0.1", "65536", "1", "a.dat", []],
      ["localhost", "127.0.0.1", "65536", "4", "a.dat", [0, 0, 0, 0]],
    ]);
    for (const m of dump) {
      assertEquals([m.fields.source, m.fields.destination], ["127.0.0.1", "127.0.0.1"]);
      const throughput = m.data.throughput?.[0]?.[1] as number;
      assert(throughput > 0, `throughput ${throughput}`);
    }
    assert(/TYPE MLSD is not RETR\/STOR/.test(run.stderr), run.stderr);

    // One more transfer: the next run stores exactly that one.
    await copy([url(dir.join("data", "a.dat")), `file://${dir.join("r4")}`]);
    run = await runTool("esmond-ps-load-gridftp", args);
    assertEquals(run.code, 0, run.stderr);
    assert(/stored=1 /.test(run.stderr), run.stderr);
  },
}));
