import { assert, assertEquals } from "../harness/mod.ts";
import { startListener } from "../../collector/listen/listen.ts";
import { BatchReceiver } from "../../collector/listen/recv_batch.ts";
import { findSocketFd } from "../../collector/listen/socket_buffer.ts";
import type { Sender } from "../../collector/correlate/identity.ts";

async function exchange(batched: boolean, hostname: string) {
  const listener = await startListener({ hostname, port: 0, batched });
  const got: { bytes: number[]; from: Sender }[] = [];
  const done = listener.run((bytes, from) => got.push({ bytes: [...bytes], from }));
  const client = Deno.listenDatagram({ transport: "udp", hostname, port: 0 });
  const clientPort = (client.addr as Deno.NetAddr).port;
  const target: Deno.NetAddr = { transport: "udp", hostname, port: listener.addr.port };
  for (let i = 0; i < 200; i++) await client.send(new Uint8Array([i, i, i]), target);
  await client.send(new Uint8Array(65507).fill(9), target);
  for (let i = 0; i < 100 && got.length < 201; i++) await new Promise((r) => setTimeout(r, 20));
  listener.stop();
  await done;
  client.close();
  return { got, clientPort, listener };
}

for (const batched of [true, false]) {
  Deno.test(`listener (${batched ? "recvmmsg" : "Deno receive"}): every datagram, in order, with its sender`, async () => {
    const { got, clientPort, listener } = await exchange(batched, "127.0.0.1");
    if (batched) assertEquals(listener.batched, Deno.build.os === "linux");
    else assertEquals(listener.batched, false);
    assertEquals(got.length, 201);
    got.slice(0, 200).forEach((g, i) => assertEquals(g.bytes, [i, i, i]));
    assertEquals(got[200].bytes.length, 65507, "a maximal datagram arrives whole");
    for (const g of got) assertEquals(g.from, { hostname: "127.0.0.1", port: clientPort });
  });
}

Deno.test({
  name: "batch receiver: IPv6 sender addresses are printed like Deno prints them",
  ignore: Deno.build.os !== "linux",
  async fn() {
    let server: Deno.DatagramConn;
    try {
      server = Deno.listenDatagram({ transport: "udp", hostname: "::1", port: 0 });
    } catch {
      return; // no IPv6 loopback here
    }
    const client = Deno.listenDatagram({ transport: "udp", hostname: "::1", port: 0 });
    const port = (server.addr as Deno.NetAddr).port;
    const fd = findSocketFd(port);
    assert(fd !== undefined);
    const receiver = new BatchReceiver(fd);
    try {
      await client.send(new Uint8Array([1]), { transport: "udp", hostname: "::1", port });
      const seen: Sender[] = [];
      for (let i = 0; i < 50 && seen.length === 0; i++) {
        receiver.receive(
          20,
          (_bytes, from) => seen.push({ hostname: from.hostname, port: from.port }),
        );
      }
      assertEquals(seen, [{ hostname: "::1", port: (client.addr as Deno.NetAddr).port }]);
    } finally {
      receiver.close();
      client.close();
      server.close();
    }
  },
});
