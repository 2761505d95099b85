/**
 * Enlarges a UDP socket's kernel receive buffer. Deno has no `setsockopt`, and the default
 * buffer (≈ 200 KiB, a few hundred datagrams on loopback) overflows within milliseconds when a
 * busy host deschedules the receiving thread. Linux only: the socket's descriptor is found by
 * its bound port with `getsockname`, and `setsockopt(SO_RCVBUF)` is called, both through FFI
 * (needs `--allow-ffi`). The kernel caps the size at `net.core.rmem_max` unless the process
 * may use `SO_RCVBUFFORCE` (CAP_NET_ADMIN), which is tried first.
 *
 * @module
 */

const SOL_SOCKET = 1;
const SO_RCVBUF = 8;
/** Like SO_RCVBUF but past `rmem_max`; only with CAP_NET_ADMIN (e.g. root). */
const SO_RCVBUFFORCE = 33;

/** Outcome of {@linkcode enlargeReceiveBuffer}. */
export type ReceiveBufferResult =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly reason: string };

const LIBC_SYMBOLS = {
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
} as const;

type Libc = Deno.DynamicLibrary<typeof LIBC_SYMBOLS>["symbols"];

const SO_TYPE = 3;
const SOCK_DGRAM = 2;
const MAX_FD = 65536;

function getInt(libc: Libc, fd: number, option: number): number | undefined {
  const value = new Int32Array(1);
  const length = new Uint32Array([4]);
  const rc = libc.getsockopt(
    fd,
    SOL_SOCKET,
    option,
    new Uint8Array(value.buffer),
    new Uint8Array(length.buffer),
  );
  return rc === 0 ? value[0] : undefined;
}

/**
 * This process's UDP socket bound to `port`: walks descriptors with `getsockname` (reading
 * `/proc` would need `--allow-all` in Deno). The port sits big-endian at offset 2 of both
 * `sockaddr_in` and `sockaddr_in6`.
 */
function socketFd(libc: Libc, port: number): number | undefined {
  const address = new Uint8Array(128);
  const length = new Uint32Array(1);
  let misses = 0;
  for (let fd = 3; fd < MAX_FD && misses < 1024; fd++) {
    length[0] = address.length;
    if (libc.getsockname(fd, address, new Uint8Array(length.buffer)) !== 0) {
      misses++;
      continue;
    }
    misses = 0;
    if (((address[2] << 8) | address[3]) !== port) continue;
    if (getInt(libc, fd, SO_TYPE) === SOCK_DGRAM) return fd;
  }
  return undefined;
}

/**
 * The descriptor of this process's UDP socket bound to `port`, or undefined (not Linux, no
 * FFI permission, not found).
 *
 * @example
 * ```ts
 * import { findSocketFd } from "./socket_buffer.ts";
 * const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 * findSocketFd((socket.addr as Deno.NetAddr).port); // e.g. 12
 * socket.close();
 * ```
 */
export function findSocketFd(port: number): number | undefined {
  if (Deno.build.os !== "linux") return undefined;
  let lib;
  try {
    lib = Deno.dlopen("libc.so.6", LIBC_SYMBOLS);
    return socketFd(lib.symbols, port);
  } catch {
    return undefined;
  } finally {
    lib?.close();
  }
}

/**
 * Asks for a `bytes` receive buffer on this process's UDP socket bound to `port`; reports the
 * size the kernel granted (Linux reports twice the request, for its bookkeeping) or why not.
 *
 * @example
 * ```ts
 * import { enlargeReceiveBuffer } from "./socket_buffer.ts";
 * const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 * enlargeReceiveBuffer((socket.addr as Deno.NetAddr).port, 8 << 20);
 * socket.close();
 * ```
 */
export function enlargeReceiveBuffer(port: number, bytes: number): ReceiveBufferResult {
  if (Deno.build.os !== "linux") return { ok: false, reason: "only supported on Linux" };
  let lib;
  try {
    lib = Deno.dlopen("libc.so.6", LIBC_SYMBOLS);
    const fd = socketFd(lib.symbols, port);
    if (fd === undefined) return { ok: false, reason: "socket descriptor not found" };
    const value = new Uint8Array(new Int32Array([Math.min(bytes, 0x7fffffff)]).buffer);
    if (
      lib.symbols.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) !== 0 &&
      lib.symbols.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4) !== 0
    ) {
      return { ok: false, reason: "setsockopt failed" };
    }
    return { ok: true, bytes: getInt(lib.symbols, fd, SO_RCVBUF) ?? 0 };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    lib?.close();
  }
}
