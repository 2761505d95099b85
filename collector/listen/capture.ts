/**
 * The capture file format of the real captures in `testdata/xrootd/`: NDJSON, one datagram a line,
 * `{"t": <arrival, float s>, "from": "<ip>:<port>", "b64": "<datagram, base64>"}`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { Sender } from "./sender.ts";

/** One captured datagram. */
export interface CapturedPacket {
  /** Arrival time, Unix seconds. */
  readonly t: number;
  readonly from: Sender;
  readonly bytes: Uint8Array;
}

/**
 * Parses `ip:port`, `[v6]:port` or a bare `v6:port` sender address.
 *
 * @example
 * ```ts
 * import { parseSender } from "./capture.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseSender("[::1]:9930"), { hostname: "::1", port: 9930 });
 * ```
 */
export function parseSender(text: string): Sender | undefined {
  const colon = text.lastIndexOf(":");
  if (colon <= 0) return undefined;
  let host = text.slice(0, colon);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535 || host === "") return undefined;
  return { hostname: host, port };
}

/**
 * Parses one capture line; returns an error string for a line that is not a capture record.
 *
 * @example
 * ```ts
 * import { parseCaptureLine } from "./capture.ts";
 * parseCaptureLine('{"t": 1, "from": "127.0.0.1:5", "b64": "AAE="}');
 * ```
 */
export function parseCaptureLine(line: string): CapturedPacket | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not JSON";
  }
  if (typeof value !== "object" || value === null) return "not a JSON object";
  const { t, from, b64 } = value as Record<string, unknown>;
  if (typeof t !== "number" || !Number.isFinite(t)) return "no numeric t";
  if (typeof from !== "string") return "no from";
  if (typeof b64 !== "string") return "no b64";
  const sender = parseSender(from);
  if (sender === undefined) return `bad from ${JSON.stringify(from)}`;
  const buffer = Buffer.from(b64, "base64");
  return {
    t,
    from: sender,
    bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
  };
}

/**
 * Formats one datagram as a capture line (with its newline).
 *
 * @example
 * ```ts
 * import { formatCaptureLine } from "./capture.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatCaptureLine({ t: 1.5, from: { hostname: "::1", port: 7 }, bytes: new Uint8Array([0]) }), '{"t": 1.5, "from": "[::1]:7", "b64": "AA=="}\n');
 * ```
 */
export function formatCaptureLine(packet: CapturedPacket): string {
  const host = packet.from.hostname.includes(":")
    ? `[${packet.from.hostname}]`
    : packet.from.hostname;
  const b64 = Buffer.from(packet.bytes.buffer, packet.bytes.byteOffset, packet.bytes.byteLength)
    .toString("base64");
  return `{"t": ${packet.t}, "from": ${
    JSON.stringify(`${host}:${packet.from.port}`)
  }, "b64": "${b64}"}\n`;
}

/**
 * Reads a capture file line by line without loading it whole; yields packets or, for bad
 * lines, `{ line, error }`.
 *
 * @example
 * ```ts
 * import { readCapture } from "./capture.ts";
 * async function badLines(path: string): Promise<number> {
 *   let bad = 0;
 *   for await (const item of readCapture(path)) if ("error" in item) bad++;
 *   return bad;
 * }
 * ```
 */
export async function* readCapture(
  path: string,
): AsyncGenerator<CapturedPacket | { readonly line: number; readonly error: string }> {
  using file = await Deno.open(path);
  const decoder = new TextDecoder();
  let rest = "";
  let lineNo = 0;
  const buf = new Uint8Array(1 << 20);
  while (true) {
    const n = await file.read(buf);
    const chunk = n === null
      ? decoder.decode()
      : decoder.decode(buf.subarray(0, n), { stream: true });
    rest += chunk;
    let start = 0;
    let nl: number;
    while ((nl = rest.indexOf("\n", start)) >= 0) {
      const line = rest.slice(start, nl).trim();
      start = nl + 1;
      lineNo++;
      if (line === "") continue;
      const parsed = parseCaptureLine(line);
      yield typeof parsed === "string" ? { line: lineNo, error: parsed } : parsed;
    }
    rest = rest.slice(start);
    if (n === null) break;
  }
  const last = rest.trim();
  if (last !== "") {
    lineNo++;
    const parsed = parseCaptureLine(last);
    yield typeof parsed === "string" ? { line: lineNo, error: parsed } : parsed;
  }
}
