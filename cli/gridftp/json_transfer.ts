/**
 * Maps one line of the JSON transfer log (spec §7.4, `-J`) to what is posted. Only
 * `Transfer-End` lines of RETR/STOR transfers are stored; unlike the original, every event type
 * a record yields (the iostat/mpstat/rusage/streams-tcpinfo blobs too) is declared on its
 * metadata, so the archive keeps those values instead of dropping them.
 *
 * @module
 */
import { addressFamily } from "./address.ts";
import { failureText } from "./ftp_codes.ts";
import type { HostLookup } from "./netlogger_transfer.ts";
import { epochSeconds, parseEpochTimestamp, throughputBits } from "./timestamps.ts";
import {
  type SensitiveFields,
  skip,
  subjectFields,
  type TransferOutcome,
  type TransferValue,
} from "./transfer.ts";

/** Event types a JSON-log transfer declares, in posting order. */
export const JSON_EVENT_TYPES: readonly string[] = [
  "throughput",
  "streams-packet-retransmits",
  "iostat",
  "mpstat",
  "rusage",
  "streams-tcpinfo",
];

/** Options of {@linkcode jsonTransfer}. */
export interface JsonMappingOptions {
  /** HOST name → address, for logs whose `host` is a name rather than an address. */
  readonly lookup: HostLookup;
  /** Sensitive fields to include. */
  readonly sensitive?: SensitiveFields;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The original's key clean-up for the nested stat objects: lower-case, `/` → `_`, `%` removed
 * (`Total_Retrans` → `total_retrans`, `r/s` → `r_s`, `%util` → `util`). Only the top level of
 * the object is renamed; a missing object becomes `{}`.
 *
 * @example
 * ```ts
 * import { sanitizeKeys } from "./json_transfer.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(sanitizeKeys({ "%usr": 3.2, "nr_CPU": 2 }), { usr: 3.2, nr_cpu: 2 });
 * ```
 */
export function sanitizeKeys(value: unknown): JsonObject {
  if (!isObject(value)) return {};
  const out: JsonObject = {};
  for (const [key, val] of Object.entries(value)) {
    out[key.toLowerCase().replaceAll("/", "_").replaceAll("%", "")] = val;
  }
  return out;
}

/**
 * Parses one JSON log line; `undefined` when it is not a JSON object.
 *
 * @example
 * ```ts
 * import { parseJsonLine } from "./json_transfer.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseJsonLine('{"event_type":"Transfer-End"}')?.event_type, "Transfer-End");
 * assert.deepEqual(parseJsonLine("WARNING: Not setting log file permissions."), undefined);
 * ```
 */
export function parseJsonLine(line: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function present(value: unknown): value is string | number {
  return typeof value === "string" || typeof value === "number";
}

function numeric(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\s*[+-]?\d+(\.\d*)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * What one parsed JSON log object yields.
 *
 * @example
 * ```ts
 * import { jsonTransfer } from "./json_transfer.ts";
 * import assert from "node:assert/strict";
 * const outcome = jsonTransfer(
 *   { event_type: "Transfer-End", cmd_type: "LIST", host: "127.0.0.1", dest: "127.0.0.1" },
 *   { lookup: () => undefined },
 * );
 * assert.deepEqual(outcome.action, "skip");
 * ```
 */
export function jsonTransfer(record: JsonObject, options: JsonMappingOptions): TransferOutcome {
  const eventType = record.event_type;
  if (eventType !== "Transfer-End") {
    return skip("not-transfer", `event_type ${String(eventType ?? "missing")}`);
  }
  const type = record.cmd_type;
  if (type !== "RETR" && type !== "STOR") {
    return skip("not-transfer", `cmd_type ${String(type ?? "missing")} is not RETR/STOR`);
  }
  const metaError = (why: string) => skip("metadata", `could not generate metadata args: ${why}`);
  if (typeof record.host !== "string" || record.host.trim() === "") return metaError("no host");
  if (!present(record.dest)) return metaError("no dest");
  const host = record.host.trim();
  const dest = String(record.dest);
  let hostAddress: string | undefined = host;
  if (addressFamily(host) === undefined) {
    hostAddress = options.lookup(host, addressFamily(dest) ?? 4);
    if (hostAddress === undefined) return metaError(`host '${host}' has no address`);
  }
  const start = parseEpochTimestamp(record.start_timestamp);
  if (start === undefined) {
    return skip("malformed", `bad start_timestamp '${String(record.start_timestamp)}'`);
  }
  const nbytes = numeric(record.nbytes);
  if (nbytes === undefined) return skip("malformed", `bad nbytes '${String(record.nbytes)}'`);

  const streams = Array.isArray(record.streams) ? record.streams.filter(isObject) : [];
  const stripes = streams.reduce((max, s) => Math.max(max, numeric(s.stripe) ?? 0), 0) + 1;
  const freeform: [string, string | number][] = [];
  const addFree = (key: string, value: unknown) => {
    if (present(value)) freeform.push([key, value]);
  };
  addFree("bw-parallel-streams", record.nstreams);
  addFree("bw-stripes", stripes);
  addFree("gridftp-program", record.prog);
  addFree("gridftp-block-size", record.globus_blocksize);
  addFree("tcp-window-size", record.tcp_bufsize);
  addFree("gridftp-bytes-transferred", record.nbytes);
  const sensitive = options.sensitive ?? {};
  if (sensitive.file) addFree("gridftp-file", record.file);
  if (sensitive.user) addFree("gridftp-user", record.user);
  if (sensitive.volume) addFree("gridftp-volume", record.volume);

  const tcpinfo = streams.map((s) => {
    const { TCPinfo, ...rest } = s;
    return TCPinfo === undefined ? rest : { ...rest, TCPinfo: sanitizeKeys(TCPinfo) };
  });
  const values: TransferValue[] = [];
  // The original ignores ret_code. A Transfer-End that reports a failure (real servers write
  // 226 only) is stored like a failed netlogger line: a failures value, no throughput.
  const failed = typeof record.ret_code === "number" && record.ret_code !== 226 &&
    record.ret_code !== 0;
  const end = parseEpochTimestamp(record.end_timestamp);
  const throughput = end === undefined || failed ? undefined : throughputBits(nbytes, end - start);
  if (failed) {
    values.push({ eventType: "failures", val: { error: failureText(record.ret_code as number) } });
  }
  if (throughput !== undefined) values.push({ eventType: "throughput", val: throughput });
  values.push({
    eventType: "streams-packet-retransmits",
    val: tcpinfo.map((s) => (s.TCPinfo as JsonObject | undefined)?.total_retrans ?? null),
  });
  values.push({ eventType: "iostat", val: sanitizeKeys(record.iostat) });
  values.push({ eventType: "mpstat", val: sanitizeKeys(record.mpstat) });
  values.push({ eventType: "rusage", val: sanitizeKeys(record.getrusage) });
  values.push({ eventType: "streams-tcpinfo", val: tcpinfo });
  return {
    action: "post",
    metadata: {
      ...subjectFields({ type, host, hostAddress, dest }),
      eventTypes: failed ? [...JSON_EVENT_TYPES, "failures"] : JSON_EVENT_TYPES,
      freeform,
    },
    ts: epochSeconds(start),
    values,
  };
}
