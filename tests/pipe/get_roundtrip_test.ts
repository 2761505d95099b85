/**
 * What `esmond-ps-pipe` writes is readable: `esmond-ps-get` prints real values (no `None`) for
 * every event type the pipe stored, per-stream lists included.
 */
import { assert, assertEquals, runTool } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { eventTypeInfo } from "../../lib/esmond/event_types.ts";
import { decidedExpectation, readExpected, readPipeBytes } from "./expectations.ts";

type Row = Record<string, unknown>;

function windowText(epoch: number): string {
  return new Date(epoch * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/** The values esmond-ps-get should print, one per row, in row order. */
function expectedRows(eventType: string, val: unknown): Row[] {
  switch (eventTypeInfo(eventType)?.family) {
    case "numeric":
      return [{ value: typeof val === "number" ? Math.trunc(val) : val }];
    case "subintervals":
      return (val as Row[]).map((item) => ({
        start: item.start,
        duration: item.duration,
        value: item.val,
      }));
    case "number_list":
      return (val as unknown[]).map((value, index) => ({ stream_num: index, value }));
    case "subinterval_list":
      return (val as Row[][]).flatMap((list, index) =>
        list.map((item) => ({
          stream_num: index,
          start: item.start,
          duration: item.duration,
          value: item.val,
        }))
      );
    default:
      throw new Error(`no row rule for ${eventType}`);
  }
}

type Archive = { url: string; token: string };

async function storeCase(archive: Archive, name: string): Promise<void> {
  const stored = await runTool("esmond-ps-pipe", [
    "-U",
    `${archive.url}/esmond`,
    "-u",
    "pipe",
    "-k",
    archive.token,
  ], { stdin: await readPipeBytes(`${name}.bwctl.txt`) });
  assertEquals(stored.code, 0, stored.stderr);
}

/** `esmond-ps-get -o json` rows of one event type around `ts` (and now: time-updated). */
async function getRows(archive: Archive, eventType: string, ts: number): Promise<Row[]> {
  const now = Math.floor(Date.now() / 1000);
  const result = await runTool("esmond-ps-get", [
    "-u",
    archive.url,
    "--src",
    "127.0.0.1",
    "--dest",
    "127.0.0.1",
    "-e",
    eventType,
    "-S",
    windowText(Math.min(ts, now) - 3600),
    "-E",
    windowText(Math.max(ts, now) + 3600),
    "-o",
    "json",
    "--ip",
  ]);
  assertEquals(result.code, 0, `${eventType}: ${result.stderr}`);
  const rows = JSON.parse(result.stdout) as Row[];
  assert(rows.length > 0 && rows[0].msg !== "No data found.", `${eventType}: ${result.stdout}`);
  return rows;
}

for (const name of ["tcp-4streams", "udp-2streams"]) {
  Deno.test(`esmond-ps-get prints real values for every event type of ${name}`, async () => {
    await using archive = await startArchive({ tokenUser: "pipe" });
    await storeCase(archive, name);
    const expected = await decidedExpectation(name);
    for (const { eventType, val } of expected.data) {
      const rows = await getRows(archive, eventType, expected.ts);
      for (const row of rows) assert(row.value !== null, `${eventType} printed None: ${rows}`);
      const want = expectedRows(eventType, val);
      const keys = Object.keys(want[0]);
      const got = rows.map((row) => Object.fromEntries(keys.map((k) => [k, row[k]])));
      if (eventType === "packet-loss-rate") {
        const { numerator, denominator } = val as { numerator: number; denominator: number };
        assertEquals(got, [{ value: numerator / denominator }]);
      } else {
        assertEquals(got, want, eventType);
      }
    }
  });
}

Deno.test("esmond-ps-get prints the failures point esmond-ps-pipe wrote for server-absent", async () => {
  await using archive = await startArchive({ tokenUser: "pipe" });
  await storeCase(archive, "server-absent");
  const expected = await readExpected("server-absent");
  const text = new TextDecoder().decode(await readPipeBytes("server-absent.bwctl.txt"));
  const ts = Number(/bwctl: start_tool: (\d+)/.exec(text)![1]) - 2208988800;
  const rows = await getRows(archive, "failures", ts);
  assertEquals(rows.map((row) => [row.tool, row.msg]), [["bwctl/iperf3", expected.iperf3_error]]);
});
