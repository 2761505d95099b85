// End-to-end: esmond-ps-get-bulk as a subprocess against a real seeded esmond-ps-archive,
// including a SIGKILL in the middle of a large file and a --resume run afterwards.
import { assert, assertEquals, assertMatch, freePort, runTool, tempDir } from "../harness/mod.ts";
import { denoRunArgs, findTool } from "../../scripts/tools.ts";
import { startArchive } from "../archive_server.ts";
import { seedArchive } from "./seed.ts";

const iso = (ts: number) => new Date(ts * 1000).toISOString();
const dayOf = (ts: number) => iso(ts).slice(0, 10);

async function putBig(archiveUrl: string, token: string, key: string, base: number, n: number) {
  for (let start = 0; start < n; start += 20_000) {
    const data = [];
    for (let i = start; i < Math.min(n, start + 20_000); i++) {
      data.push({ ts: base + 3600 + i, val: [{ "event-type": "packet-retransmits", val: i }] });
    }
    const response = await fetch(`${archiveUrl}${key}/`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Token ${token}` },
      body: JSON.stringify({ data }),
    });
    assertEquals(response.status, 201, await response.text());
  }
}

Deno.test("esmond-ps-get-bulk: files, stdout lines, kill + --resume, concurrency", async (t) => {
  await using archive = await startArchive();
  const seeded = await seedArchive(archive.archiveUrl, archive.token, { points: 3 });
  const now = Math.floor(Date.now() / 1000);
  const window = ["-S", iso(seeded.base - 3600), "-E", iso(now + 3600)];
  const days = `${dayOf(seeded.base - 3600)}_${dayOf(now + 3600)}`;
  await using dir = await tempDir();
  const base = ["-u", archive.url, ...window, "--ip", "-D", dir.path];

  await t.step("human format refused, json files named and written as json.dumps", async () => {
    const refused = await runTool("esmond-ps-get-bulk", ["-u", archive.url]);
    assertEquals(refused.code, 1);
    assert(
      refused.stdout.startsWith(
        "please specify either json or csv --output-format for bulk output.\n\n",
      ),
    );
    const r = await runTool("esmond-ps-get-bulk", [...base, "-o", "json", "-s", "198.129.252.142"]);
    assertEquals(r.code, 0, r.stderr);
    const prefix = `${dir.path}/198.129.252.142_198.124.252.154`;
    assertEquals(
      r.stdout,
      `\n <Metadata/${seeded.keys.owamp}: uri:/esmond/perfsonar/archive/${seeded.keys.owamp}/>\n` +
        ["histogram-owdelay", "packet-count-sent", "packet-loss-rate"].map((et) =>
          `\n  * processing ${et}\n   * got 3 results\n  * writing ${prefix}_${et}_${days}.json\n`
        ).join(""),
    );
    const text = await Deno.readTextFile(`${prefix}_packet-count-sent_${days}.json`);
    assert(text.startsWith('[{"source": "198.129.252.142", "destination": "198.124.252.154", '));
    assert(text.endsWith('"value": 600.0}]'), "no trailing newline, float kept");
    assertEquals(JSON.parse(text).length, 3);
    const histogram = JSON.parse(
      await Deno.readTextFile(`${prefix}_histogram-owdelay_${days}.json`),
    );
    assertEquals(histogram[0].bucket, ".0001");
    assertEquals(histogram[0].value, { "41.00": 98, "41.10": 98, "41.20": 3, "50.0": 1 });
  });

  await t.step("event type without data is skipped; raw-JSON types exported", async () => {
    const r = await runTool("esmond-ps-get-bulk", [
      ...base,
      "-o",
      "csv",
      "-s",
      "198.129.254.30",
      "-e",
      "failures",
    ]);
    assertMatch(r.stdout, /\* processing failures\n {3}\* got 1 results\n/);
    const text = await Deno.readTextFile(
      `${dir.path}/198.129.254.30_198.124.252.141_failures_${days}.csv`,
    );
    assert(text.endsWith(',"Unable to connect, refused"\r\n'));
    // Found by its last write (now), but no point falls after the seeded ones.
    const none = await runTool("esmond-ps-get-bulk", [
      ...base,
      "-S",
      iso(seeded.base + 600),
      "-o",
      "csv",
      "-s",
      "198.129.254.30",
      "-e",
      "throughput",
    ]);
    assertMatch(
      none.stdout,
      /\* processing throughput\n {2}\* no data for that event type, skipping output\.\n$/,
    );
    const raw = await runTool("esmond-ps-get-bulk", [...base, "-o", "csv", "-e", "pscheduler-raw"]);
    assertEquals(raw.code, 0);
    assertMatch(raw.stdout, /\* processing pscheduler-raw\n {3}\* got 3 results\n/);
  });

  await t.step(
    "killed mid-file leaves only a .part; --resume completes, skips done files",
    async () => {
      const big = 150_000;
      await putBig(archive.archiveUrl, archive.token, seeded.keys.iperf, seeded.base, big);
      await using out = await tempDir();
      // One point a second: the window reaches two days ahead to hold them all.
      const end = now + 2 * 86400;
      const args = [
        ...[
          "-u",
          archive.url,
          "-S",
          iso(seeded.base - 3600),
          "-E",
          iso(end),
          "--ip",
          "-D",
          out.path,
        ],
        ...["-o", "csv", "-s", "198.129.254.30"],
      ];
      const bigDays = `${dayOf(seeded.base - 3600)}_${dayOf(end)}`;
      const target = `${out.path}/198.129.254.30_198.124.252.141_packet-retransmits_${bigDays}.csv`;
      const child = new Deno.Command(Deno.execPath(), {
        args: denoRunArgs(findTool("esmond-ps-get-bulk")!, [...args, "--concurrency", "1"]),
        stdout: "null",
        stderr: "null",
      }).spawn();
      // Kill as soon as the big file is being written.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const part = await Deno.stat(`${target}.part`).catch(() => null);
        if (part !== null && part.size > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      child.kill("SIGKILL");
      await child.status;
      const names = [...Deno.readDirSync(out.path)].map((entry) => entry.name);
      assert(
        names.some((name) => name.endsWith(`packet-retransmits_${bigDays}.csv.part`)),
        names.join(" "),
      );
      assert(!names.includes(target.split("/").pop()!), "no complete-looking file after the kill");
      const done = names.filter((name) => name.endsWith(".csv"));
      const marker = `${out.path}/${done[0]}`;
      if (done.length > 0) await Deno.writeTextFile(marker, "kept by --resume");

      const resumed = await runTool("esmond-ps-get-bulk", [
        ...args,
        "--resume",
        "--concurrency",
        "3",
      ]);
      assertEquals(resumed.code, 0, resumed.stderr);
      const lines = (await Deno.readTextFile(target)).split("\r\n");
      assertEquals(lines.length, 1 + 3 + big + 1);
      assertEquals(lines.at(-1), "");
      assertEquals(lines.at(-2)!.split(",").at(-1), `${big - 1}.0`);
      if (done.length > 0) {
        assertEquals(await Deno.readTextFile(marker), "kept by --resume");
        assertMatch(resumed.stdout, /already complete, skipping \(--resume\)/);
      }
      const after = [...Deno.readDirSync(out.path)].map((entry) => entry.name);
      assertEquals(after.filter((name) => name.endsWith(".part")), []);
      // stdout keeps the sequential order although three series downloaded at once.
      const processed = [...resumed.stdout.matchAll(/\* processing (\S+)/g)].map((m) => m[1]);
      assertEquals(processed, [
        "failures",
        "packet-retransmits",
        "pscheduler-raw",
        "streams-throughput",
        "streams-throughput-subintervals",
        "throughput",
        "throughput-subintervals",
      ]);
    },
  );
});

Deno.test("esmond-ps-get-bulk: a failing series is reported, the others written, exit 3", async () => {
  await using archive = await startArchive();
  const seeded = await seedArchive(archive.archiveUrl, archive.token, { points: 2 });
  // Fault injection the real archive cannot produce: a proxy refusing one series with 400.
  const port = freePort();
  const proxy = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    if (url.pathname.includes("/packet-retransmits/")) {
      return new Response('{"detail":"injected failure"}', {
        status: 400,
        headers: { "content-type": "application/json" },
      });
    }
    const upstream = await fetch(`${archive.url}${url.pathname}${url.search}`);
    return new Response(await upstream.arrayBuffer(), {
      status: upstream.status,
      headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" },
    });
  });
  try {
    await using out = await tempDir();
    const now = Math.floor(Date.now() / 1000);
    const r = await runTool("esmond-ps-get-bulk", [
      ...["-u", `http://127.0.0.1:${port}`, "-S", iso(seeded.base - 3600), "-E", iso(now + 3600)],
      ...["--ip", "-o", "json", "-D", out.path, "-s", "198.129.254.30"],
    ]);
    assertEquals(r.code, 3, r.stderr);
    assertMatch(
      r.stdout,
      /\* processing packet-retransmits\n {2}\* failed, no file written: .*400/,
    );
    assertMatch(r.stderr, /packet-retransmits .* failed/);
    const names = [...Deno.readDirSync(out.path)].map((entry) => entry.name).sort();
    assertEquals(names.length, 6);
    assert(names.every((name) => name.endsWith(".json") && !name.includes("packet-retransmits")));
  } finally {
    await proxy.shutdown();
  }
});

