/**
 * A real Debian `xrootd` 5.5 as a proxy file cache (provider `C`) and as an HTTP third-party-copy
 * destination (provider `P`) sends real g-stream events to a running collector. Skipped when
 * `xrootd`/`xrdcp`/`openssl` are not installed (required under `CI=true`).
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

/** Sends one HTTP TPC pull request (`COPY` with a `Source` header) and reads the whole reply. */
async function httpCopy(port: number, path: string, source: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(
      `COPY ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nSource: ${source}\r\n` +
        "Connection: close\r\n\r\n",
    ));
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of conn.readable) {
      text += decoder.decode(chunk, { stream: true });
      if (text.includes("success:") || text.includes("failure:")) break;
    }
    return text;
  } finally {
    try {
      conn.close();
    } catch {
      // already closed by the reader
    }
  }
}

function monitor(events: string, udpPort: number): string {
  return `xrootd.monitor all flush 1s fstat 1s lfn ops xfr 1 ident 5m dest fstat info user ${events} 127.0.0.1:${udpPort}`;
}

Deno.test(requirePrograms(["xrootd", "xrdcp", "openssl"], {
  name: "real xrootd 5.5: proxy file cache (C) and HTTP TPC (P) g-stream events become documents",
  async fn() {
    await using dir = await tempDir("collector-gstream-");
    const root = dir.path;
    for (const sub of ["origin/store/data", "origin/store/user", "cache", "adm1", "adm2"]) {
      await Deno.mkdir(`${root}/${sub}`, { recursive: true });
    }
    const size = 3_000_000;
    await Deno.writeFile(`${root}/origin/store/data/in.dat`, new Uint8Array(size).fill(42));
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-keyout",
      `${root}/key.pem`,
      "-out",
      `${root}/cert.pem`,
    ]);
    await Deno.chmod(`${root}/key.pem`, 0o600);
    await Deno.chmod(root, 0o755);
    const udpPort = freePort("udp");
    const metricsPort = freePort();
    const [xrdPort, httpPort, cachePort] = [freePort(), freePort(), freePort()];
    // 5.5 loads external HTTP handlers (the TPC one) only when HTTPS is configured.
    await Deno.writeTextFile(
      `${root}/origin.cfg`,
      [
        "all.export /store",
        `oss.localroot ${root}/origin`,
        `xrd.port ${xrdPort}`,
        `xrd.protocol http:${httpPort} libXrdHttp.so`,
        "http.exthandler xrdtpc libXrdHttpTPC.so",
        `xrd.tls ${root}/cert.pem ${root}/key.pem`,
        `xrd.tlsca certfile ${root}/cert.pem`,
        `all.adminpath ${root}/adm1`,
        `all.pidpath ${root}/adm1`,
        monitor("tpc", udpPort),
        "",
      ].join("\n"),
    );
    await Deno.writeTextFile(
      `${root}/cache.cfg`,
      [
        "all.export /store",
        "ofs.osslib libXrdPss.so",
        "pss.cachelib libXrdPfc.so",
        `pss.origin 127.0.0.1:${xrdPort}`,
        `oss.localroot ${root}/cache`,
        "pfc.ram 1g",
        `xrd.port ${cachePort}`,
        `all.adminpath ${root}/adm2`,
        `all.pidpath ${root}/adm2`,
        monitor("pfc", udpPort),
        "",
      ].join("\n"),
    );
    const output = `${root}/docs.ndjson`;
    const collector = await startFileCollector(udpPort, metricsPort, output);
    const servers: ChildServer[] = [];
    try {
      const [command, prefix] = await serverCommand(root);
      for (const [name, port] of [["origin", httpPort], ["cache", cachePort]] as const) {
        servers.push(
          await startChildServer({
            name: `xrootd ${name}`,
            command,
            args: [...prefix, "-c", `${root}/${name}.cfg`, "-n", name],
            ready: () => tcpOpen(port),
          }),
        );
      }
      // XrdHttp reads the `Source` header case-sensitively; fetch would send it lower-cased.
      const reply = await httpCopy(
        httpPort,
        "/store/user/copy.dat",
        `http://127.0.0.1:${httpPort}/store/data/in.dat`,
      );
      assert(reply.startsWith("HTTP/1.1 201"), reply);
      assert(reply.includes("success"), reply);
      await run("xrdcp", [
        "-f",
        "-s",
        `root://127.0.0.1:${cachePort}//store/data/in.dat`,
        `${root}/got.dat`,
      ]);
      let docs: Record<string, unknown>[] = [];
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const text = await Deno.readTextFile(output).catch(() => "");
        docs = text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
        const types = new Set(docs.map((d) => d.xrd_msg_type));
        if (types.has("gstream_pfc") && types.has("gstream_tpc")) break;
      }
      const tpc = docs.find((d) => d.xrd_msg_type === "gstream_tpc");
      const pfc = docs.find((d) => d.xrd_msg_type === "gstream_pfc");
      assert(tpc !== undefined && pfc !== undefined, JSON.stringify(docs, null, 1));
      assertEquals(tpc.xrd_gstream_provider, "P");
      assertEquals(tpc.xrd_tpc_protocol, "http");
      assertEquals(tpc.xrd_tpc_direction, "pull");
      assertEquals(tpc.xrd_tpc_rc, 0);
      assertEquals(tpc.xrd_tpc_success, true);
      assertEquals(tpc.xrd_tpc_size, size);
      assertEquals(tpc.xrd_tpc_src, `http://127.0.0.1:${httpPort}/store/data/in.dat`);
      assert(String(tpc.xrd_tpc_dst).endsWith("/store/user/copy.dat"), String(tpc.xrd_tpc_dst));
      assert(typeof tpc.xrd_tpc_duration === "number" && tpc.xrd_tpc_duration >= 0);
      assertEquals(pfc.xrd_gstream_provider, "C");
      assertEquals(pfc.xrd_pfc_event, "file_close");
      assertEquals(pfc.xrd_pfc_lfn, "/store/data/in.dat");
      assertEquals(pfc.xrd_pfc_size, size);
      assertEquals(pfc.xrd_pfc_n_blks, pfc.xrd_pfc_n_blks_done);
      assertEquals(pfc.xrd_pfc_remotes, [`127.0.0.1:${xrdPort}`]);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      assert(metrics.includes('xrootd_collector_packets_by_code_total{code="g"} 2'), metrics);
      assert(metrics.includes("xrootd_collector_decode_errors_total 0"), metrics);
      assert(metrics.includes("xrootd_collector_gstream_unknown_total 0"), metrics);
    } finally {
      for (const server of servers) await server.stop("SIGTERM");
      const status = await collector.stop("SIGTERM");
      assertEquals(status.code, 0, collector.stderr());
    }
  },
}));
