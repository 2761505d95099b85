/**
 * The parts a document is assembled from, with the seed's field names: the fields of a user
 * login, of an open and of a close record. Pure functions.
 *
 * @module
 */
import type { CloseRecord, OpenRecord } from "../decode/fstream.ts";
import type { TextBody } from "../decode/text.ts";
import { deriveSpread } from "./derive.ts";
import { originSite } from "./identity.ts";
import type { RecordTiming } from "./timestamps.ts";

import type { Fields } from "./document.ts";

/** Document fields (see {@linkcode Part}). */
export type { Fields };

/**
 * `u` payload keys and the seed fields they fill, in the order the fields are written.
 *
 * @example
 * ```ts
 * import { AUTH_KEYS } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(AUTH_KEYS[0], ["p", "xrd_auth_auth_protocol"]);
 * ```
 */
export const AUTH_KEYS: ReadonlyArray<readonly [string, string]> = [
  ["p", "xrd_auth_auth_protocol"],
  ["n", "xrd_auth_dn"],
  ["h", "xrd_auth_client_hostname"],
  ["o", "xrd_auth_org"],
  ["r", "xrd_auth_role"],
  ["g", "xrd_auth_groups"],
  ["m", "xrd_auth_moninfo"],
  ["R", "xrd_auth_xrootd_ver"],
  ["x", "xrd_auth_xeqname"],
  ["y", "xrd_auth_client_info"],
  ["I", "xrd_auth_ip_ver"],
];

/** `AUTH_KEYS` index by the key's character code (all keys are one ASCII letter), else -1. */
const AUTH_INDEX = new Int8Array(128).fill(-1);
AUTH_KEYS.forEach(([key], i) => (AUTH_INDEX[key.charCodeAt(0)] = i));

/**
 * The values of the auth keys in `&key=value` text, by `AUTH_KEYS` index, with the rules of
 * `parseKeyValues` (first occurrence wins, a key without `=` has value `""`) but
 * without splitting the text or building a map: this runs for every login.
 */
function authValues(text: string): (string | undefined)[] {
  const values: (string | undefined)[] = new Array(AUTH_KEYS.length).fill(undefined);
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf("&", start);
    if (end < 0) end = text.length;
    const eq = text.indexOf("=", start);
    const keyEnd = eq < 0 || eq > end ? end : eq;
    const code = text.charCodeAt(start);
    if (keyEnd - start === 1 && code < 128) {
      const i = AUTH_INDEX[code];
      if (i >= 0 && values[i] === undefined) {
        values[i] = keyEnd === end ? "" : text.slice(keyEnd + 1, end);
      }
    }
    start = end + 1;
  }
  return values;
}

/**
 * The fields of a `u` (user login) record: the userid line, then the auth info keys.
 *
 * @example
 * ```ts
 * import { userFields } from "./fields.ts";
 * import { parseUserId } from "../decode/text.ts";
 * import assert from "node:assert/strict";
 * const body = { dictId: 1, userid: parseUserId("xroot/root.1:2@h.example.org"), payload: "&x=xrdcp" };
 * assert.deepEqual(userFields(body).xrd_auth_xeqname, "xrdcp");
 * ```
 */
export function userFields(body: TextBody): Fields {
  const id = body.userid;
  const out: Fields = {
    xrd_prot: id.prot,
    xrd_user: id.user,
    xrd_pid: id.pid,
    xrd_sid: id.sid,
    xrd_host: id.host,
  };
  if (body.payload !== undefined) {
    const values = authValues(body.payload);
    for (let i = 0; i < AUTH_KEYS.length; i++) {
      const value = values[i];
      if (value !== undefined) out[AUTH_KEYS[i][1]] = value;
    }
  }
  out.xrd_client = id.host;
  const site = originSite(id.host);
  if (site !== undefined) out.xrd_origin_site = site;
  return out;
}

/** Inputs of {@linkcode openFields}. */
export interface OpenFieldsInput {
  readonly record: OpenRecord;
  readonly timing: RecordTiming;
  readonly fileUniqId: string;
  /** Undefined when the open carries no user dictid. */
  readonly userUniqId?: string;
  /** Server host name (from the `=` record, else the sender address). */
  readonly server: string;
  /** Path from the `d` dictionary when the open has no LFN. */
  readonly pathFromDictionary?: string;
}

/**
 * The fields of an open record.
 *
 * @example
 * ```ts
 * import { openFields } from "./fields.ts";
 * import assert from "node:assert/strict";
 * const record = { type: "open", pos: 1, fileId: 2, fileSize: 10, readWrite: false, hasLfn: true,
 *   userId: 1, lfn: "/a" } as const;
 * const timing = { count: 1, pos: 1, tBeg: 5, tEnd: 6, derived: 5 };
 * assert.deepEqual(openFields({ record, timing, fileUniqId: "s.2", server: "vm" }).xrd_lfn, "/a");
 * ```
 */
