/**
 * Free loopback ports for servers started by tests.
 *
 * @module
 */

/** Which transport the port is for. */
export type PortTransport = "tcp" | "udp";

/**
 * A port the OS reports free on 127.0.0.1 right now (bind to port 0, read it, close).
 *
 * @example
 * ```ts
 * import { freePort } from "./free_port.ts";
 * const port = freePort();
 * const udpPort = freePort("udp");
 * ```
 */
export function freePort(transport: PortTransport = "tcp"): number {
  if (transport === "udp") {
    const socket = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
    const port = (socket.addr as Deno.NetAddr).port;
    socket.close();
    return port;
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
