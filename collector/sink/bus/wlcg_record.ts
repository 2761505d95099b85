/**
 * WLCG file-access records (the GenericFileMonitoring fields CERN MONIT and OSG consume) from
 * the collector's `fstream_close` documents and the `fstream_open_expired` documents of
 * transfers that never closed. Pure: no I/O, no clock; the same document always gives the same
 * record, `unique_id` included.
 *
 * Field set and meaning follow the OSG collector's converter, with its mistakes fixed on
 * purpose (see docs/xrootd-fstream-collector-bus.md): `unique_id` is derived from the server
 * identity, the file's dictid and the open time instead of a random UUID; the `*_sigma` fields
 * come from the SSQ block instead of being always 0; `read_vector_count_average` is segments
 * per readv request (not per byte); min/max sentinels of pgread/pgwrite are reported as 0;
 * `client_domain`/`server_domain` are everything after the first label (not the last two);
 * `metadata.timestamp` is the record's end time, not the wall clock.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { stddev } from "../../correlate/derive.ts";
import { originSite } from "../../correlate/identity.ts";

/** How records are labelled (MONIT metadata and site). */
export interface WlcgRecordOptions {
  /** `metadata.producer` (MONIT routes on it; OSG's collector sends `cms`). */
  readonly producer: string;
  /** `metadata.type` (OSG's collector sends `aaa-ng`). */
  readonly type: string;
  /** `metadata.host`: the collector's host name. */
  readonly host: string;
  /** `site_name` and `server_site` (the `=` record's site is not in the documents). */
  readonly site?: string;
}

/** One WLCG record: flat fields plus `metadata`. */
export type WlcgRecord = Record<string, unknown>;

/** Document kinds a record is made from. */
export const WLCG_SOURCE_TYPES: ReadonlySet<string> = new Set([
  "fstream_close",
  "fstream_open_expired",
]);

// A fixed namespace for the name-based (version 5) UUIDs of `unique_id`.
const NAMESPACE = Uint8Array.from(
  "9e3c1f0a5b7d4e2fa1c86d0b3e7f5a21".match(/../g)!.map((h) => parseInt(h, 16)),
);

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1) of `name` in the collector's namespace.
 *
 * @example
 * ```ts
 * import { uuidFor } from "./wlcg_record.ts";
 * uuidFor("a") === uuidFor("a"); // true
 * /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuidFor("a")); // true
 * ```
 */
export function uuidFor(name: string): string {
  const hash = createHash("sha1").update(NAMESPACE).update(name, "utf8").digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

// The server reports min 0x7fffffff / max 0 for a kind whose requests all went through
// pgread/pgwrite (spec 8.1): no sizes known, reported as 0 like a kind without requests.
function bounds(ops: number, min: number, max: number): { min: number; max: number } {
  if (ops <= 0 || min > max) return { min: 0, max: 0 };
  return { min, max };
}

/** `<ip>` of `<ip>:<port>-<stod>.<dictid>` (IPv6 without its brackets). */
function senderIp(uniq: string): string {
  const bracketed = /^\[([^\]]*)\]:/.exec(uniq);
  if (bracketed) return bracketed[1];
  const colon = uniq.indexOf(":");
  return colon < 0 ? "" : uniq.slice(0, colon);
}

