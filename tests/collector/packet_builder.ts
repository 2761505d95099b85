/**
 * Assembles monitoring packets byte by byte from the spec's layouts (section 2, 4, 5), for
 * decoder tests, fuzzing and benchmarks. Independent of the decoder: it writes offsets, it does
 * not import them.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Fields of the common header. */
export interface HeaderSpec {
  readonly code: string;
  readonly pseq: number;
  readonly stod: number;
}

/**
 * Wraps a body in the 8-byte header; `plen` is the real length unless overridden.
 *
 * @example
 * ```ts
 * packet({ code: "u", pseq: 1, stod: 1000 }, textBody(1, "xroot/a.1:2@h"));
 * ```
 */
export function packet(header: HeaderSpec, body: Uint8Array, plen?: number): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, header.code.charCodeAt(0));
  view.setUint8(1, header.pseq & 0xff);
  view.setUint16(2, plen ?? out.length);
  view.setInt32(4, header.stod);
  out.set(body, 8);
  return out;
}

/**
 * A text packet body: dictid + userid line + optional `\n` payload.
 *
 * @example
 * ```ts
 * textBody(5, "xroot/alice.42:7@host.example.org", "&p=unix&x=xrdcp");
 * ```
 */
export function textBody(dictId: number, userid: string, payload?: string): Uint8Array {
  const text = encoder.encode(payload === undefined ? userid : `${userid}\n${payload}`);
  const out = new Uint8Array(4 + text.length);
  new DataView(out.buffer).setUint32(0, dictId);
  out.set(text, 4);
  return out;
}

/**
 * Joins byte arrays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(concat(discRecord(1), discRecord(2)).length, 16);
 * ```
 */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function record(type: number, flags: number, size: number, word: number): [Uint8Array, DataView] {
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint8(0, type);
  view.setUint8(1, flags);
  view.setUint16(2, size);
  view.setUint32(4, word >>> 0);
  return [out, view];
}

/**
 * Time record (24 bytes with sID, 16 without).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(timeRecord({ nRecs: 2, tBeg: 10, tEnd: 12, sid: 7n }).length, 24);
 * ```
 */
export function timeRecord(
  spec: { nXfr?: number; nRecs: number; tBeg: number; tEnd: number; sid?: bigint },
): Uint8Array {
  const size = spec.sid === undefined ? 16 : 24;
  const [out, view] = record(2, spec.sid === undefined ? 0 : 1, size, 0);
  view.setInt16(4, spec.nXfr ?? 0);
  view.setInt16(6, spec.nRecs);
  view.setInt32(8, spec.tBeg);
  view.setInt32(12, spec.tEnd);
  if (spec.sid !== undefined) view.setBigUint64(16, spec.sid);
  return out;
}

/**
 * Open record; with an LFN it is NUL-padded the way the server pads it (5–8 NULs, size % 4).
 *
 * @example
 * ```ts
 * openRecord({ fileId: 2, size: 100, userId: 1, lfn: "/store/a" });
 * ```
 */
export function openRecord(
  spec: { fileId: number; size: number; rw?: boolean; userId?: number; lfn?: string },
): Uint8Array {
  const lfn = spec.lfn === undefined ? undefined : encoder.encode(spec.lfn);
  let size = 16;
  if (lfn !== undefined) {
    size = 20 + lfn.length + 5;
    while (size % 4 !== 0) size++;
  }
  const flags = (lfn !== undefined ? 0x01 : 0) | (spec.rw ? 0x02 : 0);
  const [out, view] = record(1, flags, size, spec.fileId);
  view.setBigInt64(8, BigInt(spec.size));
  if (lfn !== undefined) {
    view.setUint32(16, spec.userId ?? 0);
    out.set(lfn, 20);
  }
  return out;
}

/** Ops block values. */
export interface OpsSpec {
  read: number;
  readv: number;
  write: number;
  rsMin: number;
  rsMax: number;
  rsegs: number;
  rdMin: number;
  rdMax: number;
  rvMin: number;
  rvMax: number;
  wrMin: number;
  wrMax: number;
}

/**
 * Close record: 32 bytes, 80 with Ops, 112 with SSQ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(closeRecord({ fileId: 2, forced: true, read: 100, readv: 0, write: 0 }).length, 32);
 * ```
 */
export function closeRecord(spec: {
  fileId: number;
  forced?: boolean;
  read: number;
  readv: number;
  write: number;
  ops?: OpsSpec;
  ssq?: [number, number, number, number];
}): Uint8Array {
  const size = spec.ssq !== undefined ? 112 : spec.ops !== undefined ? 80 : 32;
  const flags = (spec.forced ? 0x01 : 0) | (spec.ops !== undefined ? 0x02 : 0) |
    (spec.ssq !== undefined ? 0x04 : 0);
  const [out, view] = record(0, flags, size, spec.fileId);
  view.setBigInt64(8, BigInt(spec.read));
  view.setBigInt64(16, BigInt(spec.readv));
  view.setBigInt64(24, BigInt(spec.write));
  if (spec.ops !== undefined) {
    const o = spec.ops;
    view.setInt32(32, o.read);
    view.setInt32(36, o.readv);
    view.setInt32(40, o.write);
    view.setInt16(44, o.rsMin);
    view.setInt16(46, o.rsMax);
    view.setBigInt64(48, BigInt(o.rsegs));
    view.setInt32(56, o.rdMin);
    view.setInt32(60, o.rdMax);
    view.setInt32(64, o.rvMin);
    view.setInt32(68, o.rvMax);
    view.setInt32(72, o.wrMin);
    view.setInt32(76, o.wrMax);
  }
  if (spec.ssq !== undefined) spec.ssq.forEach((v, i) => view.setFloat64(80 + 8 * i, v));
  return out;
}

