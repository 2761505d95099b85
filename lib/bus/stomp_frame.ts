/**
 * STOMP 1.2 frames: encoding and an incremental decoder for a byte stream. Pure: the client
 * (`stomp_client.ts`) does the I/O.
 *
 * A frame is `COMMAND\n` + `name:value\n` headers + `\n` + body + NUL; header values are
 * escaped (`\\`, `\n`, `\r`, `\c`) in every frame but CONNECT/CONNECTED; a `content-length`
 * header gives the body's length (bodies may then hold NULs); heart-beats are bare EOLs.
 *
 * @module
 */

/** One STOMP frame. */
export interface StompFrame {
  readonly command: string;
  /** Header names to values (the first occurrence wins, as STOMP 1.2 says). */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function escape(value: string): string {
  return value.replace(
    /[\\\n\r:]/g,
    (c) => c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\c",
  );
}

function unescape(value: string): string {
  return value.replace(
    /\\([\\nrc])/g,
    (_, c) => c === "\\" ? "\\" : c === "n" ? "\n" : c === "r" ? "\r" : ":",
  );
}

const RAW_HEADERS = new Set(["CONNECT", "CONNECTED"]);

/**
 * Encodes a frame; adds `content-length` when the body is not empty.
 *
 * @example
 * ```ts
 * import { encodeFrame } from "./stomp_frame.ts";
 * const bytes = encodeFrame("SEND", { destination: "/queue/a" }, new TextEncoder().encode("x"));
 * import assert from "node:assert/strict";
 * assert.equal(new TextDecoder().decode(bytes), "SEND\ndestination:/queue/a\ncontent-length:1\n\nx\0");
 * ```
 */
export function encodeFrame(
  command: string,
  headers: Record<string, string>,
  body: Uint8Array = new Uint8Array(),
): Uint8Array {
  const raw = RAW_HEADERS.has(command);
  let head = `${command}\n`;
  for (const [name, value] of Object.entries(headers)) {
    head += raw ? `${name}:${value}\n` : `${escape(name)}:${escape(value)}\n`;
  }
  if (body.length > 0) head += `content-length:${body.length}\n`;
  head += "\n";
  const h = encoder.encode(head);
  const out = new Uint8Array(h.length + body.length + 1);
  out.set(h);
  out.set(body, h.length);
  return out;
}

/**
 * Splits a byte stream into frames; feed it chunks as they arrive.
 *
 * @example
 * ```ts
 * import { encodeFrame, FrameDecoder } from "./stomp_frame.ts";
 * const frames = new FrameDecoder().push(encodeFrame("RECEIPT", { "receipt-id": "7" }));
 * import assert from "node:assert/strict";
 * assert.equal(frames.length, 1);
 * assert.equal(frames[0].command, "RECEIPT");
 * assert.equal(frames[0].headers["receipt-id"], "7");
 * ```
 */
export class FrameDecoder {
  #buffer = new Uint8Array(0);

  /** Appends `chunk`; returns every frame now complete (heart-beats are skipped). */
  push(chunk: Uint8Array): StompFrame[] {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    const frames: StompFrame[] = [];
    let at = 0;
    while (true) {
      // Heart-beats and the EOLs allowed after a frame's NUL.
      while (at < joined.length && (joined[at] === 0x0a || joined[at] === 0x0d)) at++;
      const end = this.#headerEnd(joined, at);
      if (end < 0) break;
      const lines = decoder.decode(joined.subarray(at, end)).split("\n").map((line) =>
        line.endsWith("\r") ? line.slice(0, -1) : line
      );
      const command = lines[0];
      const raw = RAW_HEADERS.has(command);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        if (line === "") continue;
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = raw ? line.slice(0, colon) : unescape(line.slice(0, colon));
        if (!(name in headers)) {
          headers[name] = raw ? line.slice(colon + 1) : unescape(line.slice(colon + 1));
        }
      }
      const bodyStart = end + this.#separatorLength(joined, end);
      let bodyEnd: number;
      const length = headers["content-length"];
      if (length !== undefined) {
        bodyEnd = bodyStart + Number(length);
        if (joined.length < bodyEnd + 1) break;
      } else {
        bodyEnd = joined.indexOf(0, bodyStart);
        if (bodyEnd < 0) break;
      }
      frames.push({ command, headers, body: joined.slice(bodyStart, bodyEnd) });
      at = bodyEnd + 1;
    }
    this.#buffer = joined.slice(at);
    return frames;
  }

  // Index of the blank line ending the headers (at its first EOL byte), or -1.
  #headerEnd(bytes: Uint8Array, from: number): number {
    for (let i = from; i < bytes.length - 1; i++) {
      if (bytes[i] !== 0x0a) continue;
      if (bytes[i + 1] === 0x0a) return i;
      if (bytes[i + 1] === 0x0d && i + 2 < bytes.length && bytes[i + 2] === 0x0a) return i;
    }
    return -1;
  }

  #separatorLength(bytes: Uint8Array, end: number): number {
    return bytes[end + 1] === 0x0d ? 3 : 2;
  }
}
