/**
 * Decodes the binary records of an f-stream packet (spec section 5): the time window, then
 * open, close (Xfr, Ops and SSQ blocks), xfr and disconnect records, each walked by its own
 * declared `recSize`.
 *
 * @module
 */
import { utf8Text } from "./utf8.ts";
import { HEADER_SIZE } from "./header.ts";

/** f-stream record types (`recType`). */
export const RecType = { close: 0, open: 1, time: 2, xfr: 3, disc: 4 } as const;

/** The time window of an f-stream packet (its first record). */
export interface TimeWindow {
  /** Number of xfr records in the packet (`nRecs[0]`). */
  readonly xfrCount: number;
  /** Number of records after the time record (`nRecs[1]`). */
  readonly recordCount: number;
  /** When the first record was buffered (Unix seconds). */
  readonly tBeg: number;
  /** When the packet was sent (Unix seconds). */
  readonly tEnd: number;
  /** Server id (low 48 bits), absent in 16-byte time records of servers before 4.4. */
  readonly sid?: bigint;
}

/** Byte totals of an Xfr block (cumulative for the open). */
export interface XfrTotals {
  /** Bytes read with read/pgread. */
  readonly read: number;
  /** Bytes read with readv. */
  readonly readv: number;
  /** Bytes written. */
  readonly write: number;
}

/** The Ops block of a close record. */
export interface OpsBlock {
  readonly read: number;
  readonly readv: number;
  readonly write: number;
  readonly rsMin: number;
  readonly rsMax: number;
  readonly rsegs: number;
  readonly rdMin: number;
  readonly rdMax: number;
  readonly rvMin: number;
  readonly rvMax: number;
  readonly wrMin: number;
  readonly wrMax: number;
}

/** The SSQ block of a close record: sums of squares. */
export interface SsqBlock {
  /** Sum of squares of read request sizes. */
  readonly read: number;
  /** Sum of squares of readv request sizes. */
  readonly readv: number;
  /** Sum of squares of readv segment counts. */
  readonly rsegs: number;
  /** Sum of squares of write request sizes. */
  readonly write: number;
}

/** Fields every record after the time record has. */
interface PositionedRecord {
  /** 1-based position among the records after the time record. */
  readonly pos: number;
}

/** An open record. */
export interface OpenRecord extends PositionedRecord {
  readonly type: "open";
  readonly fileId: number;
  /** File size when opened. */
  readonly fileSize: number;
  /** `hasRW` flag. */
  readonly readWrite: boolean;
  /** `hasLFN` flag: `userId` and `lfn` are present. */
  readonly hasLfn: boolean;
  /** User dictid (0 when user monitoring is off or no LFN part). */
  readonly userId: number;
  /** Logical file name, cut at the first NUL. */
  readonly lfn?: string;
}

/** A close record. */
export interface CloseRecord extends PositionedRecord {
  readonly type: "close";
  readonly fileId: number;
  /** Closed because the client disconnected with the file open. */
  readonly forced: boolean;
  readonly xfr: XfrTotals;
  readonly ops?: OpsBlock;
  readonly ssq?: SsqBlock;
}

/** An xfr (progress) record of a file still open. */
export interface XfrRecord extends PositionedRecord {
  readonly type: "xfr";
  readonly fileId: number;
  readonly xfr: XfrTotals;
}

/** A disconnect record. */
export interface DiscRecord extends PositionedRecord {
  readonly type: "disc";
  /** User dictid of the session that ended; 0 for sub-streams without one. */
  readonly userId: number;
}

/** A record of a type this decoder does not know, skipped by its length. */
export interface UnknownRecord extends PositionedRecord {
  readonly type: "unknown";
  readonly recType: number;
  readonly recSize: number;
}

/** Any record after the time record. */
export type FRecord = OpenRecord | CloseRecord | XfrRecord | DiscRecord | UnknownRecord;

/** A decoded f-stream packet body. */
export interface FStreamBody {
  readonly window: TimeWindow;
  readonly records: FRecord[];
}

/** Why an f-stream body was rejected. */
export type FStreamError = { readonly error: string };

const CLOSE_XFR_SIZE = 32;
const CLOSE_OPS_SIZE = 80;
const CLOSE_SSQ_SIZE = 112;

function readXfr(view: DataView, at: number): XfrTotals {
  return {
    read: Number(view.getBigInt64(at + 8)),
    readv: Number(view.getBigInt64(at + 16)),
    write: Number(view.getBigInt64(at + 24)),
  };
}

function readOps(view: DataView, at: number): OpsBlock {
  return {
    read: view.getInt32(at + 32),
    readv: view.getInt32(at + 36),
    write: view.getInt32(at + 40),
    rsMin: view.getInt16(at + 44),
    rsMax: view.getInt16(at + 46),
    rsegs: Number(view.getBigInt64(at + 48)),
    rdMin: view.getInt32(at + 56),
    rdMax: view.getInt32(at + 60),
    rvMin: view.getInt32(at + 64),
    rvMax: view.getInt32(at + 68),
    wrMin: view.getInt32(at + 72),
    wrMax: view.getInt32(at + 76),
  };
}

