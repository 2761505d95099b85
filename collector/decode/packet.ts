/**
 * Decodes one monitoring datagram into a typed packet, or says why it was rejected. Never
 * throws for bad input: every path is bounds-checked, and anything inconsistent rejects the
 * whole packet.
 *
 * @module
 */
import { HEADER_SIZE, type PacketHeader, readHeader } from "./header.ts";
import { decodeFStream, type FRecord, type TimeWindow } from "./fstream.ts";
import { decodeText, type TextBody } from "./text.ts";
import { decodeGStream, decodeTextGStream, type GStreamBody, isTextGStream } from "./gstream.ts";

/** An f-stream packet. */
export interface FStreamPacket {
  readonly kind: "fstream";
  readonly header: PacketHeader;
  readonly window: TimeWindow;
  readonly records: FRecord[];
}

/** A text ("map") packet: `=`, `u`, `i`, `U`, `T`, `d`, `p`, `x`. */
export interface TextPacket {
  readonly kind: "text";
  readonly header: PacketHeader;
  readonly body: TextBody;
}

/** A g-stream packet (plug-in events), binary or text header: the body's fields and the header. */
export interface GStreamPacket extends GStreamBody {
  readonly kind: "gstream";
  readonly header: PacketHeader;
}

/** A packet of a stream this collector does not decode (`t`, `r`, unknown codes). */
export interface OtherPacket {
  readonly kind: "other";
  readonly header: PacketHeader;
}

/** A successfully decoded packet. */
export type DecodedPacket = FStreamPacket | TextPacket | GStreamPacket | OtherPacket;

/** A rejected datagram. */
export interface RejectedPacket {
  readonly kind: "rejected";
  /** One-line reason, for logs and tests. */
  readonly reason: string;
  /** Header, when at least 8 bytes were there. */
  readonly header?: PacketHeader;
}

const TEXT_CODES = new Set(["=", "u", "i", "U", "T", "d", "p", "x"]);

/**
 * Decodes one datagram. The bytes are only read during the call (strings are copied out), so
 * the caller may reuse its receive buffer afterwards.
 *
 * @example
 * ```ts
 * import { decodePacket } from "./packet.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(decodePacket(new Uint8Array([1, 2, 3])).kind, "rejected");
 * ```
 */
export function decodePacket(datagram: Uint8Array): DecodedPacket | RejectedPacket {
  if (datagram.byteLength < HEADER_SIZE) {
    return { kind: "rejected", reason: `datagram of ${datagram.byteLength} bytes` };
  }
  if (isTextGStream(datagram)) {
    const text = decodeTextGStream(datagram);
    if ("error" in text) return { kind: "rejected", reason: text.error };
    return { kind: "gstream", header: text.header, ...text.body };
  }
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const header = readHeader(view);
  if (header.plen !== datagram.byteLength) {
    return {
      kind: "rejected",
      reason: `plen ${header.plen} differs from datagram length ${datagram.byteLength}`,
      header,
    };
  }
  if (header.code === "f") {
    const body = decodeFStream(view);
    if ("error" in body) return { kind: "rejected", reason: body.error, header };
    return { kind: "fstream", header, window: body.window, records: body.records };
  }
  if (header.code === "g") {
    const body = decodeGStream(view);
    if ("error" in body) return { kind: "rejected", reason: body.error, header };
    return { kind: "gstream", header, ...body };
  }
  if (TEXT_CODES.has(header.code)) {
    const body = decodeText(view);
    if ("error" in body) return { kind: "rejected", reason: body.error, header };
    return { kind: "text", header, body };
  }
  return { kind: "other", header };
}
