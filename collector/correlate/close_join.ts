/**
 * Close-joining: what a close document is made of (its own fields, its open's, its user's,
 * derived stats), how a close missing its open or user is completed from an
 * {@linkcode OlderEventsLookup}, and the parts it is assembled from.
 *
 * @module
 */
import type { XfrTotals } from "../decode/fstream.ts";
import { type Fields, Part, withoutMeta } from "./document.ts";
import { DeriveRecipe } from "./part_recipes.ts";
import type { OlderEventsLookup } from "./sink_contracts.ts";

/**
 * What a close document is made of, filled in as it is found.
 *
 * @example
 * ```ts
 * import type { CloseState } from "./close_join.ts";
 * import { Part } from "./document.ts";
 * const state: CloseState = {
 *   closeTime: 1795390000, fileUniqId: "10.1.2.3:41000-1795389000.7", close: Part.of({}),
 *   xfr: { read: 0, readv: 0, write: 0 },
 * };
 * ```
 */
export interface CloseState {
  /** Derived close time, Unix seconds. */
  readonly closeTime: number;
  /** The file's unique id (`server.dictid`). */
  readonly fileUniqId: string;
  /** The close record's own fields. */
  readonly close: Part;
  /** Bytes moved, for the derived stats. */
  readonly xfr: XfrTotals;
  /** The open's fields, once found (cache or lookup). */
  open?: Part;
  /** The open's derived time, when known. */
  openTime?: number;
  /** User parts (login, app info); empty but defined when known to be inside `open`. */
  user?: Part[];
}

/** Options of {@linkcode joinCloseFromLookup}. */
export interface JoinCloseOptions {
  /** Where older opens and logins are searched. */
  readonly lookup: OlderEventsLookup;
  /** The close to complete (changed in place). */
  readonly state: CloseState;
  /** The close's file dictid. */
  readonly fileId: number;
  /** The user's dictid when the cached open named one. */
  readonly userDict: number | undefined;
  /** The server key. */
  readonly server: string;
  /** Emits the completed close. */
  readonly emit: (state: CloseState) => void;
}

/**
 * Fills a close's missing open and user from the lookup, then returns what emits it. The rare
 * path, so plain merging.
 *
 * @example
 * ```ts
 * import { type CloseState, joinCloseFromLookup } from "./close_join.ts";
 * import { Part } from "./document.ts";
 * import assert from "node:assert/strict";
 * const state: CloseState = {
 *   closeTime: 1795389100, fileUniqId: "10.1.2.3:41000-1795389000.7",
 *   close: Part.of({ xrd_msg_type: "fstream_close" }), xfr: { read: 10, readv: 0, write: 0 },
 * };
 * const emitted: CloseState[] = [];
 * const finish = await joinCloseFromLookup({
 *   lookup: { findOpen: () => Promise.resolve(undefined), findUser: () => Promise.resolve(undefined) },
 *   state, fileId: 7, userDict: undefined, server: "10.1.2.3:41000-1795389000",
 *   emit: (s) => emitted.push(s),
 * });
 * finish();
 * assert.equal(emitted.length, 1);
 * assert.equal(emitted[0].open, undefined); // the lookup found no open
 * ```
 */
export async function joinCloseFromLookup(options: JoinCloseOptions): Promise<() => void> {
  const { lookup, state, fileId, server, emit } = options;
  let userDict = options.userDict;
  let merged: Fields | undefined;
  if (state.open === undefined) {
    const open = await lookup.findOpen({ serverId: server, dictId: fileId });
    if (open !== undefined) {
      merged = withoutMeta(open);
      state.openTime = typeof open.xrd_derived_open_time === "number"
        ? open.xrd_derived_open_time
        : undefined;
      // An indexed open already carries its user's fields when they were known.
      if (open.xrd_hasUserInfo === true) state.user = [];
      const id = open.xrd_user_uniq_id;
      if (typeof id === "string") userDict = Number(id.slice(id.lastIndexOf(".") + 1));
    }
  } else {
    merged = { ...state.open.fields };
  }
  const dict = userDict ?? NaN;
  if (merged !== undefined && state.user === undefined && Number.isInteger(dict) && dict !== 0) {
    const user = await lookup.findUser({ serverId: server, dictId: dict });
    if (user !== undefined) {
      const keep = { ...merged };
      withoutMeta(user, merged);
      Object.assign(merged, keep);
      state.user = [];
    }
  }
  if (merged !== undefined) state.open = Part.found(merged);
  return () => emit(state);
}

/**
 * The `xrd_has…` flags of a close document (and its file id when the open is missing).
 *
 * @example
 * ```ts
 * import { type CloseState, closeFlags } from "./close_join.ts";
 * import { Part } from "./document.ts";
 * import assert from "node:assert/strict";
 * const state: CloseState = {
 *   closeTime: 1795389100, fileUniqId: "10.1.2.3:41000-1795389000.7",
 *   close: Part.of({ xrd_msg_type: "fstream_close" }), xfr: { read: 10, readv: 0, write: 0 },
 * };
 * assert.deepEqual(closeFlags(state).xrd_hasOpenInfo, false); // until an open is found
 * ```
 */
export function closeFlags(state: CloseState): Fields {
  const hasOpen = state.open !== undefined;
  const meta: Fields = {
    xrd_hasOpenInfo: hasOpen,
    xrd_hasUserInfo: state.user !== undefined,
    xrd_hasDerivedStats: hasOpen && state.openTime !== undefined,
  };
  if (!hasOpen) meta.xrd_file_uniq_id = state.fileUniqId;
  return meta;
}

/**
 * Appends a close's parts after its meta part: open, user, close, derived stats.
 *
 * @example
 * ```ts
 * import { appendCloseParts, type CloseState } from "./close_join.ts";
 * import { Part } from "./document.ts";
 * import assert from "node:assert/strict";
 * const state: CloseState = {
 *   closeTime: 1795389100, fileUniqId: "10.1.2.3:41000-1795389000.7",
 *   close: Part.of({ xrd_msg_type: "fstream_close" }), xfr: { read: 10, readv: 0, write: 0 },
 * };
 * const parts = [Part.of({ xrd_msg_type: "meta" })];
 * appendCloseParts(state, parts);
 * assert.equal(parts[1], state.close); // no open, no user: the close follows the meta part
 * ```
 */
export function appendCloseParts(state: CloseState, parts: Part[]): void {
  if (state.open !== undefined) parts.push(state.open);
  if (state.user !== undefined) parts.push(...state.user);
  parts.push(state.close);
  const openTime = state.openTime;
  if (state.open !== undefined && openTime !== undefined) {
    const { closeTime, xfr } = state;
    parts.push(Part.from(new DeriveRecipe({ openTime, closeTime, xfr })));
  }
}
