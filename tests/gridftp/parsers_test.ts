/** Unit tests of the netlogger tokeniser, the line reader, timestamps and the FTP code table. */
import { assertEquals } from "../harness/mod.ts";
import { parseNetloggerLine } from "../../cli/gridftp/netlogger.ts";
import { readLines } from "../../cli/gridftp/line_reader.ts";
import { parseEpochTimestamp, parseNetloggerDate } from "../../cli/gridftp/timestamps.ts";
import { failureText } from "../../cli/gridftp/ftp_codes.ts";
import { tempDir } from "../harness/mod.ts";

Deno.test("netlogger: FILE keeps spaces (as written) and '=' whole", () => {
  const { fields, warnings } = parseNetloggerLine(
    "HOST=h FILE=/d/a  b c=d.dat BUFFER=1 VOLUME=/v w TYPE=RETR CODE=226 TASKID=none",
  );
  assertEquals(fields.file, "/d/a  b c=d.dat");
  assertEquals(fields.volume, "/v w");
  assertEquals(fields.buffer, "1");
  assertEquals(fields.taskid, "none");
  assertEquals(warnings, []);
});

Deno.test("netlogger: keys normalised, NL.EVNT → nl_evnt, unknown keys kept", () => {
  const { fields } = parseNetloggerLine("NL.EVNT=FTP_INFO NEWKEY=7 retrans=1,0");
  assertEquals(fields, { nl_evnt: "FTP_INFO", newkey: "7", retrans: "1,0" });
});

Deno.test("netlogger: stray tokens are warnings, never fatal", () => {
  const { fields, warnings } = parseNetloggerLine("TYPE=RETR garbage =x CODE=226");
  assertEquals(fields, { type: "RETR", code: "226" });
  assertEquals(warnings.length, 2);
});

Deno.test("timestamps: netlogger dates are UTC with a left-aligned fraction; bad ones rejected", () => {
  assertEquals(parseNetloggerDate("19700101000001.5"), 1_500_000);
  assertEquals(parseNetloggerDate("20261324171854.344800"), undefined);
  assertEquals(parseNetloggerDate("20261124171854"), undefined);
  assertEquals(parseEpochTimestamp(1795541199), 1795541199_000000);
  assertEquals(parseEpochTimestamp("1795541199.0000005"), 1795541199_000001);
  assertEquals(parseEpochTimestamp("abc"), undefined);
});

Deno.test("ftp codes: known, unknown and missing", () => {
  assertEquals(failureText(451), "451 Requested action aborted: local error in processing.");
  assertEquals(failureText(999), "999 None");
  assertEquals(failureText(undefined), "None None");
});

Deno.test("line reader: byte offsets, resume from an offset, CRLF, unterminated tail", async () => {
  await using dir = await tempDir();
  const path = dir.join("log");
  await Deno.writeTextFile(path, "é1\r\n\nthree\nfour");
  const collect = async (offset: number, chunkSize: number) => {
    using file = await Deno.open(path);
    const out = [];
    for await (const line of readLines(file, { offset, chunkSize })) {
      out.push([line.text, line.start, line.end, line.terminated]);
    }
    return out;
  };
  const all = [["é1", 0, 5, true], ["", 5, 6, true], ["three", 6, 12, true], [
    "four",
    12,
    16,
    false,
  ]];
  assertEquals(await collect(0, 3), all);
  assertEquals(await collect(0, 1 << 16), all);
  assertEquals(await collect(6, 2), all.slice(2));
});
