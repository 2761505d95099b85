/**
 * A TCP front for the archive's HTTP server that bounds slow and idle connections, which
 * `Deno.serve` never closes: a client must finish its first request's headers within
 * `headerTimeoutMs`, and a connection on which no byte moves either way for `idleMs` is closed.
 * Accepted bytes are relayed unchanged to the real server on an internal loopback port.
 *
 * @module
 */

/** Options of {@linkcode guardConnections}. */
export interface ConnectionGuardOptions {
  /** Public bind address. */
  readonly hostname: string;
  /** Public port (0 picks a free one). */
  readonly port: number;
  /** The internal server's port on 127.0.0.1 (may be set after the guard started). */
  readonly upstreamPort: number;
  /** Longest time to receive the first request's headers, ms (default 10,000). */
  readonly headerTimeoutMs?: number;
  /** Longest time without traffic on a connection, ms (default 120,000). */
  readonly idleMs?: number;
  /** Told once per closed slow or idle connection. */
  readonly onTimeout?: (why: string) => void;
}

/** A running guard. */
export interface ConnectionGuard {
  /** The public port bound. */
  readonly port: number;
  /** The internal server's port on 127.0.0.1. */
  upstreamPort: number;
  /**
   * The real client of a relayed connection, from the port the relay's own connection to the
   * internal server uses (what that server sees as `remoteAddr.port`).
   */
  peerOf(relayPort: number): Deno.NetAddr | undefined;
  /** Stops accepting new connections; relayed ones go on. */
  stopAccepting(): void;
  /** Stops accepting and closes every relayed connection. */
  close(): void;
}

const HEADER_END = [13, 10, 13, 10];

function headerEnd(bytes: Uint8Array, from: number): boolean {
  for (let i = Math.max(0, from - 3); i + 3 < bytes.length; i++) {
    if (
      bytes[i] === HEADER_END[0] && bytes[i + 1] === HEADER_END[1] &&
      bytes[i + 2] === HEADER_END[2] && bytes[i + 3] === HEADER_END[3]
    ) return true;
  }
  return false;
}

/**
 * Listens on `hostname:port` and relays each connection to `127.0.0.1:upstreamPort`, closing
 * slow and idle ones. Throws as `Deno.listen` does (e.g. address in use).
 *
 * @example
 * ```ts
 * import { guardConnections } from "./connection_guard.ts";
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("ok"));
 * const guard = guardConnections({ hostname: "127.0.0.1", port: 0, upstreamPort: server.addr.port });
 * const response = await fetch(`http://127.0.0.1:${guard.port}/`);
 * await response.text();
 * guard.close();
 * await server.shutdown();
 * ```
 */
export function guardConnections(options: ConnectionGuardOptions): ConnectionGuard {
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const headerTimeoutMs = options.headerTimeoutMs ?? 10_000;
  const idleMs = options.idleMs ?? 120_000;
  const open = new Set<Deno.Conn>();
  const peers = new Map<number, Deno.NetAddr>();
  let closed = false;

  const closeQuietly = (conn: Deno.Conn) => {
    open.delete(conn);
    try {
      conn.close();
    } catch {
      // already closed
    }
  };

  async function relay(client: Deno.Conn): Promise<void> {
    open.add(client);
    let upstream: Deno.Conn | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let forget = () => {};
    const end = () => {
      forget();
      clearTimeout(timer);
      clearInterval(timer);
      closeQuietly(client);
      if (upstream) closeQuietly(upstream);
    };
    const arm = (ms: number, why: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        options.onTimeout?.(why);
        end();
      }, ms);
    };
    try {
      // The first request's headers, within the header timeout.
      arm(headerTimeoutMs, `request headers not received within ${headerTimeoutMs} ms`);
      const buffer = new Uint8Array(65536);
      let head = new Uint8Array(0);
      while (!headerEnd(head, 0)) {
        const n = await client.read(buffer);
        if (n === null) return end();
        const next = new Uint8Array(head.length + n);
        next.set(head);
        next.set(buffer.subarray(0, n), head.length);
        head = next;
        if (head.length > 1024 * 1024) return end(); // no header block is that big
      }
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: guard.upstreamPort });
      open.add(upstream);
      const relayPort = (upstream.localAddr as Deno.NetAddr).port;
      peers.set(relayPort, client.remoteAddr as Deno.NetAddr);
      forget = () => peers.delete(relayPort);
      // One check per quarter of the idle time instead of a timer re-armed per chunk.
      clearTimeout(timer);
      let last = Date.now();
      timer = setInterval(() => {
        if (Date.now() - last < idleMs) return;
        options.onTimeout?.(`no traffic for ${idleMs} ms`);
        end();
      }, Math.max(50, Math.floor(idleMs / 4)));
      await writeAll(upstream, head);
      const pump = async (from: Deno.Conn, to: Deno.Conn) => {
        const chunk = new Uint8Array(256 * 1024);
        while (true) {
          const n = await from.read(chunk);
          if (n === null) break;
          last = Date.now();
          await writeAll(to, chunk.subarray(0, n));
        }
        try {
          await to.closeWrite();
        } catch {
          // the other side is gone
        }
      };
      await Promise.all([pump(client, upstream), pump(upstream, client)]);
    } catch {
      // a reset or a timeout-closed socket ends the relay
    } finally {
      end();
    }
  }

  function stopAccepting(): void {
    if (closed) return;
    closed = true;
    try {
      listener.close();
    } catch {
      // already closed
    }
  }

  (async () => {
    for await (const conn of listener) {
      if (closed) {
        closeQuietly(conn);
        break;
      }
      void relay(conn);
    }
  })().catch(() => {});

  const guard: ConnectionGuard = {
    port: (listener.addr as Deno.NetAddr).port,
    upstreamPort: options.upstreamPort,
    peerOf: (relayPort) => peers.get(relayPort),
    stopAccepting,
    close() {
      stopAccepting();
      for (const conn of [...open]) closeQuietly(conn);
    },
  };
  return guard;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}
