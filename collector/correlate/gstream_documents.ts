/**
 * g-stream events → documents, one per event, `xrd_msg_type: "gstream_<provider>"`. Known
 * providers' JSON (read from XRootD's sources: the proxy file cache's `file_close`, the TPC
 * report, throttle updates, OSS statistics, HTTP request counts) get named `xrd_<provider>_…`
 * fields; the rest of an event is flattened under the same prefix, bounded in size. Unknown
 * provider letters are counted and skipped. Pure.
 *
 * @module
 */
import type { GStreamPacket } from "../decode/packet.ts";
import type { GStreamEvent } from "../decode/gstream.ts";
import type { Fields } from "./document.ts";
import { isoSeconds } from "./timestamps.ts";

/** Provider letter → name used in `xrd_msg_type` and field prefixes. */
export const GSTREAM_PROVIDERS: Readonly<Record<string, string>> = Object.freeze({
  C: "pfc",
  M: "ccm",
  T: "tcp",
  P: "tpc",
  R: "throttle",
  O: "oss",
  H: "http",
});

/** Context of {@linkcode gstreamDocuments}. */
export interface GStreamContext {
  /** `xrd_server`: the server's host name. */
  readonly server: string;
  /** Server key (`ip:port-stod`), prefix of the document ids. */
  readonly serverId: string;
  /** Arrival time (`xrd_record_add_time`). */
  readonly addTime: number;
  /** `--evt-type`. */
  readonly evtType: string;
}

/** One document: its id and fields. */
export interface GStreamDocument {
  readonly id: string;
  readonly fields: Fields;
}

const MAX_FIELDS = 200;
const MAX_TEXT = 4096;
const MAX_DEPTH = 4;

function fieldName(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 64);
}

function scalar(value: unknown): unknown {
  if (typeof value === "string") return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return value;
  return undefined;
}

/** Flattens `value` under `prefix` (nested keys joined with `_`), at most MAX_FIELDS fields. */
function flatten(out: Fields, prefix: string, value: Record<string, unknown>, depth = 0): void {
  for (const key in value) {
    if (Object.keys(out).length >= MAX_FIELDS) return;
    const name = `${prefix}_${fieldName(key)}`;
    const v = value[key];
    if (Array.isArray(v)) {
      const items = v.slice(0, 100).map((x) => scalar(x) ?? JSON.stringify(x)?.slice(0, MAX_TEXT));
      out[name] = items.map(String);
    } else if (v !== null && typeof v === "object") {
      if (depth < MAX_DEPTH) flatten(out, name, v as Record<string, unknown>, depth + 1);
      else out[name] = JSON.stringify(v).slice(0, MAX_TEXT);
    } else {
      const s = scalar(v);
      if (s !== undefined) out[name] = s;
    }
  }
}

