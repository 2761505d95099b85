// Stages 01, 02 and 99 of the Logstash pipeline (spec §2.1, §2.2, §2.3, §2.8): the fields
// every document gets, the renames and removals, the dissects, the test checksum and the
// index name, on bodies shaped like pScheduler's.
import { createHash } from "node:crypto";
import { assert, assertEquals, assertMatch, assertRejects } from "../harness/assert.ts";
import {
  DroppedEvent,
  esmondView,
  EsmondViewError,
  OFFLINE_RESOLVER,
} from "../../lib/pscheduler/mod.ts";
import { jsonValueProblem, MAX_JSON_DEPTH } from "../../lib/pscheduler/json_value.ts";
import { IngestRejected, prepareRuns } from "../../lib/archive/mod.ts";
import { documentOf, HREFS, runBody } from "./run_body.ts";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const RTT_RESULT = {
  succeeded: true,
  schema: 1,
  sent: 2,
  received: 2,
  lost: 0,
  loss: 0.0,
  duplicates: 0,
  reorders: 0,
  min: "PT0.0101S",
  max: "PT0.0112S",
  mean: "PT0.01065S",
  stddev: "PT0.00055S",
  roundtrips: [
    { seq: 1, ip: "192.0.2.1", length: 64, ttl: 60, rtt: "PT0.0101S" },
    { seq: 2, ip: "192.0.2.1", length: 64, ttl: 60, rtt: "PT0.0112S" },
  ],
};
const rttBody = () =>
  runBody({
    type: "rtt",
    spec: { schema: 1, dest: "192.0.2.1" },
    tool: "ping",
    result: RTT_RESULT,
  });

Deno.test("stage 01: host is the client address, even when the body has a host field", async () => {
  const body = { ...rttBody(), host: "203.0.113.66" };
  const { doc } = await documentOf(body);
  assertEquals(doc.host, "127.0.0.1");
  assertEquals(doc["@version"], "1");
});

Deno.test("stage 01: a headers field of the body is not stored", async () => {
  const { doc } = await documentOf({ ...rttBody(), headers: { x_ps_observer: "203.0.113.1" } });
  assert(!("headers" in doc));
  assertEquals(doc.meta.observer.ip, "192.0.2.9");
});

Deno.test("stage 02: renames move present values, null included; absent ones do nothing", async () => {
  const body = rttBody() as Record<string, Record<string, unknown>>;
  body.run.added = null;
  delete body.run["end-time"];
  delete body.task.detail;
  const { doc } = await documentOf(body);
  assert("added" in doc.pscheduler);
  assertEquals(doc.pscheduler.added, null);
  assert(!("end_time" in doc.pscheduler));
  assert(!("duration" in doc.pscheduler));
  assertEquals(doc.pscheduler.start_time, "2026-07-27T06:02:10+00:00");
  assertEquals(doc.pscheduler.participants, ["ps1.example.net"]);
  assert(!("participants" in doc));
  // The body's own {start, duration} is removed; task.schedule takes its place.
  assertEquals(doc.schedule, { slip: 300 });
  for (const gone of ["run", "task", "tool"]) assert(!(gone in doc), gone);
});

Deno.test("stage 02: a body without task.schedule has no schedule at all", async () => {
  const body = rttBody() as Record<string, Record<string, unknown>>;
  delete body.task.schedule;
  const { doc } = await documentOf(body);
  assert(!("schedule" in doc));
});

Deno.test("stage 02: dissect takes the text after the first /tasks/ and /runs/", async () => {
  const { doc } = await documentOf(rttBody());
  assertEquals(doc.pscheduler.task_id, "4f6b3c1e-9f5e-4c3a-8a5e-2f1c0d9b7a61");
  assertEquals(doc.pscheduler.run_id, "0b7e2d44-51a3-4c8e-9d2f-6a1b3c5d7e90");
  assertEquals(doc.pscheduler.task_href, HREFS.task);
  assertEquals(doc.pscheduler.run_href, HREFS.run);
  assert(!("tags" in doc));

  const body = rttBody() as Record<string, Record<string, unknown>>;
  body.task.href = "https://ps1.example.net/pscheduler/tasks/a/tasks/b";
  const twice = await documentOf(body);
  assertEquals(twice.doc.pscheduler.task_id, "a/tasks/b");
});

