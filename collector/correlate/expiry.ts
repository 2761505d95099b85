/**
 * The fields of an `fstream_open_expired` document: an open whose close never came (issue 17).
 *
 * @module
 */
import type { XfrTotals } from "../decode/fstream.ts";
import type { Fields } from "./document.ts";

/**
 * Why an open expired: no close within `--open-timeout`, pushed out of a full cache, its user
 * disconnected with it still open (the forced close, sent before the disconnect, was lost), or
 * its server process ended (restarted, evicted from the server table, silent for too long).
 */
export type ExpiryReason =
  | "open_timeout"
  | "cache_full"
  | "user_disconnect"
  | "server_restart"
  | "server_evicted"
  | "server_silent";

/** What {@linkcode expiredFields} is built from. */
export interface ExpiredInput {
  readonly reason: ExpiryReason;
  /** When it expired (collector clock, Unix seconds). */
  readonly at: number;
  /** When its open arrived (collector clock). */
  readonly openedAt: number;
  /** The open's latest `xfr` totals, if any came. */
  readonly xfr?: XfrTotals;
}

/**
 * Expiry fields: reason, time, how long the file had been open, and the last `xfr` totals
 * (a lower bound of the bytes moved) when there were any.
 *
 * @example
 * ```ts
 * import { expiredFields } from "./expiry.ts";
 * const f = expiredFields({ reason: "open_timeout", at: 160, openedAt: 100,
 *   xfr: { read: 5, readv: 0, write: 0 } });
 * if (f.xrd_open_age !== 60 || f.xrd_XFR_read !== 5) throw new Error(JSON.stringify(f));
 * ```
 */
export function expiredFields(input: ExpiredInput): Fields {
  const out: Fields = {
    xrd_expire_reason: input.reason,
    xrd_expire_time: input.at,
    xrd_open_age: Math.round((input.at - input.openedAt) * 1000) / 1000,
    xrd_record_add_time: input.at,
    xrd_hasXfrInfo: input.xfr !== undefined,
  };
  if (input.xfr !== undefined) {
    out.xrd_XFR_read = input.xfr.read;
    out.xrd_XFR_readv = input.xfr.readv;
    out.xrd_XFR_write = input.xfr.write;
    out.xrd_derived_total_bytes = input.xfr.read + input.xfr.readv + input.xfr.write;
  }
  return out;
}
