/**
 * Maps a parsed netlogger line to what the original loader posts (spec §7.3): metadata with the
 * RETR/STOR direction rule, then throughput and retransmits for CODE 226 or a `failures` value
 * for any other CODE.
 *
 * @module
 */
import { type AddressFamily, addressFamily, stripBrackets } from "./address.ts";
import { failureText } from "./ftp_codes.ts";
import { epochSeconds, parseNetloggerDate, throughputBits } from "./timestamps.ts";
import {
  type SensitiveFields,
  skip,
  subjectFields,
  type TransferOutcome,
  type TransferValue,
} from "./transfer.ts";

/** Looks up HOST's address of a family; `undefined` when it has none. */
export type HostLookup = (host: string, family: AddressFamily) => string | undefined;

/** Options of {@linkcode netloggerTransfer}. */
export interface NetloggerMappingOptions {
  /** HOST → address (already resolved by the caller). */
  readonly lookup: HostLookup;
  /** Sensitive fields to include. */
  readonly sensitive?: SensitiveFields;
}

const INTEGER = /^[+-]?\d+$/;

/**
 * A raw value as the original types it: an integer when it reads as one, else the string.
 *
 * @example
 * ```ts
 * import { typedValue } from "./netlogger_transfer.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(typedValue("131072"), 131072);
 * assert.deepEqual(typedValue("globus-gridftp-server"), "globus-gridftp-server");
 * ```
 */
export function typedValue(raw: string): string | number {
  return INTEGER.test(raw) ? Number(raw) : raw;
}

/**
 * The host lookup a RETR/STOR line needs (HOST and the family of its DEST), or `undefined`
 * when the line will be skipped before any lookup.
 *
 * @example
 * ```ts
 * import { netloggerHostQuery } from "./netlogger_transfer.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(netloggerHostQuery({ type: "RETR", host: "gridftp.example.net", dest: "[::1]" }), { host: "gridftp.example.net", family: 6 });
 * ```
 */
export function netloggerHostQuery(
  fields: Readonly<Record<string, string>>,
): { host: string; family: AddressFamily } | undefined {
  if (fields.type !== "RETR" && fields.type !== "STOR") return undefined;
  if (fields.host === undefined || fields.dest === undefined) return undefined;
  const family = addressFamily(stripBrackets(fields.dest));
  return family === undefined ? undefined : { host: fields.host, family };
}

const FREEFORM: readonly (readonly [string, string])[] = [
  ["bw-parallel-streams", "streams"],
  ["bw-stripes", "stripes"],
  ["gridftp-program", "prog"],
  ["gridftp-block-size", "block"],
  ["tcp-window-size", "buffer"],
  ["gridftp-bytes-transferred", "nbytes"],
];

function parseRetrans(raw: string | undefined): number[] | undefined {
  if (raw === undefined || raw === "") return [];
  const parts = raw.split(",");
  if (!parts.every((part) => INTEGER.test(part))) return undefined;
  return parts.map(Number);
}

/**
 * What one parsed netlogger line yields.
 *
 * @example
 * ```ts
 * import { parseNetloggerLine } from "./netlogger.ts";
 * import { netloggerTransfer } from "./netlogger_transfer.ts";
 * import assert from "node:assert/strict";
 * const { fields } = parseNetloggerLine(
 *   "DATE=20261124171854.347101 HOST=localhost START=20261124171854.344800 NBYTES=1048576 " +
 *     "DEST=[127.0.0.1] TYPE=RETR CODE=226",
 * );
 * const outcome = netloggerTransfer(fields, { lookup: () => "127.0.0.1" });
 * assert.deepEqual(outcome.action, "post");
 * ```
 */
export function netloggerTransfer(
  fields: Readonly<Record<string, string>>,
  options: NetloggerMappingOptions,
): TransferOutcome {
  const type = fields.type;
  if (type === undefined) return skip("malformed", "line has no TYPE field");
  if (type !== "RETR" && type !== "STOR") {
    return skip("not-transfer", `TYPE ${type} is not RETR/STOR`);
  }
  const metaError = (why: string) => skip("metadata", `could not generate metadata args: ${why}`);
  if (fields.dest === undefined) return metaError("no DEST field");
  if (fields.host === undefined) return metaError("no HOST field");
  const dest = stripBrackets(fields.dest);
  const family = addressFamily(dest);
  if (family === undefined) return metaError(`DEST '${dest}' is neither IPv4 nor IPv6`);
  const hostAddress = options.lookup(fields.host, family);
  if (hostAddress === undefined) {
    return metaError(`HOST '${fields.host}' has no IPv${family} address`);
  }
  const start = fields.start === undefined ? undefined : parseNetloggerDate(fields.start);
  if (start === undefined) return skip("malformed", `bad START '${fields.start ?? ""}'`);

  const freeform: [string, string | number][] = [];
  for (const [key, field] of FREEFORM) {
    if (fields[field] !== undefined) freeform.push([key, typedValue(fields[field])]);
  }
  const sensitive = options.sensitive ?? {};
  if (sensitive.file && fields.file !== undefined) freeform.push(["gridftp-file", fields.file]);
  if (sensitive.user && fields.user !== undefined) freeform.push(["gridftp-user", fields.user]);
  if (sensitive.volume && fields.volume !== undefined) {
    freeform.push(["gridftp-volume", fields.volume]);
  }

  const code = fields.code === undefined ? undefined : typedValue(fields.code);
  const values: TransferValue[] = [];
  if (code === 226) {
    const date = fields.date === undefined ? undefined : parseNetloggerDate(fields.date);
    if (date === undefined) return skip("malformed", `bad DATE '${fields.date ?? ""}'`);
    const nbytes = fields.nbytes === undefined ? undefined : typedValue(fields.nbytes);
    if (typeof nbytes !== "number") return skip("malformed", `bad NBYTES '${fields.nbytes ?? ""}'`);
    const retrans = parseRetrans(fields.retrans);
    if (retrans === undefined) return skip("malformed", `bad retrans '${fields.retrans}'`);
    const throughput = throughputBits(nbytes, date - start);
    if (throughput !== undefined) values.push({ eventType: "throughput", val: throughput });
    values.push({ eventType: "streams-packet-retransmits", val: retrans });
  } else {
    values.push({ eventType: "failures", val: { error: failureText(code) } });
  }
  return {
    action: "post",
    metadata: {
      ...subjectFields({ type, host: fields.host, hostAddress, dest }),
      eventTypes: ["throughput", "streams-packet-retransmits", "failures"],
      freeform,
    },
    ts: epochSeconds(start),
    values,
  };
}