Deno.test("stage 02: dissect failures: null or delimiter-less href tagged, absent href not", async () => {
  const nullHref = rttBody() as Record<string, Record<string, unknown>>;
  nullHref.task.href = null;
  const a = await documentOf(nullHref);
  assertEquals(a.doc.tags, ["_dissectfailure"]);
  assert(!("task_id" in a.doc.pscheduler));

  const noRuns = rttBody() as Record<string, Record<string, unknown>>;
  noRuns.run.href = "https://ps1.example.net/pscheduler/run-0b7e";
  const b = await documentOf(noRuns);
  assertEquals(b.doc.tags, ["_dissectfailure"]);
  assert(!("run_id" in b.doc.pscheduler));
  assertEquals(b.doc.pscheduler.task_id, "4f6b3c1e-9f5e-4c3a-8a5e-2f1c0d9b7a61");

  const absent = rttBody() as Record<string, Record<string, unknown>>;
  delete absent.run.href;
  const c = await documentOf(absent);
  assert(!("tags" in c.doc), JSON.stringify(c.doc.tags));
  assert(!("run_id" in c.doc.pscheduler));
});

Deno.test("checksum: raw test, ISO strings and schema included, observer_ip null", async () => {
  const spec = { schema: 2, source: "192.0.2.4", dest: "192.0.2.1", duration: "PT10S", udp: true };
  const body = runBody({
    type: "throughput",
    spec,
    tool: "iperf3",
    result: { succeeded: false, error: "no" },
  });
  const { doc } = await documentOf(body);
  const text = '{"observer_ip":null,"test":{"spec":{"dest":"192.0.2.1","duration":"PT10S",' +
    '"schema":2,"source":"192.0.2.4","udp":true},"type":"throughput"},"tool":"iperf3"}';
  assertEquals(doc.pscheduler.test_checksum, sha256(text));
  // The document's spec is converted after the checksum was taken.
  assertEquals(doc.test.spec.duration, 10);
  // Another observer, same spec: the same key (spec §2.3).
  const other = await documentOf(body, { observer: "192.0.2.77" });
  assertEquals(other.doc.pscheduler.test_checksum, doc.pscheduler.test_checksum);
});

Deno.test("checksum: a body's own meta.observer.ip and a missing tool enter the text", async () => {
  const body = { ...rttBody(), meta: { observer: { ip: "192.0.2.200" } } } as Record<
    string,
    unknown
  >;
  delete body.tool;
  const { doc } = await documentOf(body);
  assertEquals(
    doc.pscheduler.test_checksum,
    sha256(
      '{"observer_ip":"192.0.2.200","test":{"spec":{"dest":"192.0.2.1","schema":1},' +
        '"type":"rtt"},"tool":null}',
    ),
  );
  assert(!("tool" in doc.pscheduler));
});

Deno.test("checksum: numbers with 16 digits, unicode and escapes as the canonicaliser writes them", async () => {
  const spec = {
    dest: "192.0.2.1",
    "x-ratio": 0.30000000000000004,
    "x-big": 1234567890123456789,
    "x-float": 30.0,
    "x-small": 0.0000001,
    "x-text": 'é/\u00e9 "q"\t\u0001',
    "x-nested": [{ b: 1, a: -0.0 }],
  };
  const { doc } = await documentOf(runBody({ type: "rtt", spec, tool: "ping" }));
  const text =
    '{"observer_ip":null,"test":{"spec":{"dest":"192.0.2.1","x-big":1234567890123457000,' +
    '"x-float":30,"x-nested":[{"a":0,"b":1}],"x-ratio":0.3,"x-small":1e-7,' +
    '"x-text":"é/é \\"q\\"\\t\\u0001"},"type":"rtt"},"tool":"ping"}';
  assertEquals(doc.pscheduler.test_checksum, sha256(text));
});

Deno.test("stage 99: index pscheduler_<type> as written, pass-through types included", async () => {
  for (const type of ["disk-to-disk", "s3throughput", "simplestream", "idle", "latencybg"]) {
    const { index } = await documentOf(runBody({ type, spec: {}, tool: "x" }));
    assertEquals(index, `pscheduler_${type}`);
  }
});

Deno.test("stage 99: events without a truthy test.type are dropped", async () => {
  for (const type of [undefined, null, false]) {
    const body = runBody({ type: "rtt", spec: {}, tool: "ping" }) as Record<string, unknown>;
    (body.test as Record<string, unknown>).type = type;
    await assertRejects(() => documentOf(body), DroppedEvent, String(type));
  }
  const noTest = runBody({ type: "rtt", spec: {}, tool: "ping" }) as Record<string, unknown>;
  delete noTest.test;
  await assertRejects(() => documentOf(noTest), DroppedEvent);
  for (const body of [null, 5, "text", [1]]) {
    await assertRejects(() => documentOf(body), DroppedEvent);
  }
});

Deno.test("stage 99: the type is printed into the index name as Logstash's sprintf does", async () => {
  const body = runBody({ type: "rtt", spec: {}, tool: "ping" }) as Record<string, unknown>;
  (body.test as Record<string, unknown>).type = true;
  assertEquals((await documentOf(body)).index, "pscheduler_true");
  (body.test as Record<string, unknown>).type = 7;
  assertEquals((await documentOf(body)).index, "pscheduler_7");
  // Names OpenSearch refuses: the event is lost (a clear reason instead of an index error).
  for (const bad of ["Latency", "a b", "x/y", "q?"]) {
    (body.test as Record<string, unknown>).type = bad;
    await assertRejects(() => documentOf(body), DroppedEvent, bad);
  }
});

