/**
 * The UDP receive loop: one reused 64 KiB buffer, `receive(buf)` in a tight loop, each
 * datagram handed synchronously to the pipeline (which copies out what it keeps) before the
 * next receive.
 *
 * @module
 */
import type { Sender } from "./identity.ts";

/** Largest UDP payload; an f-stream buffer may be 64 KiB, a smaller buffer would truncate. */
export const RECEIVE_BUFFER_SIZE = 65536;

/** Called for each datagram; must not keep `bytes` after returning. */
export type PacketHandler = (bytes: Uint8Array, sender: Sender, now: number) => void;

/**
 * Opens a UDP socket on `hostname:port`.
 *
 * @example
 * ```ts
 * import { openSocket } from "./listen.ts";
 * const socket = openSocket("127.0.0.1", 0);
 * socket.close();
 * ```
 */
export function openSocket(hostname: string, port: number): Deno.DatagramConn {
  return Deno.listenDatagram({ transport: "udp", hostname, port });
}

/**
 * Receives until the socket is closed; resolves then. A handler that throws is reported to
 * `onError` and the loop goes on: one bad datagram never stops the collector.
 *
 * @example
 * ```ts
 * import { openSocket, receiveLoop } from "./listen.ts";
 * const socket = openSocket("127.0.0.1", 0);
 * const done = receiveLoop(socket, (bytes) => console.log(bytes.length));
 * socket.close();
 * await done;
 * ```
 */
export async function receiveLoop(
  socket: Deno.DatagramConn,
  handle: PacketHandler,
  onError?: (error: unknown) => void,
): Promise<void> {
  const buffer = new Uint8Array(RECEIVE_BUFFER_SIZE);
  while (true) {
    let received: [Uint8Array, Deno.Addr];
    try {
      received = await socket.receive(buffer);
    } catch (error) {
      if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
        return;
      }
      onError?.(error);
      continue;
    }
    const [bytes, addr] = received;
    const net = addr as Deno.NetAddr;
    try {
      handle(bytes, { hostname: net.hostname, port: net.port }, Date.now() / 1000);
    } catch (error) {
      onError?.(error);
    }
  }
}
