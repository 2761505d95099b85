/**
 * The listen stage of xrootd-fstream-collector: where datagrams come from. A worker thread
 * receives UDP (batched `recvmmsg` when it can) into a shared ring that the main thread drains
 * (`listen.ts`, `listen_worker.ts`, `ring.ts`, `recv_batch.ts`, `socket_buffer.ts`); `--capture`
 * writes what arrives and `--replay` feeds a capture back (`capture.ts`, `capture_writer.ts`,
 * `replay.ts`). Every input hands each datagram with its {@linkcode Sender} and arrival time to
 * one {@linkcode PacketHandler}.
 *
 * @example
 * ```ts
 * import { parseSender } from "./mod.ts";
 * const sender = parseSender("127.0.0.1:1094");
 * if (sender?.port !== 1094) throw new Error("port");
 * ```
 *
 * @module
 */
export type { Sender } from "./sender.ts";
export * from "./listen.ts";
export type { ReceiveBufferResult } from "./socket_buffer.ts";
export * from "./capture.ts";
export * from "./capture_writer.ts";
export * from "./replay.ts";
export * from "./allow.ts";
export * from "./shoveler.ts";
export * from "./bus_input.ts";
