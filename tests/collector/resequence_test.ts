// Issue 17 §1: out-of-order and duplicated datagrams of the shared captures give exactly the
// documents of the in-order captures, through the in-process pipeline and through --replay.
import { assert, assertEquals, runTool, tempDir } from "../harness/mod.ts";
import { type CapturedPacket, formatCaptureLine } from "../../collector/listen/capture.ts";
import { captureItems, capturePath, LOCAL, memoryPipeline } from "./helpers.ts";
import { gPacket, gTextPacket } from "./packet_builder.ts";

const CAPTURES = ["read_single.ndjson", "write_single.ndjson", "parallel_small.ndjson"];

const load = captureItems;

/** Documents (id → JSON) of an in-process run over `packets`, in the order given. */
function run(packets: readonly CapturedPacket[]) {
  const r = memoryPipeline();
  for (const p of packets) r.pipeline.handle(p.bytes, p.from, p.t);
  r.pipeline.finish();
  const docs = r.ids.map((id, i) => `${id} ${r.jsons[i]}`).sort();
  return { docs, counts: r.pipeline.sequenceTotals(), run: r };
}

/** The capture with datagrams `i` and `i + 1` swapped, each keeping its own arrival time. */
function swapped(packets: readonly CapturedPacket[], i: number): CapturedPacket[] {
  const out = [...packets];
  [out[i], out[i + 1]] = [out[i + 1], out[i]];
  return out;
}

Deno.test("every adjacent swap of every shared capture gives exactly the in-order documents", async () => {
  let copies = 0;
  for (const name of CAPTURES) {
    const packets = await load(name);
    const expected = run(packets);
    assertEquals(expected.counts.lost, 0, name);
    for (let i = 0; i + 1 < packets.length; i++) {
      const got = run(swapped(packets, i));
      assertEquals(got.docs, expected.docs, `${name}, datagrams ${i} and ${i + 1} swapped`);
      assertEquals(got.counts.lost, 0, `${name} swap ${i}`);
      assertEquals(got.counts.duplicate, 0);
      copies++;
    }
  }
  assertEquals(copies, 3 + 3 + 15);
});

Deno.test("a capture reversed in pairs: reordered counted, nothing lost, same documents", async () => {
  const packets = await load("parallel_small.ndjson");
  let reordered = packets;
  for (let i = 0; i + 1 < packets.length; i += 2) reordered = swapped(reordered, i);
  const expected = run(packets);
  const got = run(reordered);
  assertEquals(got.docs, expected.docs);
  // Pairs of one counter (u/u or f/f) are put back in order; u/f pairs wait for the login.
  assert(got.counts.reordered >= 3, JSON.stringify(got.counts));
  assertEquals({ ...got.counts, reordered: 0 }, {
    received: 16,
    reordered: 0,
    duplicate: 0,
    late: 0,
    lost: 0,
  });
});

Deno.test("duplicated datagrams add nothing and are counted", async () => {
  for (const name of CAPTURES) {
    const packets = await load(name);
    const doubled = packets.flatMap((p, i) => (i % 3 === 0 ? [p, p, p] : [p, p]));
    const expected = run(packets);
    const got = run(doubled);
    assertEquals(got.docs, expected.docs, name);
    assertEquals(got.counts.duplicate, doubled.length - packets.length, name);
    assertEquals(got.counts.lost, 0);
    assertEquals(got.counts.late, 0);
  }
});

Deno.test("a datagram that comes after its gap was given up is late, and no longer lost", async () => {
  const packets = await load("parallel_small.ndjson");
  // Move u pseq 2 (index 2) behind everything, more than the reorder timeout later.
  const late = { ...packets[2], t: packets.at(-1)!.t + 5 };
  const moved = [...packets.slice(0, 2), ...packets.slice(3), late];
  const got = run(moved);
  assertEquals(got.counts.late, 1);
  assertEquals(got.counts.lost, 0);
  const [[, perServer]] = [...got.run.pipeline.sequences.entries()];
  assertEquals(perServer.late, 1);
});

Deno.test("--replay of reordered and duplicated copies prints the in-order documents", async () => {
  await using dir = await tempDir("reorder-");
  for (const name of CAPTURES) {
    const packets = await load(name);
    let copy = packets;
    for (let i = packets.length - 2; i >= 0; i -= 2) copy = swapped(copy, i);
    copy = copy.flatMap((p) => [p, p]);
    const path = dir.join(name);
    await Deno.writeTextFile(path, copy.map((p) => formatCaptureLine(p) + "\n").join(""));
    const [inOrder, reordered] = await Promise.all([
      runTool("xrootd-fstream-collector", ["--replay", capturePath(name)]),
      runTool("xrootd-fstream-collector", ["--replay", path]),
    ]);
    assertEquals(reordered.code, 0, reordered.stderr);
    const sorted = (text: string) => text.trimEnd().split("\n").sort();
    assertEquals(sorted(reordered.stdout), sorted(inOrder.stdout), name);
    assert(reordered.stderr.includes(`duplicate=${packets.length}`), reordered.stderr);
  }
});

