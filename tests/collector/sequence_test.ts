import { assertEquals } from "../harness/mod.ts";
import { readCapture } from "../../collector/listen/capture.ts";
import { datagramHash, Resequencer } from "../../collector/correlate/resequence.ts";
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
  run.pipeline.finish(); // the last f packet waits for f1 until the end of the capture
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
  const out: string[] = [];
  const seq = new Resequencer<string>({ deliver: (item) => out.push(item), timeoutSeconds: 1 });
  const push = (server: string, cls: "f" | "g" | "other", pseq: number, t: number) =>
    seq.push(
      server,
      cls,
      pseq,
      datagramHash(new Uint8Array([cls.charCodeAt(0), pseq])),
      `${cls}${pseq}`,
      t,
    );
  push("s", "other", 0, 0);
  push("s", "other", 1, 0);
  push("s", "other", 1, 0); // duplicate: dropped
  push("s", "other", 3, 0); // held: 2 missing
  push("s", "other", 2, 0.2); // fills the gap: 2, 3 leave in order
  push("s", "f", 0, 0.3); // the f-stream has its own counter
  push("s", "f", 1, 0.3);
  push("s", "g", 0, 0.3); // so does the g-stream
  push("s2", "other", 0, 0.3); // a new server key (restart) initialises
  assertEquals(out, ["other0", "other1", "other2", "other3", "f0", "f1", "g0", "other0"]);
  assertEquals(seq.counts("s"), { received: 8, reordered: 1, duplicate: 1, late: 0, lost: 0 });
  push("s", "other", 6, 1); // 4 and 5 missing
  seq.tick(2.5);
  assertEquals(out.at(-1), "other6");
  assertEquals(seq.lost("s"), 2);
  push("s", "other", 5, 3); // came after all: late, and no longer lost
  push("s", "other", 5, 3); // and its copy is a duplicate
  assertEquals(out.at(-1), "other5");
  assertEquals(seq.counts("s"), { received: 11, reordered: 1, duplicate: 2, late: 1, lost: 1 });
  // A server first seen in mid-life: its first datagram waits, an earlier one goes first.
  push("mid", "f", 41, 10);
  push("mid", "f", 40, 10.01);
  seq.tick(11.1);
  assertEquals(out.slice(-2), ["f40", "f41"]);
});

Deno.test("8-bit wrap-around: 255 → 0 is the next datagram, reordering across it", () => {
  const out: number[] = [];
  const seq = new Resequencer<number>({ deliver: (n) => out.push(n) });
  const order = [250, 251, 252, 253, 255, 254, 1, 0, 2];
  for (const pseq of order) seq.push("s", "f", pseq, pseq, pseq, 0);
  seq.tick(1); // the first datagram seen (250) waited for earlier ones
  assertEquals(out, [250, 251, 252, 253, 254, 255, 0, 1, 2]);
  assertEquals(seq.counts("s"), { received: 9, reordered: 2, duplicate: 0, late: 0, lost: 0 });
});

Deno.test("a full window gives up the oldest gap; the timeout 0 passes everything on at once", () => {
  const out: number[] = [];
  const seq = new Resequencer<number>({ deliver: (n) => out.push(n), window: 3 });
  for (const pseq of [0, 2, 3, 4, 5]) seq.push("s", "f", pseq, pseq, pseq, 0);
  assertEquals(out, [0, 2, 3, 4, 5]);
  assertEquals(seq.lost("s"), 1);
  const direct: number[] = [];
  const off = new Resequencer<number>({ deliver: (n) => direct.push(n), timeoutSeconds: 0 });
  for (const pseq of [0, 2, 1, 3]) off.push("s", "f", pseq, pseq, pseq, 0);
  assertEquals(direct, [0, 2, 1, 3]);
  assertEquals(off.counts("s"), { received: 4, reordered: 0, duplicate: 0, late: 1, lost: 0 });
});
