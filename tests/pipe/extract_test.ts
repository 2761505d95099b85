import { assert, assertEquals } from "../harness/mod.ts";
import { extractInput } from "../../cli/pipe/extract.ts";
import { mapIperf3 } from "../../cli/pipe/iperf3_map.ts";
import { NTP_UNIX_OFFSET } from "../../cli/pipe/bwctl_header.ts";
import type { PipePayload } from "../../cli/pipe/types.ts";
import {
  decidedExpectation,
  MALFORMED_CASES,
  readExpected,
  readPipeBytes,
  readPipeText,
  VALID_CASES,
} from "./expectations.ts";

/** The metadata POST keys of a payload, named as the expected files name them. */
function wireMetadata(payload: PipePayload): Record<string, unknown> {
  const m = payload.metadata;
  return {
    "subject-type": m.subjectType,
    source: m.source,
    destination: m.destination,
    "tool-name": m.toolName,
    "measurement-agent": m.measurementAgent,
    "input-source": m.inputSource,
    "input-destination": m.inputDestination,
    ...(m.timeDuration !== undefined ? { "time-duration": m.timeDuration } : {}),
    ...(m.ipTransportProtocol !== undefined
      ? { "ip-transport-protocol": m.ipTransportProtocol }
      : {}),
    ...m.freeform,
  };
}

function payloadFor(text: string, agent: string, options = {}): PipePayload {
  const extracted = extractInput(text, options);
  if (!extracted.ok) throw new Error(extracted.errors.join("; "));
  return mapIperf3(extracted.json, {
    toolName: extracted.toolName,
    inputSource: extracted.inputSource,
    inputDestination: extracted.inputDestination,
    measurementAgent: agent,
    fallbackTs: extracted.startToolTime ?? 0,
  });
}

for (const name of VALID_CASES) {
  Deno.test(`pipe extract: ${name} yields the expected metadata and values`, async () => {
    const expected = await decidedExpectation(name);
    const text = await readPipeText(`${name}.bwctl.txt`);
    const payload = payloadFor(text, expected.metadata["measurement-agent"] as string);
    assertEquals(wireMetadata(payload), expected.metadata);
    assertEquals([...payload.eventTypes], expected.eventTypes);
    assertEquals(payload.ts, expected.ts);
    assertEquals(
      payload.values.map((v) => ({ eventType: v.eventType, val: v.val })),
      expected.data,
    );
    assertEquals(payload.failure, undefined);
  });
}

for (const name of MALFORMED_CASES) {
  Deno.test(`pipe extract: ${name} is rejected naming the problem`, async () => {
    const expected = await readExpected(name);
    const bytes = await readPipeBytes(`${name}.bwctl.txt`);
    const extracted = extractInput(new TextDecoder().decode(bytes), {});
    if (extracted.ok) {
      // Valid iperf3 JSON under another tool's name: extraction succeeds and the run refuses
      // the tool ("there is no handler for input type", see log_lines_test.ts).
      assertEquals(extracted.tool, "nuttcp", `${name} must be rejected`);
      return;
    }
    const text = extracted.errors.join("\n");
    const names = expected.message_names as string[];
    assert(
      names.some((word) => text.includes(word)),
      `errors ${JSON.stringify(text)} name none of ${names}`,
    );
  });
}

Deno.test("pipe extract: server-absent becomes one failures point under header metadata", async () => {
  const expected = await readExpected("server-absent");
  const text = await readPipeText("server-absent.bwctl.txt");
  const payload = payloadFor(text, "127.0.0.1");
  assertEquals(payload.failure, expected.iperf3_error);
  assertEquals([...payload.eventTypes], ["failures"]);
  assertEquals(payload.values, [{
    eventType: "failures",
    val: { error: expected.iperf3_error },
  }]);
  // No start.timestamp in a failed run: the time bwctl started the tool is used.
  const startTool = /bwctl: start_tool: (\d+)/.exec(text)![1];
  assertEquals(payload.ts, Number(startTool) - NTP_UNIX_OFFSET);
  assertEquals(payload.metadata.source, "127.0.0.1");
  assertEquals(payload.metadata.toolName, "bwctl/iperf3");
});

