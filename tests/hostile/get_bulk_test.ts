// Hostile output folders and archive metadata against esmond-ps-get-bulk: a symlink planted at
// NAME.part or NAME is never followed, and ESC sequences from metadata reach neither file names
// nor the terminal.
import { assert, assertEquals, assertMatch, runTool, tempDir } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { expectStatus, send } from "../archive/http_helpers.ts";
import { fileNamePart } from "../../lib/log/mod.ts";

const SOURCE = "10.0.0.1\x1b]0;pwned\x07";
const DESTINATION = "10.0.0.2\x1b[2J";

Deno.test("get-bulk against a hostile folder and hostile metadata", async (t) => {
  await using archive = await startArchive();
  const created = await send(archive, "", {
    "subject-type": "point-to-point",
    "source": SOURCE,
    "destination": DESTINATION,
    "measurement-agent": "10.0.0.1",
    "tool-name": "bwctl/iperf3\x1b[31m",
    "input-source": "a.example\x1b[1A",
    "input-destination": "b.example",
    "event-types": [{ "event-type": "throughput" }],
  });
  const key = JSON.parse(await expectStatus(created, 201))["metadata-key"];
  const now = Math.floor(Date.now() / 1000);
  const put = await send(archive, `${key}/`, {
    data: [{ ts: now - 60, val: [{ "event-type": "throughput", val: 1000 }] }],
  }, { method: "PUT" });
  await expectStatus(put, 201);
  const start = new Date((now - 3600) * 1000);
  const end = new Date((now + 3600) * 1000);
  const days = `${start.toISOString().slice(0, 10)}_${end.toISOString().slice(0, 10)}`;
  const name = `${fileNamePart(SOURCE)}_${fileNamePart(DESTINATION)}_throughput_${days}.csv`;
  const args = (dir: string) => [
    "-u",
    archive.url,
    "-S",
    start.toISOString(),
    "-E",
    end.toISOString(),
    "--ip",
    "-o",
    "csv",
    "-D",
    dir,
  ];

  await t.step("a symlink at NAME.part is not followed: refused, target untouched", async () => {
    await using out = await tempDir();
    await using elsewhere = await tempDir();
    const victim = `${elsewhere.path}/victim`;
    await Deno.writeTextFile(victim, "precious\n");
    await Deno.symlink(victim, `${out.path}/${name}.part`);
    const r = await runTool("esmond-ps-get-bulk", args(out.path));
    assert(r.code !== 0, r.stdout);
    assertEquals(await Deno.readTextFile(victim), "precious\n");
    assertMatch(r.stderr + r.stdout, /symbolic link: refused/);
    assert((await Deno.lstat(`${out.path}/${name}.part`)).isSymlink);
  });

  await t.step("a symlink at the final NAME is refused too", async () => {
    await using out = await tempDir();
    await using elsewhere = await tempDir();
    const victim = `${elsewhere.path}/victim`;
    await Deno.writeTextFile(victim, "precious\n");
    await Deno.symlink(victim, `${out.path}/${name}`);
    const r = await runTool("esmond-ps-get-bulk", args(out.path));
    assert(r.code !== 0, r.stdout);
    assertEquals(await Deno.readTextFile(victim), "precious\n");
    assert((await Deno.lstat(`${out.path}/${name}`)).isSymlink);
    const resumed = await runTool("esmond-ps-get-bulk", [...args(out.path), "--resume"]);
    assert(!/already complete/.test(resumed.stdout), "a symlink is not a finished file");
  });

  await t.step(
    "a stale regular NAME.part is replaced; control characters are escaped",
    async () => {
      await using out = await tempDir();
      await Deno.writeTextFile(`${out.path}/${name}.part`, "half");
      const r = await runTool("esmond-ps-get-bulk", args(out.path));
      assertEquals(r.code, 0, r.stderr);
      const files = [];
      for await (const entry of Deno.readDir(out.path)) files.push(entry.name);
      assertEquals(files, [name]);
      // deno-lint-ignore no-control-regex
      const control = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
      assert(!control.test(name));
      assert(!control.test(r.stdout), JSON.stringify(r.stdout));
      assert(!control.test(r.stderr), JSON.stringify(r.stderr));
      assertMatch(await Deno.readTextFile(`${out.path}/${name}`), /1000/);
    },
  );
});
