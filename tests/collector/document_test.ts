import { AssembledDocument, type Fields, Part } from "../../collector/correlate/document.ts";
import { assertEquals } from "../harness/mod.ts";

Deno.test("a lazy part serialised once still yields equal fields, and later changes reach its JSON", () => {
  let made = 0;
  const part = Part.lazy(() => (made++, { xrd_user: "alice", xrd_pid: "9", n: 1.5, ok: true }));
  assertEquals(part.json, '"xrd_user":"alice","xrd_pid":"9","n":1.5,"ok":true');
  assertEquals(part.fields, { xrd_user: "alice", xrd_pid: "9", n: 1.5, ok: true });
  assertEquals(made, 1);
  const fields: Fields = part.fields;
  fields.xrd_exp_code = "3";
  part.invalidate();
  assertEquals(part.json, '"xrd_user":"alice","xrd_pid":"9","n":1.5,"ok":true,"xrd_exp_code":"3"');
  const doc = new AssembledDocument("id", [Part.of({ a: "x\n\u2028" }), part, Part.of({})]);
  assertEquals(doc.json, JSON.stringify(doc.body));
  assertEquals(doc.body.xrd_exp_code, "3");
});

Deno.test("invalidating a part whose fields were never read keeps its JSON", () => {
  const part = Part.lazy(() => ({ a: 1 }));
  assertEquals(part.json, '"a":1');
  part.invalidate();
  assertEquals(part.json, '"a":1');
});

Deno.test("timestamp is body's @timestamp, read without building the body when it can be", () => {
  const meta = Part.of({ "@timestamp": "2026-11-24T12:00:00Z", type: "xrd_fstream" });
  let made = 0;
  const lazy = Part.lazy(() => (made++, { xrd_lfn: "/a" }));
  const doc = new AssembledDocument("close:x", [meta, lazy]);
  assertEquals(doc.timestamp, "2026-11-24T12:00:00Z");
  assertEquals(made, 0);
  // The stamp in a part that is only text: the body is built to answer.
  const late = new AssembledDocument("close:y", [
    Part.lazy(() => ({ xrd_lfn: "/b" })),
    Part.of({ "@timestamp": 5 }),
  ]);
  assertEquals(late.timestamp, 5);
  assertEquals(late.timestamp, late.body["@timestamp"]);
  assertEquals(new AssembledDocument("x", [Part.of({ a: 1 })]).timestamp, undefined);
});

Deno.test("a found part may repeat a key: json is then JSON.stringify(body), the last value wins", () => {
  const doc = new AssembledDocument("open:x", [
    Part.of({ "@timestamp": "2026-11-24T12:00:00Z" }),
    Part.found({ xrd_user: "alice", xrd_seq_lost_packets: 4 }),
    Part.of({ xrd_seq_lost_packets: 0 }),
  ]);
  assertEquals(doc.body.xrd_seq_lost_packets, 0);
  assertEquals(doc.json, JSON.stringify(doc.body));
  assertEquals(JSON.parse(doc.json), doc.body);
});
