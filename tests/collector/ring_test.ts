import { assert, assertEquals } from "../harness/mod.ts";
import { createRing, RingReader, RingWriter } from "../../collector/listen/ring.ts";
import { enlargeReceiveBuffer } from "../../collector/listen/socket_buffer.ts";
import type { Sender } from "../../collector/correlate/identity.ts";

function collect(reader: RingReader, max = 1_000_000) {
  const out: { bytes: number[]; from: Sender; t: number }[] = [];
  reader.drain((bytes, from, t) => out.push({ bytes: [...bytes], from, t }), max);
  return out;
}

Deno.test("ring: frames come out in order with sender and time, across many wrap-arounds", () => {
  const memory = createRing(1000);
  const writer = new RingWriter(memory);
  const reader = new RingReader(memory);
  let next = 0;
  let expected = 0;
  for (let round = 0; round < 200; round++) {
    for (let k = 0; k < 3; k++) {
      const size = 1 + ((next * 37) % 120);
      const data = new Uint8Array(size).fill(next & 0xff);
      assert(
        writer.push(data, { hostname: next % 2 ? "::1" : "10.0.0.1", port: next }, next + 0.5),
      );
      next++;
    }
    for (const frame of collect(reader)) {
      assertEquals(frame.bytes.length, 1 + ((expected * 37) % 120));
      assert(frame.bytes.every((b) => b === (expected & 0xff)));
      assertEquals(frame.from, { hostname: expected % 2 ? "::1" : "10.0.0.1", port: expected });
      assertEquals(frame.t, expected + 0.5);
      expected++;
    }
  }
  assertEquals(expected, 600);
  assertEquals(reader.dropped, 0);
});

Deno.test("ring: a full ring refuses and counts, then accepts again once drained", () => {
  const memory = createRing(256);
  const writer = new RingWriter(memory);
  const reader = new RingReader(memory);
  const from = { hostname: "127.0.0.1", port: 1 };
  let accepted = 0;
  while (writer.push(new Uint8Array(40), from, 1)) accepted++;
  assert(accepted >= 3 && accepted <= 4, String(accepted));
  assertEquals(reader.dropped, 1);
  assertEquals(collect(reader, 1).length, 1, "drain respects its maximum");
  assert(writer.push(new Uint8Array(40), from, 2));
  assertEquals(collect(reader).length, accepted);
  assertEquals(writer.push(new Uint8Array(1000), from, 3), false, "larger than the ring");
});

Deno.test("ring: wait resolves when a frame arrives and when the writer closes", async () => {
  const memory = createRing(4096);
  const writer = new RingWriter(memory);
  const reader = new RingReader(memory);
  const waiting = reader.wait();
  setTimeout(() => writer.push(new Uint8Array([7]), { hostname: "h", port: 2 }, 3), 10);
  await waiting;
  assertEquals(collect(reader).map((f) => f.bytes), [[7]]);
  assertEquals(reader.finished, false);
  const closing = reader.wait();
  setTimeout(() => writer.close(), 10);
  await closing;
  assertEquals(reader.finished, true);
});

Deno.test({
  name: "socket buffer: SO_RCVBUF is enlarged on this process's UDP socket",
  ignore: Deno.build.os !== "linux",
  fn() {
    const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    try {
      const port = (socket.addr as Deno.NetAddr).port;
      const small = enlargeReceiveBuffer(port, 4096);
      const large = enlargeReceiveBuffer(port, 4 << 20);
      assert(small.ok && large.ok, JSON.stringify({ small, large }));
      assert(large.bytes > small.bytes, JSON.stringify({ small, large }));
      assertEquals(enlargeReceiveBuffer(1, 4096).ok, false, "no socket of ours on port 1");
    } finally {
      socket.close();
    }
  },
});