Deno.test("a body nested deeper than JSON parsers take is refused with a clear reason", async () => {
  let deep: unknown = [];
  for (let i = 0; i < 20000; i++) deep = [deep];
  const body = runBody({
    type: "dns",
    spec: { query: "example.net", "x-deep": deep },
    tool: "dig",
  });
  await assertRejects(
    () => documentOf(body),
    (e: Error) => e instanceof DroppedEvent && /levels/.test(e.message),
  );
});

Deno.test("stage 02: a message field is parsed as JSON and its keys become fields", async () => {
  const inner = rttBody();
  const { doc, index } = await documentOf({ message: JSON.stringify(inner) });
  assertEquals(index, "pscheduler_rtt");
  assert(!("message" in doc));
  assertEquals(doc.pscheduler.run_id, "0b7e2d44-51a3-4c8e-9d2f-6a1b3c5d7e90");
  assertEquals(doc.result.packets.sent, 2);
  // Its keys win over the body's own.
  const both = await documentOf({ ...rttBody(), id: "outer", message: '{"id": "inner"}' });
  assertEquals(both.doc.id, "inner");
  assert(!("tags" in both.doc));
});

Deno.test("stage 02: a message that is no JSON object stays, tagged _jsonparsefailure", async () => {
  for (const message of ["hello", "[1, 2]", "5", 7, { a: 1 }]) {
    const { doc } = await documentOf({ ...rttBody(), message });
    assertEquals(doc.message, message);
    assertEquals(doc.tags, ["_jsonparsefailure"], JSON.stringify(message));
    assertEquals(doc.result.packets.sent, 2);
  }
  const nullMessage = await documentOf({ ...rttBody(), message: null });
  assertEquals(nullMessage.doc.message, null);
  assert(!("tags" in nullMessage.doc));
});

Deno.test("checksum: keys in UTF-16 code-unit order (an astral key before U+FFFF)", async () => {
  const spec = { dest: "192.0.2.1", "x-\uffff": 1, "x-\u{1f600}": 2, "x-Z": 3, "x-a": 4 };
  const { doc } = await documentOf(runBody({ type: "rtt", spec, tool: "ping" }));
  const text = '{"observer_ip":null,"test":{"spec":{"dest":"192.0.2.1","x-Z":3,"x-a":4,' +
    '"x-\u{1f600}":2,"x-\uffff":1},"type":"rtt"},"tool":"ping"}';
  assertEquals(doc.pscheduler.test_checksum, sha256(text));
});

Deno.test("one depth and range rule: the document, the esmond view and the ingest agree", async () => {
  // The deepest path is body → task → test → spec → x-deep: a list `levels - 4` deep.
  const bodyOfDepth = (levels: number) => {
    let deep: unknown = [];
    for (let i = 1; i < levels - 4; i++) deep = [deep];
    return runBody({ type: "rtt", spec: { dest: "192.0.2.1", "x-deep": deep }, tool: "ping" });
  };
  const options = { resolver: OFFLINE_RESOLVER };
  const deepest = bodyOfDepth(MAX_JSON_DEPTH);
  assertEquals(jsonValueProblem(deepest, MAX_JSON_DEPTH), undefined);
  assertEquals((await documentOf(deepest)).index, "pscheduler_rtt");
  assertEquals((await esmondView(deepest, options)).metadata["subject-type"], "point-to-point");
  assertEquals((await prepareRuns(JSON.stringify(deepest), options)).length, 1);

  const tooDeep = bodyOfDepth(MAX_JSON_DEPTH + 1);
  const floatless = runBody({ type: "rtt", spec: { dest: "192.0.2.1", "x": 1 }, tool: "ping" });
  const cases: [unknown, string, RegExp][] = [
    [tooDeep, JSON.stringify(tooDeep), /nests more than 1000 levels deep/],
    [
      { ...floatless, x: Infinity },
      JSON.stringify(floatless).replace('"x":1', '"x":1e400'),
      /beyond the range of a float/,
    ],
  ];
  for (const [body, text, reason] of cases) {
    assertMatch(jsonValueProblem(body, MAX_JSON_DEPTH) ?? "", reason);
    await assertRejects(
      () => documentOf(body as Record<string, unknown>),
      DroppedEvent,
      reason.source.replaceAll("\\", ""),
    );
    await assertRejects(() => esmondView(body, options), EsmondViewError);
    // The ingest walks the body once (the document stage) and still refuses it.
    await assertRejects(() => prepareRuns(text, options), IngestRejected);
  }
});
