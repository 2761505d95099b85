/**
 * Decodes the text ("map") packets (`=`, `u`, `i`, `U`, `T`, `d`, `p`, `x`; spec section 4): a
 * dictid, a userid line and an optional payload after the first newline.
 *
 * @module
 */
import { utf8Text } from "./utf8.ts";
import { HEADER_SIZE } from "./header.ts";

/** The parts of a userid line `prot/user.pid:sid@host`. */
export interface UserId {
  /** The line exactly as received. */
  readonly raw: string;
  /** Protocol (`xroot`, `https`, `=` for server identification); empty when absent. */
  readonly prot: string;
  /** Login user name (may contain dots). */
  readonly user: string;
  /** Client process id (or session number in 5.6.5+), as text. */
  readonly pid: string;
  /** The server id (sID), as text. */
  readonly sid: string;
  /** Client host: a name or a bracketed address. */
  readonly host: string;
}

/** A decoded text packet body. */
export interface TextBody {
  /** The dictid (0 for `=`). */
  readonly dictId: number;
  readonly userid: UserId;
  /** Text after the first newline; undefined when the packet has no newline. */
  readonly payload?: string;
}

/**
 * Splits a userid line robustly: the host may hold `:` and `.`, the user may hold `.`.
 *
 * @example
 * ```ts
 * import { parseUserId } from "./text.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseUserId("xroot/alice.9462:91453756819764@[::ffff:127.0.0.1]").host, "[::ffff:127.0.0.1]");
 * ```
 */
export function parseUserId(raw: string): UserId {
  const at = raw.lastIndexOf("@");
  const host = at < 0 ? "" : raw.slice(at + 1);
  let rest = at < 0 ? raw : raw.slice(0, at);
  const slash = rest.indexOf("/");
  const prot = slash < 0 ? "" : rest.slice(0, slash);
  rest = slash < 0 ? rest : rest.slice(slash + 1);
  const colon = rest.indexOf(":");
  const sid = colon < 0 ? "" : rest.slice(colon + 1);
  rest = colon < 0 ? rest : rest.slice(0, colon);
  const dot = rest.lastIndexOf(".");
  const pid = dot < 0 ? "" : rest.slice(dot + 1);
  const user = dot < 0 ? rest : rest.slice(0, dot);
  return { raw, prot, user, pid, sid, host };
}

/**
 * Parses `&key=value&key=value` text by key; the first occurrence of a key wins (the server
 * repeats `&I=` in `u` records), unknown keys are kept, empty values stay empty strings.
 *
 * @example
 * ```ts
 * import { parseKeyValues } from "./text.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseKeyValues("&R=v5.5.3&I=4&I=4").get("I"), "4");
 * ```
 */
export function parseKeyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!out.has(key)) out.set(key, eq < 0 ? "" : part.slice(eq + 1));
  }
  return out;
}

/**
 * Decodes the body of a text packet; `view` spans exactly the packet.
 *
 * @example
 * ```ts
 * import { decodeText } from "./text.ts";
 * const text = new TextEncoder().encode("xroot/u.1:2@h\n&x=xrdcp");
 * const bytes = new Uint8Array(12 + text.length);
 * bytes.set(text, 12);
 * const body = decodeText(new DataView(bytes.buffer));
 * if (!("error" in body)) console.log(body.userid.prot); // "xroot"
 * ```
 */
export function decodeText(view: DataView): TextBody | { readonly error: string } {
  if (view.byteLength < HEADER_SIZE + 4) return { error: "text packet without a dictid" };
  const dictId = view.getUint32(HEADER_SIZE);
  const info = utf8Text(
    new Uint8Array(view.buffer, view.byteOffset + HEADER_SIZE + 4, view.byteLength - 12),
  );
  // Some senders NUL-terminate text; the NUL is not part of the value.
  const nul = info.indexOf("\0");
  const text = nul < 0 ? info : info.slice(0, nul);
  const newline = text.indexOf("\n");
  const line = newline < 0 ? text : text.slice(0, newline);
  return {
    dictId,
    userid: parseUserId(line),
    payload: newline < 0 ? undefined : text.slice(newline + 1),
  };
}
