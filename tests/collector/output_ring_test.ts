import { assert, assertEquals, assertRejects, tempDir } from "../harness/mod.ts";
import { OutputRing } from "../../collector/sink/output_ring.ts";
import { NdjsonSink } from "../../collector/sink/ndjson.ts";

Deno.test("output ring: bytes pushed across many wraps of a small ring come out in order", async () => {
  await using dir = await tempDir("output-ring-");
  const path = `${dir.path}/out.bin`;
  const ring = await OutputRing.open({ path, bytes: 1024 });
  const expected: number[] = [];
  let seed = 7;
  for (let i = 0; i < 400; i++) {
    // Pieces from 1 byte to larger than the ring itself (those wait for room).
    const piece = new Uint8Array(1 + ((i * 37) % 3000));
    for (let k = 0; k < piece.length; k++) piece[k] = seed = (seed * 1103515245 + 12345) & 0xff;
    assertEquals(ring.push(piece), piece.length);
    expected.push(...piece);
    if (i % 50 === 0) await ring.flush();
  }
  await ring.close();
  assertEquals([...await Deno.readFile(path)], expected);
});

Deno.test("output ring: a failing write is reported, its bytes kept, and close still ends", async () => {
  const errors: Error[] = [];
  // Every write to /dev/full fails (ENOSPC).
  const ring = await OutputRing.open({ path: "/dev/full", onError: (e) => errors.push(e) });
  assertEquals(ring.push(new TextEncoder().encode("lost?\n")), 6);
  await ring.flush();
  for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert(errors.length >= 1, "the failure reached onError");
  assertEquals(ring.pendingBytes, 6, "kept for the next flush");
  await ring.close();
});

Deno.test("output ring: a file that cannot be opened rejects the open", async () => {
  await using dir = await tempDir("output-ring-");
  await assertRejects(() => OutputRing.open({ path: `${dir.path}/missing/out.bin` }));
});

Deno.test("NDJSON sink through the output thread: many documents, several MiB, exact bytes", async () => {
  await using dir = await tempDir("ndjson-ring-");
  const path = `${dir.path}/out.ndjson`;
  const sink = await NdjsonSink.open({ path });
  let expected = "";
  for (let i = 0; i < 40_000; i++) {
    const body = { i, text: 'é"x'.repeat(i % 50), big: i % 9999 === 0 ? "z".repeat(1 << 21) : "" };
    sink.write({ docId: String(i), body });
    expected += JSON.stringify(body) + "\n";
    if (i % 10_000 === 0) await sink.flush();
  }
  await sink.close();
  assert((await Deno.readTextFile(path)) === expected, "file equals the documents' JSON lines");
});

Deno.test({
  name: "output ring: an output nobody reads stalls one push for 5 s, not every push after it",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using dir = await tempDir("output-ring-");
    const fifo = `${dir.path}/fifo`;
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert(made.success, "mkfifo");
    // The output thread's open of the FIFO waits for this reader, which reads nothing yet.
    const reader = Deno.open(fifo, { read: true });
    const ring = await OutputRing.open({ path: fifo, bytes: 1024 });
    const readerFile = await reader;
    const bytes = new Uint8Array(256 * 1024).fill(120);
    let started = performance.now();
    const first = ring.push(bytes);
    assert(first < bytes.length, "the pipe and the ring are full: the rest is handed back");
    assert(performance.now() - started >= 4500, "waited for the output to drain first");
    started = performance.now();
    assertEquals(ring.push(bytes), 0, "still nothing drained: no second wait");
    assert(performance.now() - started < 1000);
    const drained = (async () => {
      let n = 0;
      const buffer = new Uint8Array(65536);
      for (;;) {
        const got = await readerFile.read(buffer);
        if (got === null) return n;
        n += got;
      }
    })();
    await ring.close();
    assertEquals(await drained, first, "what the ring took came out");
    readerFile.close();
  },
});
