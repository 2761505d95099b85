import { assert, assertEquals, tempDir } from "../harness/mod.ts";
import { getLogger } from "../../lib/log/mod.ts";
import {
  formatLogLine,
  forwardLibraryLogs,
  openProgramLog,
  programLogPath,
} from "../../cli/program_log/mod.ts";
import { parseProgramLog } from "./lines.ts";

Deno.test("program log: line shape is the original's, ts in local time, id in UNIX seconds", () => {
  const when = new Date(2026, 0, 2, 3, 4, 5, 67);
  assertEquals(
    formatLogLine("main.start", "reading input", when),
    `ts=2026-01-02 03:04:05,067 event=main.start id=${
      Math.floor(when.getTime() / 1000)
    } reading input\n`,
  );
});

Deno.test("program log: --log_dir appends to <dir>/<tool>.log across runs", async () => {
  await using dir = await tempDir();
  for (const message of ["first", "second"]) {
    using log = openProgramLog({ tool: "esmond-ps-pipe", logDir: `${dir.path}/` });
    log.log("main.start", message);
  }
  assertEquals(programLogPath(`${dir.path}//`, "esmond-ps-pipe"), `${dir.path}/esmond-ps-pipe.log`);
  const lines = parseProgramLog(await Deno.readTextFile(`${dir.path}/esmond-ps-pipe.log`));
  assertEquals(lines.map((l) => [l.event, l.message]), [
    ["main.start", "first"],
    ["main.start", "second"],
  ]);
});

Deno.test("program log: problemsOnly keeps warning, error and fatal events", () => {
  const written: string[] = [];
  using log = openProgramLog({ tool: "t", write: (t) => written.push(t), problemsOnly: true });
  log.log("main.start", "reading input");
  log.log("write.warning", "refused");
  log.log("process_iperf3.error", "MetadataPost failed");
  log.log("main.fatal", "exiting");
  log.log("process_iperf3.end", "finished");
  assertEquals(parseProgramLog(written.join("")).map((l) => l.event), [
    "write.warning",
    "process_iperf3.error",
    "main.fatal",
  ]);
});

Deno.test("program log: library records are forwarded as <module>.<level> until disposed", async () => {
  const written: string[] = [];
  using log = openProgramLog({ tool: "t", write: (t) => written.push(t) });
  const http = getLogger("esmond", "http");
  {
    await using _forward = await forwardLibraryLogs(log);
    http.warn("retrying {method} {url} in {delay} ms", {
      method: "POST",
      url: "http://127.0.0.1:1/",
      delay: 250,
    });
    http.debug("not at the default level");
  }
  http.warn("after dispose");
  const lines = parseProgramLog(written.join(""));
  assertEquals(lines.map((l) => [l.event, l.message]), [
    ["http.warning", "retrying POST http://127.0.0.1:1/ in 250 ms"],
  ]);
  assert(Math.abs(lines[0].id - Date.now() / 1000) < 60);
});