Deno.test("pipe extract: plain iperf3 -J output is accepted with --input-source/--input-destination", async () => {
  const text = await readPipeText("malformed-json-only.bwctl.txt");
  const expected = await decidedExpectation("tcp-1stream");
  const payload = payloadFor(text, "127.0.0.1", {
    inputSource: "sender.example.net",
    inputDestination: "receiver.example.net",
  });
  assertEquals(payload.metadata.toolName, "iperf3");
  assertEquals(payload.metadata.inputSource, "sender.example.net");
  assertEquals(payload.metadata.inputDestination, "receiver.example.net");
  assertEquals(payload.metadata.source, expected.metadata.source);
  assertEquals(payload.values.map((v) => ({ eventType: v.eventType, val: v.val })), expected.data);
  const named = payloadFor(text, "127.0.0.1", {
    inputSource: "a",
    inputDestination: "b",
    toolName: "pscheduler/iperf3",
  });
  assertEquals(named.metadata.toolName, "pscheduler/iperf3");
});

Deno.test("pipe extract: plain JSON with only one of the two input options names the other", async () => {
  const text = await readPipeText("malformed-json-only.bwctl.txt");
  const extracted = extractInput(text, { inputSource: "a" });
  assert(!extracted.ok);
  assert(extracted.errors.some((e) => e.includes("input-destination")), extracted.errors.join());
  assert(!extracted.errors.some((e) => e.includes("input-source")), extracted.errors.join());
});

Deno.test("pipe extract: reverse mode stores the sender (the remote end) as source", async () => {
  const raw = JSON.parse(await readPipeText("tcp-reverse.iperf3.json"));
  raw.start.connected[0].local_host = "10.0.0.2";
  raw.start.connected[0].remote_host = "10.0.0.1";
  const forward = structuredClone(raw);
  forward.start.test_start.reverse = 0;
  const context = {
    toolName: "iperf3",
    inputSource: "10.0.0.1",
    inputDestination: "10.0.0.2",
    measurementAgent: "10.0.0.2",
    fallbackTs: 0,
  };
  const reversed = mapIperf3(raw, context);
  assertEquals([reversed.metadata.source, reversed.metadata.destination], [
    "10.0.0.1",
    "10.0.0.2",
  ]);
  const normal = mapIperf3(forward, context);
  assertEquals([normal.metadata.source, normal.metadata.destination], ["10.0.0.2", "10.0.0.1"]);
});

Deno.test("pipe extract: interleaved bwctl lines inside the JSON block are skipped", async () => {
  const text = await readPipeText("tcp-1stream.bwctl.txt");
  const lines = text.split("\n");
  const middle = lines.findIndex((l) => l.includes('"intervals"'));
  lines.splice(middle, 0, "bwctl: local tool exited with status 0 (interleaved)");
  const expected = await decidedExpectation("tcp-1stream");
  const payload = payloadFor(lines.join("\n"), "127.0.0.1");
  assertEquals(payload.values.map((v) => ({ eventType: v.eventType, val: v.val })), expected.data);
});

Deno.test("pipe extract: IPv6 literal addresses in brackets are unwrapped", () => {
  const header = [
    "bwctl: Using [2001:db8::1] as the address for remote sender",
    "bwctl: Using 2001:db8::2 as the address for remote receiver",
    "bwctl: Using tool: iperf3",
    "bwctl: start_tool: 3600000000.5",
    "{}",
    "bwctl: stop_tool: 3600000001.5",
  ].join("\n");
  const extracted = extractInput(header, {});
  assert(extracted.ok);
  assertEquals([extracted.inputSource, extracted.inputDestination], ["2001:db8::1", "2001:db8::2"]);
  assertEquals(extracted.startToolTime, 3600000000 - NTP_UNIX_OFFSET);
});
