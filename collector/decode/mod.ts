/**
 * Pure decoders of XRootD monitoring packets (no I/O): the common header, f-stream records,
 * text records and g-stream events. Layouts: the XRootD monitoring reference (xrootd.org,
 * "XRootD System Monitoring"); the g-stream's in `docs/xrootd-fstream-collector.md`.
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
export * from "./gstream.ts";
export * from "./packet.ts";
