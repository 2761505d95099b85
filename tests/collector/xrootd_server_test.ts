/**
 * A real Debian `xrootd` 5.x server sends its monitoring to a running collector (stdout/file
 * sink) while real `xrdcp` clients download and upload; the documents must describe exactly
 * those transfers. Ignored when `xrootd`/`xrdcp` are not installed (required under `CI=true`).
 */
import {
  assert,
  assertEquals,
  type ChildServer,
  freePort,
  requirePrograms,
  startChildServer,
  tempDir,
} from "../harness/mod.ts";
import { run, serverCommand, startFileCollector, tcpOpen } from "./xrootd_helpers.ts";

Deno.test(requirePrograms(["xrootd", "xrdcp"], {
  name: "real xrootd server → collector: downloads and uploads become joined documents",
  async fn() {
    await using dir = await tempDir("collector-xrootd-");
    const root = dir.path;
    await Deno.mkdir(`${root}/data/store/data`, { recursive: true });
    await Deno.mkdir(`${root}/data/store/user`, { recursive: true });
    await Deno.mkdir(`${root}/admin`);
    const download = crypto.getRandomValues(new Uint8Array(65536));
    const downloadBytes = 40 * download.length;
    await using file = await Deno.open(`${root}/data/store/data/in.dat`, {
      create: true,
      write: true,
    });
    for (let i = 0; i < 40; i++) await file.write(download);
    const uploadBytes = 300_001;
    await Deno.writeFile(`${root}/up.dat`, new Uint8Array(uploadBytes).fill(7));
    await Deno.chmod(root, 0o755);

    const udpPort = freePort("udp");
    const metricsPort = freePort();
    const xrdPort = freePort();
    const output = `${root}/docs.ndjson`;
    await Deno.writeTextFile(
      `${root}/xrootd.cfg`,
      [
        "all.export /store",
        `oss.localroot ${root}/data`,
        `xrd.port ${xrdPort}`,
        `all.adminpath ${root}/admin`,
        `all.pidpath ${root}/admin`,
        "xrootd.monitor all auth flush 1s fstat 1s lfn ops ssq xfr 2 ident 5m " +
        `dest fstat info user 127.0.0.1:${udpPort}`,
        "",
      ].join("\n"),
    );
    const collector = await startFileCollector(udpPort, metricsPort, output);
    let server: ChildServer | undefined;
    try {
      const [command, prefix] = await serverCommand(root);
      server = await startChildServer({
        name: "xrootd",
        command,
        args: [...prefix, "-c", `${root}/xrootd.cfg`, "-n", "collectortest"],
        ready: () => tcpOpen(xrdPort),
      });
      const url = `root://127.0.0.1:${xrdPort}/`;
      await run("xrdcp", ["-f", "-s", `${url}/store/data/in.dat`, `${root}/got.dat`]);
      await run("xrdcp", ["-f", "-s", `${root}/up.dat`, `${url}/store/user/up.dat`]);
      // Wait for the f-stream flush carrying both closes.
      let docs: Record<string, unknown>[] = [];
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const text = await Deno.readTextFile(output).catch(() => "");
        docs = text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
        if (docs.filter((d) => d.xrd_msg_type === "fstream_close").length >= 2) break;
      }
      const closes = docs.filter((d) => d.xrd_msg_type === "fstream_close");
      const down = closes.find((d) => d.xrd_lfn === "/store/data/in.dat");
      const up = closes.find((d) => d.xrd_lfn === "/store/user/up.dat");
      assert(down !== undefined && up !== undefined, JSON.stringify(docs, null, 1));
      for (const close of [down, up]) {
        assertEquals(close.xrd_hasOpenInfo, true);
        assertEquals(close.xrd_hasUserInfo, true);
        assertEquals(close.xrd_hasDerivedStats, true);
        assertEquals(close.xrd_forceClose, false);
        assertEquals(close.xrd_auth_xeqname, "xrdcp");
        assertEquals(close.xrd_prot, "xroot");
        assertEquals(close.xrd_hasSSQ, true);
        assert(typeof close.xrd_server === "string" && close.xrd_server !== "127.0.0.1");
      }
      assertEquals(down.xrd_XFR_read, downloadBytes);
      assertEquals(down.xrd_fileOpenSize, downloadBytes);
      assertEquals(down.xrd_derived_is_read, true);
      // pgwrite counts 4 bytes of checksum per 4 KiB page on top of the data (spec 8.1).
      const written = up.xrd_XFR_write as number;
      assert(written >= uploadBytes && written <= uploadBytes + 4 * Math.ceil(uploadBytes / 4096));
      assertEquals(up.xrd_openedRW, true);
      assertEquals(docs.filter((d) => d.xrd_msg_type === "user_connection").length >= 2, true);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      assert(metrics.includes("xrootd_collector_decode_errors_total 0"), metrics);
      assert(/sequence_gaps_total\{server="127\.0\.0\.1:\d+-\d+"\} 0/.test(metrics), metrics);
    } finally {
      await server?.stop("SIGTERM");
      const status = await collector.stop("SIGTERM");
      assertEquals(status.code, 0, collector.stderr());
    }
  },
}));
