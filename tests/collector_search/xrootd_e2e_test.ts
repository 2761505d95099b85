// End to end: a real xrootd server (Debian xrootd-server) on loopback reports real xrdcp uploads
// and downloads to the collector, which indexes them into a real Elasticsearch 7.10.2 node. The
// close documents must carry the LFNs, sizes, user, host and derived rates of those transfers.
import {
  assert,
  assertEquals,
  freePort,
  requirePrograms,
  SEARCH_ENGINE_PROGRAMS,
  tempDir,
} from "../harness/mod.ts";
import { startCollector } from "./collector_proc.ts";
import { readAll, startEngine } from "./engine.ts";

const SIZE = 3_000_000;

async function run(command: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${command} ${args.join(" ")}: ${text}`);
}

async function portOpen(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

Deno.test(requirePrograms([...SEARCH_ENGINE_PROGRAMS, "xrootd", "xrdcp"], {
  name: "real xrootd + xrdcp → collector → real elasticsearch: close documents of the transfers",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using engine = await startEngine("elasticsearch");
    await using dir = await tempDir("xrd-e2e-");
    const collector = await startCollector([
      "-s",
      engine.url,
      "-t",
      "1",
      "--index",
      "e2e-%Y",
      "--replicas",
      "0",
      "--spool-dir",
      dir.join("spool"),
    ]);
    // xrootd refuses to run as root: it runs as the package's `xrootd` user (or nobody).
    for (const sub of ["data/store/e2e", "admin", "run"]) {
      await Deno.mkdir(dir.join(sub), { recursive: true });
    }
    const xrdPort = freePort();
    await Deno.writeTextFile(
      dir.join("xrootd.cfg"),
      [
        "all.export /store",
        `oss.localroot ${dir.join("data")}`,
        `xrd.port ${xrdPort}`,
        `all.adminpath ${dir.join("admin")}`,
        `all.pidpath ${dir.join("run")}`,
        `xrootd.monitor all auth flush 2s fstat 1s lfn ops xfr 1 ident 5m dest fstat info user 127.0.0.1:${collector.port}`,
      ].join("\n") + "\n",
    );
    await run("chmod", ["-R", "a+rwX", dir.path]);
    const user = (await new Deno.Command("id", { args: ["xrootd"] }).output()).success
      ? "xrootd"
      : "nobody";
    const server = new Deno.Command("runuser", {
      args: [
        "-u",
        user,
        "--",
        "xrootd",
        "-c",
        dir.join("xrootd.cfg"),
        "-l",
        dir.join("xrootd.log"),
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const deadline = Date.now() + 20_000;
      while (!(await portOpen(xrdPort))) {
        assert(Date.now() < deadline, "xrootd did not start listening");
        await new Promise((r) => setTimeout(r, 200));
      }
      const source = dir.join("source.dat");
      await Deno.writeFile(source, new Uint8Array(SIZE).map((_, i) => (i * 7) & 0xff));
      // Plain read/write (no pgread/pgwrite) so the byte counts are exact; rate-limited so each
      // transfer lasts a few seconds and the derived rates are meaningful.
      const env = { XRD_CPUSEPGWRTRD: "0" };
      const url = `root://127.0.0.1:${xrdPort}//store/e2e/up.dat`;
      await run("xrdcp", ["--nopbar", "--xrate", "1m", source, url], env);
      await run("xrdcp", ["--nopbar", "--xrate", "1m", "-f", url, dir.join("down.dat")], env);
      assertEquals((await Deno.stat(dir.join("down.dat"))).size, SIZE);
      // Two fstat intervals for the last close to be sent.
      await new Promise((r) => setTimeout(r, 3500));
    } finally {
      server.kill("SIGTERM");
      await server.status;
      await server.stderr.cancel();
    }
    assertEquals(await collector.stop(), 0, collector.stderr());
    const docs = [...(await readAll(engine.url, "e2e-*")).values()];
    const closes = docs.filter((d) => d.xrd_msg_type === "fstream_close");
    const write = closes.find((d) => d.xrd_derived_is_write === true);
    const read = closes.find((d) => d.xrd_derived_is_read === true);
    assert(write && read, `closes: ${JSON.stringify(closes)}\n${collector.stderr()}`);
    for (const close of [write, read]) {
      assertEquals(close.xrd_lfn, "/store/e2e/up.dat");
      assertEquals(close.xrd_hasOpenInfo, true);
      assertEquals(close.xrd_hasUserInfo, true);
      assertEquals(close.xrd_user, "root");
      assertEquals(close.xrd_auth_xeqname, "xrdcp");
      assert(String(close.xrd_host).includes("127.0.0.1"), String(close.xrd_host));
      assertEquals(close.xrd_hasDerivedStats, true);
      assert((close.xrd_derived_duration as number) >= 1, String(close.xrd_derived_duration));
    }
    assertEquals(write.xrd_XFR_write, SIZE);
    assertEquals(write.xrd_openedRW, true);
    assertEquals(write.xrd_derived_write_rate, SIZE / (write.xrd_derived_duration as number));
    assertEquals(read.xrd_XFR_read, SIZE);
    assertEquals(read.xrd_fileOpenSize, SIZE);
    assertEquals(read.xrd_derived_read_rate, SIZE / (read.xrd_derived_duration as number));
  },
}));