function num(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function dateSeconds(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** The TPC report: `{TPC, Client, Xeq: {Beg, End, RC, Strm, Type, IPv}, Src, Dst, Size}`. */
function tpcFields(out: Fields, v: Record<string, unknown>): number | undefined {
  const xeq = (v.Xeq !== null && typeof v.Xeq === "object" ? v.Xeq : {}) as Record<string, unknown>;
  const set = (name: string, value: unknown) => {
    const s = scalar(value);
    if (s !== undefined) out[`xrd_tpc_${name}`] = s;
  };
  set("protocol", v.TPC);
  set("client", v.Client);
  set("src", v.Src);
  set("dst", v.Dst);
  set("size", num(v.Size));
  set("rc", num(xeq.RC));
  set("streams", num(xeq.Strm));
  set("direction", xeq.Type);
  if (xeq.IPv !== undefined) set("ip_version", String(xeq.IPv));
  const begin = dateSeconds(xeq.Beg);
  const end = dateSeconds(xeq.End);
  if (begin !== undefined) out.xrd_tpc_begin = isoMillis(begin);
  if (end !== undefined) out.xrd_tpc_end = isoMillis(end);
  if (begin !== undefined && end !== undefined) {
    out.xrd_tpc_duration = Math.round((end - begin) * 1000) / 1000;
    const size = num(v.Size);
    if (size !== undefined && end > begin) out.xrd_tpc_rate = size / (end - begin);
  }
  if (num(xeq.RC) !== undefined) out.xrd_tpc_success = num(xeq.RC) === 0;
  return end;
}

function isoMillis(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** HTTP request counts: `{"HTTP_<OP>_<STATUS>": {count, errors_network, …}, …}`. */
function httpFields(out: Fields, v: Record<string, unknown>): void {
  const requests: Fields[] = [];
  let count = 0;
  for (const key in v) {
    if (requests.length >= MAX_FIELDS) break;
    const stats = v[key];
    const m = /^HTTP_([A-Z]+)_(.+)$/.exec(key);
    if (m === null || stats === null || typeof stats !== "object") continue;
    const s = stats as Record<string, unknown>;
    const entry: Fields = { method: m[1], status: m[2].slice(0, 32) };
    for (
      const name of ["count", "errors_network", "errors_xrootd", "success", "duration_seconds"]
    ) {
      const n = num(s[name]);
      if (n !== undefined) entry[name] = n;
    }
    count += num(s.count) ?? 0;
    requests.push(entry);
  }
  out.xrd_http_requests = requests;
  out.xrd_http_count = count;
}

function eventFields(provider: string, event: GStreamEvent): { fields: Fields; time?: number } {
  const out: Fields = {};
  const prefix = `xrd_${provider}`;
  if (event.form === "text") {
    out.xrd_gstream_text = event.value.slice(0, MAX_TEXT);
    return { fields: out };
  }
  const v = event.value as Record<string, unknown>;
  let time: number | undefined;
  if (provider === "tpc" && event.form === "json") time = tpcFields(out, v);
  else if (provider === "http" && event.form === "json") httpFields(out, v);
  else {
    flatten(out, prefix, v);
    if (provider === "pfc") time = num(v.detach_t);
  }
  return { fields: out, time };
}

/**
 * Documents of one g-stream packet and the number of events skipped (unknown provider).
 *
 * @example
 * ```ts
 * import { gstreamDocuments } from "./gstream_documents.ts";
 * const packet = { kind: "gstream", header: { code: "g", pseq: 1, plen: 0, stod: 9 },
 *   provider: "R", sid: "7", tBeg: 100, tEnd: 101, textHeader: false,
 *   events: [{ form: "json", value: { event: "throttle_update", io_wait: 0.5 } }] } as const;
 * const { documents } = gstreamDocuments(packet,
 *   { server: "xrd", serverId: "s", addTime: 102, evtType: "xrd_fstream" });
 * if (documents[0].fields.xrd_throttle_io_wait !== 0.5) throw new Error();
 * ```
 */
export function gstreamDocuments(
  packet: GStreamPacket,
  ctx: GStreamContext,
): { documents: GStreamDocument[]; unknown: number } {
  const provider = GSTREAM_PROVIDERS[packet.provider];
  if (provider === undefined) return { documents: [], unknown: packet.events.length };
  const documents: GStreamDocument[] = [];
  packet.events.forEach((event, index) => {
    const { fields, time } = eventFields(provider, event);
    const at = time ?? (packet.tEnd > 0 ? packet.tEnd : ctx.addTime);
    documents.push({
      id:
        `gstream:${ctx.serverId}.${packet.provider}.${packet.tBeg}.${packet.header.pseq}.${index}`,
      fields: {
        "@timestamp": isoSeconds(at),
        type: ctx.evtType,
        xrd_msg_type: `gstream_${provider}`,
        xrd_gstream_provider: packet.provider,
        xrd_gstream_sid: packet.sid,
        xrd_gstream_tBeg: packet.tBeg,
        xrd_gstream_tEnd: packet.tEnd,
        xrd_gstream_event_index: index,
        xrd_gstream_form: event.form,
        xrd_server: ctx.server,
        xrd_record_add_time: ctx.addTime,
        ...fields,
      },
    });
  });
  return { documents, unknown: 0 };
}
