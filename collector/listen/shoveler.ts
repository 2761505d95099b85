/**
 * The OSG shoveler's message envelope: `{"remote": "HOST:PORT", "version": "…", "data":
 * "<base64 datagram>"}`, `remote` written like Go's `net.JoinHostPort` (IPv6 in brackets). Pure.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { parseSender } from "./capture.ts";
import type { Sender } from "./sender.ts";

/** A datagram taken out of an envelope, with the server it came from. */
export interface ShovelerDatagram {
  readonly bytes: Uint8Array;
  readonly sender: Sender;
}

/**
 * Decodes one envelope; a string says why it was refused (bad JSON, fields, base64).
 *
 * @example
 * ```ts
 * import { decodeShovelerMessage, encodeShovelerMessage } from "./shoveler.ts";
 * const text = encodeShovelerMessage(new Uint8Array([61, 0]), { hostname: "10.0.0.1", port: 1094 });
 * const out = decodeShovelerMessage(text);
 * typeof out === "string" ? out : out.sender.port; // 1094
 * ```
 */
export function decodeShovelerMessage(text: string): ShovelerDatagram | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (typeof value !== "object" || value === null) return "not a JSON object";
  const { remote, data } = value as { remote?: unknown; data?: unknown };
  if (typeof remote !== "string") return "no remote";
  if (typeof data !== "string") return "no data";
  const sender = parseSender(remote);
  if (sender === undefined) return "remote is not HOST:PORT";
  const buffer = Buffer.from(data, "base64");
  if (buffer.byteLength === 0) return "data is empty or not base64";
  return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), sender };
}

/**
 * The envelope the shoveler would send for a datagram (tests, benchmarks, re-publishing).
 *
 * @example
 * ```ts
 * import { encodeShovelerMessage } from "./shoveler.ts";
 * encodeShovelerMessage(new Uint8Array([1]), { hostname: "::1", port: 9 });
 * // '{"remote":"[::1]:9","version":"xrootd-fstream-collector","data":"AQ=="}'
 * ```
 */
export function encodeShovelerMessage(bytes: Uint8Array, sender: Sender): string {
  const host = sender.hostname.includes(":") ? `[${sender.hostname}]` : sender.hostname;
  return JSON.stringify({
    remote: `${host}:${sender.port}`,
    version: "xrootd-fstream-collector",
    data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
  });
}

/**
 * The shard (0…n−1) a server's stream belongs to when `n` collectors share one bus: FNV-1a of
 * the sender address and port, so every datagram of a server process goes to the same one.
 *
 * @example
 * ```ts
 * import { shardOf } from "./shoveler.ts";
 * shardOf({ hostname: "10.0.0.1", port: 1094 }, 1); // 0
 * ```
 */
export function shardOf(sender: Sender, n: number): number {
  const text = `${sender.hostname}:${sender.port}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % n;
}