function firstLabel(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") < 0 ? undefined : -1);
  if (host.includes(":") || /^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  const dot = host.indexOf(".");
  return dot < 0 ? host : host.slice(0, dot);
}

/** The last `CN=` of a DN (proxies append `CN=<number>`s; those are skipped), else "". */
function commonName(dn: string): string {
  const names = [...dn.matchAll(/\/CN=([^/]*)/g)].map((m) => m[1]).filter((n) => !/^\d+$/.test(n));
  return names.at(-1) ?? "";
}

/** CMS CRAB job fields from an app info `<id>_<url>/<workflow>_<retry>`. */
function crab(appinfo: string): Record<string, string> {
  const parts = appinfo.split("_");
  if (parts.length !== 3) return {};
  return {
    CRAB_Id: parts[0],
    CRAB_Workflow: parts[1].split("/").at(-1) ?? "",
    CRAB_Retry: parts[2],
  };
}

/**
 * The WLCG record of a close (or expired-open) document body; undefined for other documents.
 *
 * @example
 * ```ts
 * import { wlcgRecord } from "./wlcg_record.ts";
 * const record = wlcgRecord({
 *   xrd_msg_type: "fstream_close",
 *   xrd_file_uniq_id: "127.0.0.1:38392-1795393061.2",
 *   xrd_lfn: "/store/a", xrd_fileOpenSize: 10,
 *   xrd_derived_open_time: 1795393062, xrd_derived_close_time: 1795393066,
 *   xrd_XFR_read: 10, xrd_OPS_read: 2, xrd_OPS_rdMin: 4, xrd_OPS_rdMax: 6, xrd_SSQ_read: 52,
 * }, { producer: "cms", type: "aaa-ng", host: "collector" })!;
 * record.read_single_average; // 5
 * record.read_single_sigma; // 1
 * record.operation_time; // 4
 * ```
 */
export function wlcgRecord(
  body: Record<string, unknown>,
  options: WlcgRecordOptions,
): WlcgRecord | undefined {
  const kind = str(body.xrd_msg_type);
  if (!WLCG_SOURCE_TYPES.has(kind)) return undefined;
  const fileId = str(body.xrd_file_uniq_id);
  const openTime = num(body.xrd_derived_open_time);
  const endTime = kind === "fstream_close"
    ? num(body.xrd_derived_close_time)
    : num(body.xrd_expire_time ?? body.xrd_record_add_time);
  const uniqueId = uuidFor(`${fileId}@${openTime}`);

  const read = num(body.xrd_XFR_read);
  const readv = num(body.xrd_XFR_readv);
  const write = num(body.xrd_XFR_write);
  const opsRead = num(body.xrd_OPS_read);
  const opsReadv = num(body.xrd_OPS_readv);
  const opsWrite = num(body.xrd_OPS_write);
  const rsegs = num(body.xrd_OPS_rsegs);
  const single = bounds(opsRead, num(body.xrd_OPS_rdMin), num(body.xrd_OPS_rdMax));
  const vector = bounds(opsReadv, num(body.xrd_OPS_rvMin), num(body.xrd_OPS_rvMax));
  const segs = bounds(opsReadv, num(body.xrd_OPS_rsMin), num(body.xrd_OPS_rsMax));
  const writes = bounds(opsWrite, num(body.xrd_OPS_wrMin), num(body.xrd_OPS_wrMax));
  const known = [single, vector].filter((b) => b.max > 0);
  const ssqRead = num(body.xrd_SSQ_read);
  const ssqReadv = num(body.xrd_SSQ_readv);

  const dn = str(body.xrd_auth_moninfo).split("::")[0] || str(body.xrd_auth_dn);
  const clientHost = str(body.xrd_host);
  const serverHost = str(body.xrd_server);
  const org = str(body.xrd_auth_org);
  const appinfo = str(body.xrd_appinfo);
  const site = options.site ?? "";

  const record: WlcgRecord = {
    site_name: site,
    fallback: true,
    user_dn: dn,
    user: commonName(dn) || str(body.xrd_user),
    client_host: firstLabel(clientHost),
    client_domain: originSite(clientHost) ?? "",
    server_host: firstLabel(serverHost),
    server_domain: originSite(serverHost) ?? "",
    server_ip: senderIp(fileId),
    server_site: site,
    unique_id: uniqueId,
    file_lfn: str(body.xrd_lfn),
    file_size: typeof body.xrd_fileOpenSize === "number" ? body.xrd_fileOpenSize : -1,
    start_time: Math.round(openTime * 1000),
    end_time: Math.round(endTime * 1000),
    operation_time: Math.max(0, Math.round(endTime - openTime)),
    operation: read + readv > 0 ? "read" : write > 0 ? "write" : "unknown",
    has_file_close_msg: kind === "fstream_close",
    ipv6: str(body.xrd_auth_ip_ver) === "6",
    user_protocol: str(body.xrd_prot),
    read_bytes: read + readv,
    read_bytes_at_close: read + readv,
    read_operations: opsRead + opsReadv,
    read_average: ratio(read + readv, opsRead + opsReadv),
    read_sigma: stddev(ssqRead + ssqReadv, read + readv, opsRead + opsReadv) ?? 0,
    read_min: known.length === 0 ? 0 : Math.min(...known.map((b) => b.min)),
    read_max: known.length === 0 ? 0 : Math.max(...known.map((b) => b.max)),
    read_single_bytes: read,
    read_single_operations: opsRead,
    read_single_average: ratio(read, opsRead),
    read_single_sigma: stddev(ssqRead, read, opsRead) ?? 0,
    read_single_min: single.min,
    read_single_max: single.max,
    read_vector_bytes: readv,
    read_vector_operations: opsReadv,
    read_vector_average: ratio(readv, opsReadv),
    read_vector_sigma: stddev(ssqReadv, readv, opsReadv) ?? 0,
    read_vector_min: vector.min,
    read_vector_max: vector.max,
    read_vector_count_average: ratio(rsegs, opsReadv),
    read_vector_count_sigma: stddev(num(body.xrd_SSQ_rsegs), rsegs, opsReadv) ?? 0,
    read_vector_count_min: segs.min,
    read_vector_count_max: segs.max,
    write_bytes: write,
    write_bytes_at_close: write,
    write_operations: opsWrite,
    write_average: ratio(write, opsWrite),
    write_sigma: stddev(num(body.xrd_SSQ_write), write, opsWrite) ?? 0,
    write_min: writes.min,
    write_max: writes.max,
  };
  if (org !== "") record.vo = org;
  if (appinfo !== "") Object.assign(record, { app_info: appinfo }, crab(appinfo));
  record.metadata = {
    producer: options.producer,
    type: options.type,
    timestamp: Math.round(endTime * 1000),
    type_prefix: "raw",
    host: options.host,
    _id: uniqueId,
  };
  return record;
}
