/**
 * The g-stream (`xrootd.mongstream`, XRootD ≥ 5.0): plug-in monitoring events, in a datagram
 * with either the binary header or a text (CGI or JSON) header line. Layout in our words in
 * `docs/xrootd-fstream-collector.md` ("The g-stream"). Pure; never throws for bad input.
 *
 * Binary form: the common 8-byte header (code `g`), `tBeg` and `tEnd` (int32, Unix seconds of
 * the first and last event), an 8-byte id whose top byte is the provider letter and whose low
 * 48 bits are the server id, then the events as text lines separated by newlines, the last
 * byte a NUL. Text form (`send cgi|json`): a first line
 * `code=g&pseq=…&stod=…&sid=…&gs.type=C&gs.tbeg=…&gs.tend=…` or
 * `{"code":"g","pseq":…,"stod":…,"sid":…,"gs":{"type":"C","tbeg":…,"tend":…}}`, then the
 * events; its sequence number counts 0–999 on its own.
 *
 * @module
 */
import type { PacketHeader } from "./header.ts";
import { utf8Text } from "./utf8.ts";

/** Size of the binary g-stream header (common header + tBeg + tEnd + id). */
export const GSTREAM_HEADER_SIZE = 24;

/** One event line, parsed when it is a JSON object or CGI `k=v&…`, kept as text otherwise. */
export type GStreamEvent =
  | { readonly form: "json"; readonly value: Record<string, unknown> }
  | { readonly form: "cgi"; readonly value: Record<string, string> }
  | { readonly form: "text"; readonly value: string };

/** A decoded g-stream body. */
export interface GStreamBody {
  /** Provider letter (`C` cache, `M` cache context, `T` TCP, `P` TPC, `R` throttle, …). */
  readonly provider: string;
  /** Server id (low 48 bits of the binary id; the `sid` text of a text header). */
  readonly sid: string;
  /** Unix seconds of the first and the last event in the packet. */
  readonly tBeg: number;
  readonly tEnd: number;
  readonly events: readonly GStreamEvent[];
  /** Whether the packet had a text header line instead of the binary header. */
  readonly textHeader: boolean;
  /**
   * The text header's own sequence number, 0–999 (it wraps 999 → 0, so it cannot be reduced to
   * the 8-bit `pseq` without a jump at every wrap); absent for the binary header.
   */
  readonly textPseq?: number;
}

/** Most events taken from one packet (a 64 KiB packet of 8-byte events would hold 8,000). */
const MAX_EVENTS = 8192;

function parseCgi(line: string): Record<string, string> | undefined {
  if (!line.includes("=")) return undefined;
  const out: Record<string, string> = {};
  for (const pair of line.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    if (eq <= 0) return undefined;
    out[unescapeCgi(pair.slice(0, eq))] = unescapeCgi(pair.slice(eq + 1));
  }
  return out;
}

function unescapeCgi(text: string): string {
  const plain = text.replaceAll("+", " ");
  try {
    return decodeURIComponent(plain);
  } catch {
    return plain;
  }
}

function parseEvent(line: string): GStreamEvent {
  const first = line.charCodeAt(0);
  if (first === 0x7b /* { */) {
    try {
      const value = JSON.parse(line);
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        return { form: "json", value };
      }
    } catch {
      // Not JSON after all: kept as text below.
    }
  } else {
    const cgi = parseCgi(line);
    if (cgi !== undefined) return { form: "cgi", value: cgi };
  }
  return { form: "text", value: line };
}

function eventLines(text: string): GStreamEvent[] {
  const events: GStreamEvent[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\0+$/, "").trim();
    if (line === "") continue;
    events.push(parseEvent(line));
    if (events.length >= MAX_EVENTS) break;
  }
  return events;
}

/**
 * Decodes the body of a binary g-stream packet (after its common header).
 *
 * @example
 * ```ts
 * import { decodeGStream } from "./gstream.ts";
 * const bytes = new Uint8Array(24 + 3);
 * const view = new DataView(bytes.buffer);
 * view.setUint8(0, 0x67); view.setUint16(2, bytes.length); view.setUint8(16, 0x52);
 * bytes.set(new TextEncoder().encode("{}\0"), 24);
 * const body = decodeGStream(view);
 * if ("error" in body || body.provider !== "R" || body.events.length !== 1) throw new Error();
 * ```
 */
