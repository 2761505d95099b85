/**
 * Every line of every shared GridFTP log mapped without I/O, compared with the facts the data
 * README lists in `expected.json` (computed by the data's author from the files, not by us).
 */
import { assert, assertEquals } from "../harness/mod.ts";
import { readLines } from "../../cli/gridftp/line_reader.ts";
import { mapParsedLine, parseLine } from "../../cli/gridftp/map_line.ts";
import { staticHostAddress } from "../../cli/gridftp/address.ts";
import { JSON_EVENT_TYPES } from "../../cli/gridftp/json_transfer.ts";
import { metadataBody, type TransferOutcome } from "../../cli/gridftp/transfer.ts";
import { testDataUrl } from "../harness/test_data.ts";

const DATA = testDataUrl("gridftp");

interface ExpectedRecord {
  line: number;
  action: "post" | "skip";
  why?: string;
  ts?: number;
  metadata?: Record<string, unknown>;
  optional?: Record<string, unknown>;
  put?: { data: { ts: number; val: { "event-type": string; val: unknown }[] }[] };
  post_failure?: { ts: number; val: unknown };
}
interface ExpectedFile {
  lines: number;
  posted: number;
  skipped: number;
  records: ExpectedRecord[];
}

const expected: Record<string, ExpectedFile> = JSON.parse(
  await Deno.readTextFile(new URL("expected.json", DATA)),
);

async function mapFile(
  name: string,
  sensitive = false,
): Promise<TransferOutcome[]> {
  using file = await Deno.open(new URL(name, DATA));
  const json = name.endsWith(".json.log");
  const out: TransferOutcome[] = [];
  for await (const line of readLines(file)) {
    out.push(mapParsedLine(parseLine(line.text, { json }), {
      lookup: staticHostAddress,
      sensitive: sensitive ? { file: true, user: true, volume: true } : {},
    }));
  }
  return out;
}

/** The metadata body we must post: the README's, plus the blob event types in JSON mode. */
function wantedMetadata(file: string, record: ExpectedRecord, sensitive: boolean) {
  const want: Record<string, unknown> = { ...record.metadata };
  if (file.endsWith(".json.log")) {
    want["event-types"] = JSON_EVENT_TYPES.map((name) => ({ "event-type": name, summaries: [] }));
  }
  // A field the log line lacks (null in the README's table) is left out rather than sent as
  // null, which the archive would answer with a 500.
  if (sensitive) {
    for (const [key, value] of Object.entries(record.optional ?? {})) {
      if (value !== null) want[key] = value;
    }
  }
  return want;
}

for (const [file, facts] of Object.entries(expected)) {
  for (const sensitive of [false, true]) {
    Deno.test(`mapping ${file}${sensitive ? " with -F -N -V" : ""} matches expected.json`, async () => {
      const outcomes = await mapFile(file, sensitive);
      assertEquals(outcomes.length, facts.lines);
      assertEquals(outcomes.filter((o) => o.action === "post").length, facts.posted);
      assertEquals(outcomes.filter((o) => o.action === "skip").length, facts.skipped);
      for (const record of facts.records) {
        const got = outcomes[record.line - 1];
        const where = `${file}:${record.line}`;
        assertEquals(got.action, record.action, `${where} action (${record.why ?? ""})`);
        if (got.action !== "post") continue;
        const body = metadataBody(got.metadata);
        assertEquals(body, wantedMetadata(file, record, sensitive), `${where} metadata`);
        // Key order of the POST body is part of the observed behaviour.
        assertEquals(
          Object.keys(body),
          Object.keys(wantedMetadata(file, record, sensitive)),
          `${where} key order`,
        );
        assertEquals(got.ts, record.ts, `${where} ts`);
        const values = got.values.map((v) => ({ "event-type": v.eventType, val: v.val }));
        if (record.put !== undefined) {
          assertEquals(record.put.data.length, 1);
          assertEquals(record.put.data[0].ts, got.ts, `${where} put ts`);
          assertEquals(values, record.put.data[0].val, `${where} values`);
        } else {
          assert(record.post_failure !== undefined, `${where} has neither put nor failure`);
          assertEquals(record.post_failure.ts, got.ts);
          assertEquals(values, [{ "event-type": "failures", val: record.post_failure.val }]);
        }
      }
    });
  }
}

Deno.test("skips name their reason: listings, striped DEST, invalid JSON, markers", async () => {
  const reasons = (outcomes: TransferOutcome[]) =>
    outcomes.map((o) => (o.action === "skip" ? o.why : "post"));
  const transfer = reasons(await mapFile("transfer.log"));
  assertEquals(transfer[12], "TYPE MLSD is not RETR/STOR");
  assertEquals(transfer[23], "TYPE ESTO is not RETR/STOR");
  const striped = reasons(await mapFile("striped.log"));
  assertEquals(
    striped[2],
    "could not generate metadata args: DEST '127.0.0.1,127.0.0.1' is neither IPv4 nor IPv6",
  );
  const json = reasons(await mapFile("transfer.json.log"));
  assertEquals(json[7], "cmd_type MLSD is not RETR/STOR");
  assertEquals(json[20], "event_type Transfer-Abort");
  assertEquals(json[30], "event_type Perf-Marker");
  assertEquals(json[37], "log line is not valid json");
  const failures = reasons(await mapFile("failures.edited.log"));
  assertEquals(failures[6], "empty line");
});

Deno.test("JSON: a Transfer-End reporting a failure is stored as failures, without throughput", async () => {
  const text = await Deno.readTextFile(new URL("transfer.json.log", DATA));
  const record = JSON.parse(text.split("\n")[2]); // line 3 has a throughput when it succeeds
  record.ret_code = 426;
  const outcome = mapParsedLine(parseLine(JSON.stringify(record), { json: true }), {
    lookup: staticHostAddress,
  });
  assert(outcome.action === "post");
  assertEquals(outcome.metadata.eventTypes, [...JSON_EVENT_TYPES, "failures"]);
  assertEquals(outcome.values[0], {
    eventType: "failures",
    val: { error: "426 Connection closed; transfer aborted." },
  });
  assert(!outcome.values.some((v) => v.eventType === "throughput"));
});