function readSsq(view: DataView, at: number): SsqBlock {
  return {
    read: view.getFloat64(at + 80),
    readv: view.getFloat64(at + 88),
    rsegs: view.getFloat64(at + 96),
    write: view.getFloat64(at + 104),
  };
}

function readLfn(view: DataView, start: number, end: number): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + start, end - start);
  const nul = bytes.indexOf(0);
  return utf8Text(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function decodeRecord(
  view: DataView,
  at: number,
  size: number,
  pos: number,
): FRecord | FStreamError {
  const recType = view.getUint8(at);
  const flags = view.getUint8(at + 1);
  const word = view.getUint32(at + 4);
  switch (recType) {
    case RecType.open: {
      if (size < 16) return { error: `open record of ${size} bytes` };
      const hasLfn = (flags & 0x01) !== 0 && size >= 20;
      return {
        type: "open",
        pos,
        fileId: word,
        fileSize: Number(view.getBigInt64(at + 8)),
        readWrite: (flags & 0x02) !== 0,
        hasLfn,
        userId: hasLfn ? view.getUint32(at + 16) : 0,
        lfn: hasLfn ? readLfn(view, at + 20, at + size) : undefined,
      };
    }
    case RecType.close: {
      if (size < CLOSE_XFR_SIZE) return { error: `close record of ${size} bytes` };
      const hasOps = (flags & 0x02) !== 0 || (flags & 0x04) !== 0;
      const hasSsq = (flags & 0x04) !== 0;
      if (hasOps && size < CLOSE_OPS_SIZE) {
        return { error: `close record with Ops of ${size} bytes` };
      }
      if (hasSsq && size < CLOSE_SSQ_SIZE) {
        return { error: `close record with SSQ of ${size} bytes` };
      }
      return {
        type: "close",
        pos,
        fileId: word,
        forced: (flags & 0x01) !== 0,
        xfr: readXfr(view, at),
        ops: hasOps ? readOps(view, at) : undefined,
        ssq: hasSsq ? readSsq(view, at) : undefined,
      };
    }
    case RecType.xfr:
      if (size < 32) return { error: `xfr record of ${size} bytes` };
      return { type: "xfr", pos, fileId: word, xfr: readXfr(view, at) };
    case RecType.disc:
      return { type: "disc", pos, userId: word };
    case RecType.time:
      return { error: "time record after the first record" };
    default:
      return { type: "unknown", pos, recType, recSize: size };
  }
}

/**
 * Decodes the records of an f-stream packet whose header was already read; `view` spans exactly
 * the packet (`plen` bytes). A record with `recSize` < 8, running past the end, too short for
 * its flags, or trailing bytes make the whole packet an error: nothing half-decoded escapes.
 *
 * @example
 * ```ts
 * import { decodeFStream } from "./fstream.ts";
 * import assert from "node:assert/strict";
 * const bytes = new Uint8Array(32);
 * const view = new DataView(bytes.buffer);
 * view.setUint8(0, 0x66); view.setUint16(2, 32);
 * view.setUint8(8, 2); view.setUint8(9, 1); view.setUint16(10, 24);
 * decodeFStream(view); // { window: { recordCount: 0, … }, records: [] }
 * ```
 */
export function decodeFStream(view: DataView): FStreamBody | FStreamError {
  const end = view.byteLength;
  let at = HEADER_SIZE;
  if (end - at < 16) return { error: "f-stream packet without a time record" };
  if (view.getUint8(at) !== RecType.time) {
    return { error: "f-stream packet not led by a time record" };
  }
  const timeSize = view.getUint16(at + 2);
  if (timeSize !== 16 && timeSize !== 24) return { error: `time record of ${timeSize} bytes` };
  if (at + timeSize > end) return { error: "time record runs past the packet" };
  const window: TimeWindow = {
    xfrCount: view.getInt16(at + 4),
    recordCount: view.getInt16(at + 6),
    tBeg: view.getInt32(at + 8),
    tEnd: view.getInt32(at + 12),
    sid: timeSize === 24 ? view.getBigUint64(at + 16) & 0xffff_ffff_ffffn : undefined,
  };
  at += timeSize;
  const records: FRecord[] = [];
  let pos = 0;
  while (at < end) {
    if (end - at < 8) return { error: `${end - at} trailing bytes` };
    const size = view.getUint16(at + 2);
    if (size < 8) return { error: `record of ${size} bytes` };
    if (at + size > end) return { error: "record runs past the packet" };
    const record = decodeRecord(view, at, size, ++pos);
    if ("error" in record) return record;
    records.push(record);
    at += size;
  }
  return { window, records };
}