export function decodeGStream(view: DataView): GStreamBody | { error: string } {
  if (view.byteLength < GSTREAM_HEADER_SIZE) {
    return { error: `g-stream packet of ${view.byteLength} bytes, header needs 24` };
  }
  const tBeg = view.getInt32(8);
  const tEnd = view.getInt32(12);
  const provider = String.fromCharCode(view.getUint8(16));
  const sid = (view.getBigUint64(16) & 0xffffffffffffn).toString();
  const bytes = new Uint8Array(view.buffer, view.byteOffset + 24, view.byteLength - 24);
  return { provider, sid, tBeg, tEnd, events: eventLines(utf8Text(bytes)), textHeader: false };
}

const CGI_PREFIX = "code=g&";
const JSON_PREFIX = '{"code":"g"';

/**
 * Whether a datagram is a g-stream packet with a text header (`send cgi|json`).
 *
 * @example
 * ```ts
 * import { isTextGStream } from "./gstream.ts";
 * isTextGStream(new TextEncoder().encode("code=g&pseq=1")); // true
 * ```
 */
export function isTextGStream(bytes: Uint8Array): boolean {
  const prefix = bytes[0] === 0x63 ? CGI_PREFIX : bytes[0] === 0x7b ? JSON_PREFIX : undefined;
  if (prefix === undefined || bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function int(value: unknown): number {
  const n = typeof value === "number" ? value : Number(String(value ?? "").replaceAll("+", ""));
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/**
 * Decodes a g-stream packet with a text header line: the header it implies (its 0–999 `pseq`
 * taken modulo 256, as document ids use it) and the body (with the 0–999 number as `textPseq`,
 * which resequencing uses).
 *
 * @example
 * ```ts
 * import { decodeTextGStream } from "./gstream.ts";
 * const text = 'code=g&pseq=++7&stod=100&sid=42&gs.type=P&gs.tbeg=+5&gs.tend=+6\n{"a":1}\n';
 * const got = decodeTextGStream(new TextEncoder().encode(text));
 * if ("error" in got || got.body.provider !== "P" || got.header.pseq !== 7) throw new Error();
 * ```
 */
export function decodeTextGStream(
  bytes: Uint8Array,
): { header: PacketHeader; body: GStreamBody } | { error: string } {
  const text = utf8Text(bytes);
  const newline = text.indexOf("\n");
  const first = newline < 0 ? text : text.slice(0, newline);
  let fields: Record<string, unknown> | undefined;
  let gs: Record<string, unknown> | undefined;
  if (first.startsWith("{")) {
    try {
      const value = JSON.parse(first.replace(/\0+$/, ""));
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        fields = value;
        const inner = (value as Record<string, unknown>).gs;
        if (inner !== null && typeof inner === "object") gs = inner as Record<string, unknown>;
      }
    } catch {
      return { error: "g-stream text header is not JSON" };
    }
  } else {
    const cgi = parseCgi(first.replace(/\0+$/, "").replaceAll("+", ""));
    if (cgi !== undefined) {
      fields = cgi;
      gs = { type: cgi["gs.type"], tbeg: cgi["gs.tbeg"], tend: cgi["gs.tend"] };
    }
  }
  if (fields === undefined || gs === undefined || typeof gs.type !== "string" || gs.type === "") {
    return { error: "g-stream text header without gs.type" };
  }
  const header: PacketHeader = {
    code: "g",
    pseq: int(fields.pseq) & 0xff,
    plen: bytes.length,
    stod: int(fields.stod) | 0,
  };
  const body: GStreamBody = {
    provider: gs.type.slice(0, 1),
    sid: String(fields.sid ?? ""),
    tBeg: int(gs.tbeg),
    tEnd: int(gs.tend),
    events: newline < 0 ? [] : eventLines(text.slice(newline + 1)),
    textHeader: true,
    textPseq: ((int(fields.pseq) % 1000) + 1000) % 1000,
  };
  return { header, body };
}
