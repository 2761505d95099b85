/**
 * Server identity and document ids. Dictids are only unique within one server process, and
 * IP + `stod` is not unique either (two instances on one host started in the same second share
 * both, spec section 3), so a server process is identified by sender address, sender port
 * (constant for the life of an xrootd process) and `stod`.
 *
 * @module
 */

import type { Sender } from "../listen/sender.ts";

export type { Sender } from "../listen/sender.ts";

/**
 * The key of one server process: `<ip>:<port>-<stod>` (IPv6 addresses in brackets). It is the
 * prefix of every document id and the `serverId` handed to an older-events lookup.
 *
 * @example
 * ```ts
 * import { serverKey } from "./identity.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(serverKey({ hostname: "127.0.0.1", port: 38392 }, 1795393061), "127.0.0.1:38392-1795393061");
 * ```
 */
export function serverKey(sender: Sender, stod: number): string {
  const host = sender.hostname.includes(":") ? `[${sender.hostname}]` : sender.hostname;
  return `${host}:${sender.port}-${stod}`;
}

/**
 * A document id for a dictid of a server (`xrd_file_uniq_id`, `xrd_user_uniq_id`): the seed's
 * `<ip>-<stod>.<dictid>` with the sender port added so two servers cannot collide.
 *
 * @example
 * ```ts
 * import { uniqId } from "./identity.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(uniqId("127.0.0.1:38392-1795393061", 2), "127.0.0.1:38392-1795393061.2");
 * ```
 */
export function uniqId(server: string, dictId: number): string {
  return `${server}.${dictId}`;
}

/**
 * The domain part of a client host name (`lcgui05.gridpp.rl.ac.uk` → `gridpp.rl.ac.uk`), or
 * undefined for addresses and single-label names, where "drop the first label" means nothing.
 *
 * @example
 * ```ts
 * import { originSite } from "./identity.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(originSite("[::ffff:127.0.0.1]"), undefined);
 * ```
 */
export function originSite(host: string): string | undefined {
  if (host === "" || host.startsWith("[") || host.includes(":")) return undefined;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return undefined;
  const dot = host.indexOf(".");
  if (dot < 0 || dot === host.length - 1) return undefined;
  return host.slice(dot + 1);
}
