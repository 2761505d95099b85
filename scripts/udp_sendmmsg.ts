/**
 * A fast UDP sender for loopback benchmarks: Linux `sendmmsg(2)` through FFI sends a batch of
 * datagrams per system call, so the sender is not what limits the measured rate (a Deno
 * `send` per datagram tops out well below 100,000/s on a busy 2-core machine).
 *
 * @module
 */

const AF_INET = 2;
const SOCK_DGRAM = 2;
const MMSGHDR_SIZE = 64; // struct msghdr (56) + msg_len (4) + padding, x86_64/aarch64
const IOVEC_SIZE = 16;

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  sendmmsg: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32", nonblocking: false },
  close: { parameters: ["i32"], result: "i32" },
} as const;

/** Sends prepared datagrams to one IPv4 address in batches. */
export class MmsgSender {
  #lib = Deno.dlopen("libc.so.6", SYMBOLS);
  #fd: number;
  #address = new Uint8Array(16);
  #keep: (Uint8Array | readonly Uint8Array[])[] = [];

  /** Opens a socket that sends to `127.0.0.1`-style `hostname:port` (IPv4 only). */
  constructor(hostname: string, port: number) {
    this.#fd = this.#lib.symbols.socket(AF_INET, SOCK_DGRAM, 0);
    if (this.#fd < 0) throw new Error("socket() failed");
    const view = new DataView(this.#address.buffer);
    view.setUint16(0, AF_INET, true);
    view.setUint16(2, port);
    hostname.split(".").forEach((part, i) => view.setUint8(4 + i, Number(part)));
  }

  /**
   * Prepares the message vector for `packets` (sent in order, `batch` per call) and returns a
   * function sending batch number `n` (wrapping around), resolving to how many were sent.
   */
  prepare(packets: readonly Uint8Array[], batch: number): (n: number) => number {
    const count = Math.ceil(packets.length / batch) * batch;
    const headers = new Uint8Array(count * MMSGHDR_SIZE);
    const iovecs = new Uint8Array(count * IOVEC_SIZE);
    const h = new DataView(headers.buffer);
    const v = new DataView(iovecs.buffer);
    const namePtr = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(this.#address)));
    const iovBase = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(iovecs)));
    for (let i = 0; i < count; i++) {
      const packet = packets[i % packets.length];
      const dataPtr = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(packet)));
      v.setBigUint64(i * IOVEC_SIZE, dataPtr, true);
      v.setBigUint64(i * IOVEC_SIZE + 8, BigInt(packet.length), true);
      const at = i * MMSGHDR_SIZE;
      h.setBigUint64(at, namePtr, true); // msg_name
      h.setUint32(at + 8, 16, true); // msg_namelen
      h.setBigUint64(at + 16, iovBase + BigInt(i * IOVEC_SIZE), true); // msg_iov
      h.setBigUint64(at + 24, 1n, true); // msg_iovlen
    }
    this.#keep.push(headers, iovecs, packets);
    const batches = count / batch;
    return (n: number) => {
      const b = n % batches;
      const slice = headers.subarray(b * batch * MMSGHDR_SIZE, (b + 1) * batch * MMSGHDR_SIZE);
      return this.#lib.symbols.sendmmsg(this.#fd, slice, batch, 0);
    };
  }

  /** Closes the socket and the library. */
  close(): void {
    this.#lib.symbols.close(this.#fd);
    this.#lib.close();
  }
}