/**
 * Xfr record (32 bytes).
 *
 * @example
 * ```ts
 * xfrRecord({ fileId: 2, read: 10, readv: 0, write: 0 });
 * ```
 */
export function xfrRecord(spec: { fileId: number; read: number; readv: number; write: number }) {
  const [out, view] = record(3, 0, 32, spec.fileId);
  view.setBigInt64(8, BigInt(spec.read));
  view.setBigInt64(16, BigInt(spec.readv));
  view.setBigInt64(24, BigInt(spec.write));
  return out;
}

/**
 * Disconnect record (8 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(discRecord(1).length, 8);
 * ```
 */
export function discRecord(userId: number): Uint8Array {
  return record(4, 0, 8, userId)[0];
}

/**
 * A record of an arbitrary type declaring `size` (at least 8 bytes are written).
 *
 * @example
 * ```ts
 * rawRecord(9, 20); // an unknown record type of 20 bytes
 * ```
 */
export function rawRecord(type: number, size: number): Uint8Array {
  const [out, view] = record(type, 0, Math.max(size, 8), 0);
  view.setUint16(2, size);
  return out;
}

/**
 * A whole f-stream packet: time record then the given records.
 *
 * @example
 * ```ts
 * fPacket({ pseq: 0, stod: 1000 }, { tBeg: 1, tEnd: 2 }, [discRecord(1)]);
 * ```
 */
export function fPacket(
  header: Omit<HeaderSpec, "code">,
  window: { tBeg: number; tEnd: number; sid?: bigint; nXfr?: number; nRecs?: number },
  records: Uint8Array[],
): Uint8Array {
  const time = timeRecord({ ...window, nRecs: window.nRecs ?? records.length });
  return packet({ ...header, code: "f" }, concat(time, ...records));
}

/** Fields of a binary g-stream packet. */
export interface GPacketSpec {
  readonly pseq: number;
  readonly stod: number;
  /** Provider letter (`C`, `P`, `R`, …). */
  readonly provider: string;
  /** Server id, low 48 bits. */
  readonly sid?: number;
  readonly tBeg: number;
  readonly tEnd: number;
}

/**
 * A g-stream packet with the binary header (common header, tBeg, tEnd, provider letter in the
 * top byte of the 8-byte id), the events as newline-separated lines, a NUL at the end.
 *
 * @example
 * ```ts
 * gPacket({ pseq: 0, stod: 1, provider: "R", tBeg: 5, tEnd: 6 }, ['{"event":"throttle_update"}']);
 * ```
 */
export function gPacket(spec: GPacketSpec, events: readonly string[]): Uint8Array {
  const text = encoder.encode(events.join("\n") + "\n");
  const body = new Uint8Array(16 + text.length);
  const view = new DataView(body.buffer);
  view.setInt32(0, spec.tBeg);
  view.setInt32(4, spec.tEnd);
  view.setBigUint64(8, BigInt(spec.sid ?? 0x5330ee5e8a34) & 0xffffffffffffn);
  view.setUint8(8, spec.provider.charCodeAt(0));
  body.set(text, 16);
  body[body.length - 1] = 0;
  return packet({ code: "g", pseq: spec.pseq, stod: spec.stod }, body);
}

/**
 * A g-stream packet with a text header line (`send cgi` or `send json`), as XRootD writes it:
 * pseq and times padded (with `+` in CGI), then the events, a NUL at the end.
 *
 * @example
 * ```ts
 * gTextPacket("cgi", { pseq: 7, stod: 1, provider: "P", tBeg: 5, tEnd: 6 }, ["{}"]);
 * ```
 */
export function gTextPacket(
  form: "cgi" | "json",
  spec: GPacketSpec,
  events: readonly string[],
): Uint8Array {
  const pad = (n: number, width: number) => String(n).padStart(width, " ");
  const sid = spec.sid ?? 91453756819764;
  const head = form === "cgi"
    ? `code=g&pseq=${pad(spec.pseq, 3)}&stod=${spec.stod}&sid=${sid}&gs.type=${spec.provider}` +
      `&gs.tbeg=${pad(spec.tBeg, 10)}&gs.tend=${pad(spec.tEnd, 10)}`.replaceAll(" ", "+")
    : `{"code":"g","pseq":${pad(spec.pseq, 3)},"stod":${spec.stod},"sid":${sid},` +
      `"gs":{"type":"${spec.provider}","tbeg":${pad(spec.tBeg, 10)},"tend":${pad(spec.tEnd, 10)}}}`;
  const text = form === "cgi"
    ? head.replace(/pseq=( *)(\d+)/, (_m, s, d) => `pseq=${"+".repeat(s.length)}${d}`)
    : head;
  const out = encoder.encode(`${text}\n${events.join("\n")}\n`);
  out[out.length - 1] = 0;
  return out;
}
