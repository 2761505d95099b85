import { assertEquals } from "../harness/mod.ts";
import { readCapture } from "../../collector/listen/capture.ts";
import { SequenceTracker } from "../../collector/correlate/sequence.ts";
import { decodePacket } from "../../collector/decode/mod.ts";
import { capturePath, LOCAL, memoryPipeline } from "./helpers.ts";
import { discRecord, fPacket, packet, textBody } from "./packet_builder.ts";

async function loadCapture(name: string) {
  const out = [];
  for await (const item of readCapture(capturePath(name))) {
    if ("error" in item) throw new Error(item.error);
    out.push(item);
  }
  return out;
}

Deno.test("dropping packets from a real capture: the gap counter counts exactly those", async () => {
  const packets = await loadCapture("parallel_small.ndjson");
  const label = (bytes: Uint8Array) => {
    const p = decodePacket(bytes);
    return p.kind === "rejected" ? "?" : `${p.header.code}${p.header.pseq}`;
  };
  // Interleaved u and f packets with separate counters; drop some of each, none the last.
  const drop = new Set(["u3", "u4", "u9", "f1"]);
  const run = memoryPipeline();
  let dropped = 0;
  for (const p of packets) {
    if (drop.has(label(p.bytes))) {
      dropped++;
      continue;
    }
    run.pipeline.handle(p.bytes, p.from, p.t);
  }
  assertEquals(dropped, 4);
  const lost = [...run.pipeline.sequences.lostByServer().values()];
  assertEquals(lost, [4]);
  // Documents say how many packets of their server were missing when they were made.
  const seen = run.docs.map((d) => d.xrd_seq_lost_packets as number);
  assertEquals(seen[0], 0);
  assertEquals(Math.max(...seen), 4);
  assertEquals(seen, [...seen].sort((a, b) => a - b), "the count only grows");
});

Deno.test("the full captures show no gaps although u and f numbers interleave", async () => {
  for (const name of ["read_single.ndjson", "write_single.ndjson", "parallel_small.ndjson"]) {
    const run = memoryPipeline();
    for (const p of await loadCapture(name)) run.pipeline.handle(p.bytes, p.from, p.t);
    assertEquals(
      [...run.pipeline.sequences.lostByServer().values()].reduce((a, b) => a + b, 0),
      0,
      name,
    );
  }
});

Deno.test("pseq wraps 255 → 0; losses across the wrap are counted", () => {
  const run = memoryPipeline();
  const stod = 1000;
  let sent = 0;
  for (let i = 0; i < 600; i++) {
    if (i === 255 || i === 256 || i === 400) continue;
    run.pipeline.handle(
      packet({ code: "u", pseq: i & 0xff, stod }, textBody(i + 1, "xroot/a.1:2@h")),
      LOCAL,
      1,
    );
    sent++;
  }
  for (let i = 0; i < 300; i++) {
    if (i === 10) continue;
    run.pipeline.handle(
      fPacket({ pseq: i & 0xff, stod }, { tBeg: 1, tEnd: 1 }, [discRecord(0)]),
      LOCAL,
      1,
    );
  }
  assertEquals(sent, 597);
  assertEquals(run.pipeline.sequences.lost(`127.0.0.1:40000-${stod}`), 4);
});

Deno.test("late, duplicated and reordered packets are not losses; a restart starts afresh", () => {
  const seq = new SequenceTracker();
  assertEquals(seq.observe("s", "u", 10), 0, "first packet initialises");
  assertEquals(seq.observe("s", "u", 11), 0);
  assertEquals(seq.observe("s", "u", 11), 0, "duplicate");
  assertEquals(seq.observe("s", "=", 13), 1, "= and u share one counter");
  assertEquals(seq.observe("s", "i", 12), 0, "late packet");
  assertEquals(seq.observe("s", "U", 14), 0, "a late packet does not move the counter back");
  assertEquals(seq.observe("s", "f", 200), 0, "the f-stream has its own counter");
  assertEquals(seq.observe("s", "f", 201), 0);
  assertEquals(seq.observe("s", "g", 5), 0, "so does the g-stream");
  assertEquals(seq.observe("s2", "u", 0), 0, "a new server key (restart) initialises");
  assertEquals(seq.lost("s"), 1);
});

Deno.test("servers silent for long are forgotten, with their counters", () => {
  const seq = new SequenceTracker();
  seq.observe("old", "f", 0, 100);
  seq.observe("old", "f", 5, 110);
  seq.observe("new", "f", 0, 5000);
  seq.sweep(1000);
  assertEquals([...seq.lostByServer().keys()], ["new"]);
  assertEquals(seq.observe("old", "f", 9, 6000), 0, "starts afresh");
});