export function openFields(input: OpenFieldsInput): Fields {
  const { record, timing } = input;
  const out: Fields = {
    xrd_file_uniq_id: input.fileUniqId,
    xrd_fileOpenSize: record.fileSize,
    xrd_openedRW: record.readWrite,
    xrd_hasLFN: record.hasLfn,
  };
  if (input.userUniqId !== undefined) out.xrd_user_uniq_id = input.userUniqId;
  const lfn = record.lfn ?? input.pathFromDictionary;
  if (lfn !== undefined) out.xrd_lfn = lfn;
  out.xrd_open_timestamp_req_count = timing.count;
  out.xrd_open_timestamp_tBeg = timing.tBeg;
  out.xrd_open_timestamp_tEnd = timing.tEnd;
  out.xrd_open_req_pos = timing.pos;
  out.xrd_server = input.server;
  out.xrd_derived_open_time = timing.derived;
  return out;
}

const NO_OPS = {
  read: 0,
  readv: 0,
  write: 0,
  rsMin: 0,
  rsMax: 0,
  rsegs: 0,
  rdMin: 0,
  rdMax: 0,
  rvMin: 0,
  rvMax: 0,
  wrMin: 0,
  wrMax: 0,
} as const;

/**
 * The fields of a close record: flags, timing, Xfr, Ops (zeros when absent, as the seed) and,
 * new here, the SSQ sums, the request-size spread derived from them, and how many packets of
 * the server were found missing so far (`lostPackets`).
 *
 * @example
 * ```ts
 * import { closeFields } from "./fields.ts";
 * import assert from "node:assert/strict";
 * const record = { type: "close", pos: 1, fileId: 2, forced: true,
 *   xfr: { read: 0, readv: 0, write: 0 } } as const;
 * const timing = { count: 1, pos: 1, tBeg: 5, tEnd: 6, derived: 5 };
 * assert.deepEqual(closeFields(record, timing, 5.5, 0).xrd_forceClose, true);
 * ```
 */
export function closeFields(
  record: CloseRecord,
  timing: RecordTiming,
  addTime: number,
  lostPackets: number,
): Fields {
  const ops = record.ops ?? NO_OPS;
  const out: Fields = {
    xrd_record_add_time: addTime,
    xrd_seq_lost_packets: lostPackets,
    xrd_forceClose: record.forced,
    xrd_close_timestamp_req_count: timing.count,
    xrd_close_timestamp_tBeg: timing.tBeg,
    xrd_close_timestamp_tEnd: timing.tEnd,
    xrd_close_req_pos: timing.pos,
    xrd_derived_close_time: timing.derived,
    xrd_XFR_read: record.xfr.read,
    xrd_XFR_readv: record.xfr.readv,
    xrd_XFR_write: record.xfr.write,
    xrd_OPS_read: ops.read,
    xrd_OPS_readv: ops.readv,
    xrd_OPS_write: ops.write,
    xrd_OPS_rsMin: ops.rsMin,
    xrd_OPS_rsMax: ops.rsMax,
    xrd_OPS_rsegs: ops.rsegs,
    xrd_OPS_rdMin: ops.rdMin,
    xrd_OPS_rdMax: ops.rdMax,
    xrd_OPS_rvMin: ops.rvMin,
    xrd_OPS_rvMax: ops.rvMax,
    xrd_OPS_wrMin: ops.wrMin,
    xrd_OPS_wrMax: ops.wrMax,
    xrd_hasOPS: record.ops !== undefined,
    xrd_hasSSQ: record.ssq !== undefined,
  };
  if (record.ssq !== undefined) {
    out.xrd_SSQ_read = record.ssq.read;
    out.xrd_SSQ_readv = record.ssq.readv;
    out.xrd_SSQ_rsegs = record.ssq.rsegs;
    out.xrd_SSQ_write = record.ssq.write;
    if (record.ops !== undefined) {
      Object.assign(out, deriveSpread(record.xfr, record.ops, record.ssq));
    }
  }
  return out;
}

/**
 * Adds what a `U` (experiment/activity codes) or `T` (token) record says about a login to
 * that login's fields.
 *
 * @example
 * ```ts
 * import { applyUserExtra } from "./fields.ts";
 * import assert from "node:assert/strict";
 * const fields: Record<string, unknown> = {};
 * applyUserExtra(fields, "U", new Map([["Uc", "1"], ["Ec", "3"], ["Ac", "4"]]));
 * assert.deepEqual(fields.xrd_exp_code, "3");
 * ```
 */
export function applyUserExtra(fields: Fields, code: string, kv: Map<string, string>): void {
  if (code === "U") {
    fields.xrd_exp_code = kv.get("Ec") ?? "";
    fields.xrd_act_code = kv.get("Ac") ?? "";
    return;
  }
  for (const [key, name] of TOKEN_KEYS) {
    const value = kv.get(key);
    if (value !== undefined) fields[`xrd_token_${name}`] = value;
  }
}

const TOKEN_KEYS = [["s", "subject"], ["n", "user"], ["o", "org"], ["r", "role"], ["g", "groups"]];