Deno.test("esmond-ps-get-bulk over the archive's demo data: every family, valid files", async () => {
  await using dir = await tempDir();
  const dbPath = `${dir.path}/demo.sqlite`;
  const seeded = await runTool("esmond-ps-archive", ["seed", "--demo", "--db", dbPath]);
  assertEquals(seeded.code, 0, seeded.stderr);
  await using archive = await startArchive({ dbPath });
  await using out = await tempDir();
  const r = await runTool("esmond-ps-get-bulk", [
    "-u",
    archive.url,
    "--ip",
    "-o",
    "json",
    "-D",
    out.path,
  ]);
  assertEquals(r.code, 0, r.stderr);
  const written = [...r.stdout.matchAll(/\* writing (\S+)\n/g)].map((m) => m[1]);
  const files = [...Deno.readDirSync(out.path)].map((entry) => `${out.path}/${entry.name}`);
  assert(written.length >= 20, `${written.length} files`);
  // Two metadata may share a file name (the later one wins), so compare as sets.
  assertEquals(new Set(files), new Set(written));
  for (const path of files) {
    const rows = JSON.parse(await Deno.readTextFile(path));
    assert(Array.isArray(rows) && rows.length > 0, path);
    const got = new RegExp(
      `   \\* got (\\d+) results\\n  \\* writing ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n`,
    );
    assert(got.test(r.stdout), path);
  }
  // The network-element NTP series has no destination: `None` in the name, as the original.
  assert(files.some((path) => /_None_ntp-offset_/.test(path)), files.join("\n"));
  // esmond-ps-get needs no --dest for ntp-*; the missing destination is an empty csv field.
  const ntp = await runTool("esmond-ps-get", [
    ...["-u", archive.url, "--ip", "-o", "csv", "-s", "198.51.100.10", "-e", "ntp-offset"],
  ]);
  const lines = ntp.stdout.split("\r\n").slice(1, -1);
  assert(lines.length > 0);
  assert(
    lines.every((line) => line.startsWith("198.51.100.10,,ntp-offset,ntpd,base,0,")),
    lines[0],
  );
});
