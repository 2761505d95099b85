/**
 * The 8-byte header every XRootD monitoring packet starts with, and the packet codes.
 *
 * @module
 */

/** Size of the common header in bytes. */
export const HEADER_SIZE = 8;

/** The common header of a monitoring packet (spec section 2). */
export interface PacketHeader {
  /** Packet type as a one-character string (`f`, `u`, `=`, …). */
  readonly code: string;
  /** Packet sequence number, 0–255. */
  readonly pseq: number;
  /** Declared packet length including the header. */
  readonly plen: number;
  /** Unix time the server process started. */
  readonly stod: number;
}

/**
 * The sequence-number family a packet code belongs to: since XRootD 5.0.1 the f-stream and the
 * g-stream each count on their own, every other packet kind shares one counter.
 *
 * @example
 * ```ts
 * import { sequenceClass } from "./header.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(sequenceClass("u"), "other");
 * ```
 */
export function sequenceClass(code: string): "f" | "g" | "other" {
  if (code === "f") return "f";
  if (code === "g") return "g";
  return "other";
}

/**
 * Reads the common header; the caller has checked that at least 8 bytes are there.
 *
 * @example
 * ```ts
 * import { readHeader } from "./header.ts";
 * import assert from "node:assert/strict";
 * const bytes = new Uint8Array([0x75, 1, 0, 8, 0, 0, 0, 1]);
 * assert.deepEqual(readHeader(new DataView(bytes.buffer)).code, "u");
 * ```
 */
export function readHeader(view: DataView): PacketHeader {
  return {
    code: String.fromCharCode(view.getUint8(0)),
    pseq: view.getUint8(1),
    plen: view.getUint16(2),
    stod: view.getInt32(4),
  };
}