/**
 * Text-header g-stream datagrams (`send cgi|json`) of one stream, numbered as XRootD numbers
 * them: 0–999, wrapping 999 → 0 (here 996…999, 0…3, both header forms).
 */
function textGStream(): CapturedPacket[] {
  const stod = 1795390000;
  return [996, 997, 998, 999, 0, 1, 2, 3].map((pseq, i) => ({
    t: 1795390100 + i * 0.004,
    from: LOCAL,
    bytes: gTextPacket(i % 2 === 0 ? "cgi" : "json", {
      pseq,
      stod,
      provider: "R",
      tBeg: 1795390100,
      tEnd: 1795390100 + i,
    }, [`{"event":"throttle_update","io_wait":${i},"io_active":1,"io_total":${i}}`]),
  }));
}

/** Documents (id and JSON) in the order they were emitted, and the sequence counters. */
function runInOrderOfEmission(packets: readonly CapturedPacket[]) {
  const r = memoryPipeline();
  for (const p of packets) r.pipeline.handle(p.bytes, p.from, p.t);
  r.pipeline.finish();
  return { docs: r.ids.map((id, i) => `${id} ${r.jsons[i]}`), counts: r.pipeline.sequenceTotals() };
}

Deno.test("text-header g-stream: every adjacent swap (across 999 → 0) gives the in-order documents", () => {
  const packets = textGStream();
  const expected = runInOrderOfEmission(packets);
  assertEquals(expected.docs.length, 8);
  assertEquals(expected.counts, { received: 8, reordered: 0, duplicate: 0, late: 0, lost: 0 });
  // Emitted in sequence order: io_wait 0…7.
  assertEquals(
    expected.docs.map((d) => JSON.parse(d.slice(d.indexOf(" ") + 1)).xrd_throttle_io_wait),
    [
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
    ],
  );
  for (let i = 0; i + 1 < packets.length; i++) {
    const got = runInOrderOfEmission(swapped(packets, i));
    assertEquals(got.docs, expected.docs, `datagrams ${i} and ${i + 1} swapped`);
    assertEquals({ ...got.counts, reordered: 0 }, { ...expected.counts, reordered: 0 });
    assertEquals(got.counts.reordered, 1, `swap ${i}`);
  }
});

Deno.test("text-header g-stream: doubled copies add nothing and are counted", () => {
  const packets = textGStream();
  const expected = runInOrderOfEmission(packets);
  for (let i = 0; i < packets.length; i++) {
    const doubled = [...packets.slice(0, i + 1), packets[i], ...packets.slice(i + 1)];
    const got = runInOrderOfEmission(doubled);
    assertEquals(got.docs, expected.docs, `datagram ${i} doubled`);
    assertEquals(got.counts.duplicate, 1);
    assertEquals(got.counts.lost, 0);
  }
  const all = runInOrderOfEmission(packets.flatMap((p) => [p, p]));
  assertEquals(all.docs, expected.docs);
  assertEquals(all.counts.duplicate, 8);
});

Deno.test("text-header g-stream: a missing datagram is counted lost once, not at every wrap", () => {
  const packets = textGStream();
  const got = runInOrderOfEmission([...packets.slice(0, 5), ...packets.slice(6)]); // no pseq 1
  assertEquals(got.docs.length, 7);
  assertEquals(got.counts.lost, 1);
});

Deno.test("binary g-streams of two providers on one server are numbered apart: nothing reordered or lost", () => {
  // XRootD counts each provider's binary packets on its own (1, 2, …) and sends them all from
  // the monitor's one socket, so one server interleaves several numberings.
  const stod = 1795390000;
  const event = {
    R: (i: number) => `{"event":"throttle_update","io_wait":${i},"io_active":1,"io_total":${i}}`,
    T: (i: number) => `{"event":"tcp_close","bytes_in":${1000 + i},"bytes_out":20}`,
  };
  const packets: CapturedPacket[] = [];
  for (let pseq = 1; pseq <= 4; pseq++) {
    for (const provider of ["R", "T"] as const) {
      packets.push({
        t: 1795390100 + packets.length * 0.004,
        from: LOCAL,
        bytes: gPacket(
          { pseq, stod, provider, tBeg: 1795390100, tEnd: 1795390100 + pseq },
          [event[provider](pseq)],
        ),
      });
    }
  }
  const got = runInOrderOfEmission(packets);
  assertEquals(got.docs.length, 8);
  assertEquals(got.counts, { received: 8, reordered: 0, duplicate: 0, late: 0, lost: 0 });
  // Each provider's own swap is still put back in order.
  const swappedR = [...packets];
  [swappedR[0], swappedR[2]] = [swappedR[2], swappedR[0]]; // R 2 before R 1
  const again = runInOrderOfEmission(swappedR);
  assertEquals(again.docs.slice().sort(), got.docs.slice().sort());
  assertEquals(again.counts.reordered, 1);
  assertEquals(again.counts.lost, 0);
});
