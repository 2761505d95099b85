/**
 * The receiving thread: batched `recvmmsg` where it can (Linux, FFI), else a tight
 * `receive(buf)` loop on one reused 64 KiB buffer, copying each datagram with its sender into
 * the shared ring. It does nothing else, so the kernel's socket
 * buffer is emptied as fast as packets arrive, whatever the decoding thread is doing.
 *
 * Messages in: `{ type: "start", hostname, port, memory, receiveBuffer, batched }`, `{ type: "stop" }`.
 * Messages out: `{ type: "listening", hostname, port, buffer, batched }`, `{ type: "error", message }`,
 * `{ type: "stopped" }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type RingMemory, RingWriter } from "./ring.ts";
import { enlargeReceiveBuffer, findSocketFd } from "./socket_buffer.ts";
import { BatchReceiver } from "./recv_batch.ts";

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

/**
 * The fast path: `recvmmsg` batches on the socket's descriptor, until the reader asks to stop
 * through the ring (this loop blocks the thread, so messages would not be seen).
 */
function receiveBatches(receiver: BatchReceiver, writer: RingWriter): "stopped" | string {
  const push = (
    bytes: Uint8Array,
    from: { hostname: string; port: number; hostBytes: Uint8Array },
  ) => writer.push(bytes, from, Date.now() / 1000, from.hostBytes);
  try {
    while (!writer.stopRequested) {
      if (receiver.receive(100, push) < 0) return "poll/recvmmsg kept failing";
    }
    return "stopped";
  } finally {
    receiver.close();
  }
}

function batchReceiver(port: number): BatchReceiver | undefined {
  const fd = findSocketFd(port);
  if (fd === undefined) return undefined;
  try {
    return new BatchReceiver(fd);
  } catch {
    return undefined;
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
      batched: boolean;
    }
    | { type: "stop" };
  if (message.type === "stop") {
    // The batched loop may have closed it already.
    const open = socket;
    socket = undefined;
    try {
      open?.close();
    } catch {
      // already closed
    }
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
  const receiver = message.batched ? batchReceiver(addr.port) : undefined;
  self.postMessage({
    type: "listening",
    hostname: addr.hostname,
    port: addr.port,
    buffer,
    batched: receiver !== undefined,
  });
  const outcome = receiver === undefined ? "failed" : receiveBatches(receiver, writer);
  if (outcome === "stopped") {
    const open = socket;
    socket = undefined;
    open?.close();
  } else {
    if (receiver !== undefined) {
      self.postMessage({
        type: "error",
        message: `batched receive failed (${outcome}); using Deno receive`,
      });
    }
    // A stop requested meanwhile must still end the portable loop.
    if (writer.stopRequested) socket.close();
    else await receive(socket, writer);
  }
  writer.close();
  self.postMessage({ type: "stopped" });
};
