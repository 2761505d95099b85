/**
 * The receiving thread: a tight `receive(buf)` loop on one reused 64 KiB buffer, copying each
 * datagram with its sender into the shared ring. It does nothing else, so the kernel's socket
 * buffer is emptied as fast as packets arrive, whatever the decoding thread is doing.
 *
 * Messages in: `{ type: "start", hostname, port, memory, receiveBuffer }`, `{ type: "stop" }`.
 * Messages out: `{ type: "listening", hostname, port, buffer }`, `{ type: "error", message }`,
 * `{ type: "stopped" }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type RingMemory, RingWriter } from "./ring.ts";
import { enlargeReceiveBuffer } from "./socket_buffer.ts";

/** Largest UDP payload; an f-stream buffer may be 64 KiB, a smaller buffer would truncate. */
const RECEIVE_BUFFER_SIZE = 65536;

let socket: Deno.DatagramConn | undefined;

async function receive(conn: Deno.DatagramConn, writer: RingWriter): Promise<void> {
  const buffer = new Uint8Array(RECEIVE_BUFFER_SIZE);
  while (true) {
    let received: [Uint8Array, Deno.Addr];
    try {
      received = await conn.receive(buffer);
    } catch (error) {
      if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
        return;
      }
      self.postMessage({ type: "error", message: String(error) });
      continue;
    }
    const [bytes, addr] = received;
    writer.push(bytes, addr as Deno.NetAddr, Date.now() / 1000);
  }
}

self.onmessage = async (event: MessageEvent) => {
  const message = event.data as
    | {
      type: "start";
      hostname: string;
      port: number;
      memory: RingMemory;
      receiveBuffer: number;
    }
    | { type: "stop" };
  if (message.type === "stop") {
    socket?.close();
    return;
  }
  const writer = new RingWriter(message.memory);
  try {
    socket = Deno.listenDatagram({
      transport: "udp",
      hostname: message.hostname,
      port: message.port,
    });
  } catch (error) {
    self.postMessage({ type: "error", fatal: true, message: String(error) });
    writer.close();
    return;
  }
  const addr = socket.addr as Deno.NetAddr;
  const buffer = message.receiveBuffer > 0
    ? enlargeReceiveBuffer(addr.port, message.receiveBuffer)
    : undefined;
  self.postMessage({ type: "listening", hostname: addr.hostname, port: addr.port, buffer });
  await receive(socket, writer);
  writer.close();
  self.postMessage({ type: "stopped" });
};
