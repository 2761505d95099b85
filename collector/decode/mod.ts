/**
 * Pure decoders of XRootD monitoring packets (no I/O): the common header, f-stream records and
 * text records. Layouts: the XRootD monitoring reference (xrootd.org, "XRootD System Monitoring").
 *
 * @example
 * ```ts
 * import { decodePacket } from "./mod.ts";
 * const packet = decodePacket(new Uint8Array(8));
 * if (packet.kind === "rejected") console.error(packet.reason);
 * ```
 *
 * @module
 */
export * from "./header.ts";
export * from "./fstream.ts";
export * from "./text.ts";
export * from "./packet.ts";
