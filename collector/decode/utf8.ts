/**
 * UTF-8 text out of packet bytes. Packets are read straight from the receive ring, a
 * `SharedArrayBuffer`, which `TextDecoder` copies before decoding; names, paths and auth info
 * are nearly always short ASCII, which is turned into a string here without that copy.
 *
 * @module
 */

const decoder = new TextDecoder();
const ASCII_FAST_PATH_BYTES = 2048;

/**
 * Decodes `bytes` as `new TextDecoder().decode(bytes)` does (invalid sequences become U+FFFD).
 *
 * @example
 * ```ts
 * import { utf8Text } from "./utf8.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(utf8Text(new Uint8Array([0x2f, 0x61])), "/a");
 * assert.deepEqual(utf8Text(new Uint8Array([0xc3, 0xa9])), "é");
 * ```
 */
export function utf8Text(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n > ASCII_FAST_PATH_BYTES) return decoder.decode(bytes);
  for (let i = 0; i < n; i++) if (bytes[i] > 0x7f) return decoder.decode(bytes);
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}
