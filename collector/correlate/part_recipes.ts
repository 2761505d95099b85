/**
 * Recipes of the big document parts (a login's, an open's, a close's fields): what each is
 * computed from, written compactly for the NDJSON output thread, which computes the fields
 * with the same functions (`fields.ts`) and serialises them. Building and stringifying these
 * parts was about half of the decoding thread's time; writing their inputs costs a fraction.
 * The small flat parts go by a codec of their own (`flat_field_codec.ts`), read back here too.
 *
 * @module
 */
import type { CloseRecord, OpenRecord } from "../decode/fstream.ts";
import { parseUserId, type TextBody } from "../decode/text.ts";
import { type FrameReader, type FrameWriter, strBytes } from "./frames.ts";
import type { Fields } from "./document.ts";
import { FLAT_RECIPE, readFlat } from "./flat_field_codec.ts";
import { closeFields, openFields, type OpenFieldsInput, userFields } from "./fields.ts";
import { type DeriveInput, deriveStats } from "./derive.ts";
import type { RecordTiming } from "./timestamps.ts";

/** How a part's fields are computed, and how to hand that to another thread. */
export interface PartRecipe {
  /** Which reader of {@linkcode readRecipe} reads it back. */
  readonly kind: number;
  /** Whether the part goes into several documents (a login, an open), so is worth keeping. */
  readonly shared: boolean;
  /** The fields, computed here. */
  fields(): Fields;
  /** Most bytes {@linkcode PartRecipe.write} takes. */
  maxBytes(): number;
  /** Writes the inputs; false (having written nothing) when they cannot go as a recipe. */
  write(w: FrameWriter): boolean;
}

// Recipe kinds, each the first byte of what its recipe writes (`FLAT_RECIPE` is the fifth).
const USER = 1;
const OPEN = 2;
const CLOSE = 3;
const DERIVE = 4;

function writeTiming(w: FrameWriter, t: RecordTiming): void {
  w.f64(t.count);
  w.f64(t.pos);
  w.f64(t.tBeg);
  w.f64(t.tEnd);
  w.f64(t.derived);
}

function readTiming(r: FrameReader): RecordTiming {
  return { count: r.f64(), pos: r.f64(), tBeg: r.f64(), tEnd: r.f64(), derived: r.f64() };
}

/**
 * A login's fields ({@linkcode userFields}).
 *
 * @example
 * ```ts
 * import { UserRecipe } from "./part_recipes.ts";
 * import { parseUserId } from "../decode/text.ts";
 * import assert from "node:assert/strict";
 * const recipe = new UserRecipe({ dictId: 1, userid: parseUserId("xroot/u.1:2@h"), payload: "&x=a" });
 * assert.deepEqual(recipe.fields().xrd_auth_xeqname, "a");
 * ```
 */
export class UserRecipe implements PartRecipe {
  readonly kind = USER;
  readonly shared = true;
  constructor(readonly body: TextBody) {}

  fields(): Fields {
    return userFields(this.body);
  }

  maxBytes(): number {
    return 1 + strBytes(this.body.userid.raw) + strBytes(this.body.payload);
  }

  write(w: FrameWriter): boolean {
    // The userid line only: its parts are `parseUserId(raw)` (as decoding made them).
    w.u8(USER);
    return w.str(this.body.userid.raw) && w.optStr(this.body.payload);
  }
}

/**
 * An open's fields ({@linkcode openFields}).
 *
 * @example
 * ```ts
 * import { OpenRecipe } from "./part_recipes.ts";
 * import assert from "node:assert/strict";
 * const record = { type: "open", pos: 1, fileId: 2, fileSize: 10, readWrite: false, hasLfn: true,
 *   userId: 1, lfn: "/a" } as const;
 * const timing = { count: 1, pos: 1, tBeg: 5, tEnd: 6, derived: 5 };
 * const recipe = new OpenRecipe({ record, timing, fileUniqId: "s.2", server: "vm" });
 * assert.deepEqual(recipe.fields().xrd_lfn, "/a");
 * ```
 */
export class OpenRecipe implements PartRecipe {
  readonly kind = OPEN;
  readonly shared = true;
  constructor(readonly input: OpenFieldsInput) {}

  fields(): Fields {
    return openFields(this.input);
  }

  #lfn(): string | undefined {
    return this.input.record.lfn ?? this.input.pathFromDictionary;
  }

  maxBytes(): number {
    const i = this.input;
    return 3 + 8 + 5 * 8 + strBytes(i.fileUniqId) + strBytes(i.userUniqId) + strBytes(i.server) +
      strBytes(this.#lfn());
  }

  write(w: FrameWriter): boolean {
    const i = this.input;
    w.u8(OPEN);
    w.f64(i.record.fileSize);
    w.u8(i.record.readWrite ? 1 : 0);
    w.u8(i.record.hasLfn ? 1 : 0);
    writeTiming(w, i.timing);
    return w.str(i.fileUniqId) && w.optStr(i.userUniqId) && w.str(i.server) &&
      w.optStr(this.#lfn());
  }
}

/**
 * A close's fields ({@linkcode closeFields}).
 *
 * @example
 * ```ts
 * import { CloseRecipe } from "./part_recipes.ts";
 * import assert from "node:assert/strict";
 * const record = { type: "close", pos: 1, fileId: 2, forced: true,
 *   xfr: { read: 0, readv: 0, write: 0 } } as const;
 * const timing = { count: 1, pos: 1, tBeg: 5, tEnd: 6, derived: 5 };
 * assert.deepEqual(new CloseRecipe(record, timing, 5.5, 0).fields().xrd_forceClose, true);
 * ```
 */
export class CloseRecipe implements PartRecipe {
  readonly kind = CLOSE;
  readonly shared = false;
  constructor(
    readonly record: CloseRecord,
    readonly timing: RecordTiming,
    readonly addTime: number,
    readonly lostPackets: number,
  ) {}

  fields(): Fields {
    return closeFields(this.record, this.timing, this.addTime, this.lostPackets);
  }

  maxBytes(): number {
    return 4 + 8 * (3 + 12 + 4 + 5 + 2);
  }

  write(w: FrameWriter): boolean {
    const { xfr, ops, ssq } = this.record;
    w.u8(CLOSE);
    w.u8(this.record.forced ? 1 : 0);
    w.f64(xfr.read);
    w.f64(xfr.readv);
    w.f64(xfr.write);
    if (ops === undefined) w.u8(0);
    else {
      w.u8(1);
      w.f64(ops.read);
      w.f64(ops.readv);
      w.f64(ops.write);
      w.f64(ops.rsMin);
      w.f64(ops.rsMax);
      w.f64(ops.rsegs);
      w.f64(ops.rdMin);
      w.f64(ops.rdMax);
      w.f64(ops.rvMin);
      w.f64(ops.rvMax);
      w.f64(ops.wrMin);
      w.f64(ops.wrMax);
    }
    if (ssq === undefined) w.u8(0);
    else {
      w.u8(1);
      w.f64(ssq.read);
      w.f64(ssq.readv);
      w.f64(ssq.rsegs);
      w.f64(ssq.write);
    }
    writeTiming(w, this.timing);
    w.f64(this.addTime);
    w.f64(this.lostPackets);
    return true;
  }
}

/**
 * A close's derived rates and totals ({@linkcode deriveStats}).
 *
 * @example
 * ```ts
 * import { DeriveRecipe } from "./part_recipes.ts";
 * import assert from "node:assert/strict";
 * const recipe = new DeriveRecipe({ openTime: 1, closeTime: 3, xfr: { read: 4, readv: 0, write: 0 } });
 * assert.deepEqual(recipe.fields().xrd_derived_read_rate, 2);
 * ```
 */
export class DeriveRecipe implements PartRecipe {
  readonly kind = DERIVE;
  readonly shared = false;
  constructor(readonly input: DeriveInput) {}

  fields(): Fields {
    return deriveStats(this.input);
  }

  maxBytes(): number {
    return 1 + 5 * 8;
  }

  write(w: FrameWriter): boolean {
    const { openTime, closeTime, xfr } = this.input;
    w.u8(DERIVE);
    w.f64(openTime);
    w.f64(closeTime);
    w.f64(xfr.read);
    w.f64(xfr.readv);
    w.f64(xfr.write);
    return true;
  }
}

function readDerive(r: FrameReader): Fields {
  const openTime = r.f64();
  const closeTime = r.f64();
  return deriveStats({
    openTime,
    closeTime,
    xfr: { read: r.f64(), readv: r.f64(), write: r.f64() },
  });
}

function readUser(r: FrameReader): Fields {
  const userid = parseUserId(r.str());
  const payload = r.optStr();
  // `dictId` is not read by `userFields`.
  return userFields({ dictId: 0, userid, payload });
}

function readOpen(r: FrameReader): Fields {
  const fileSize = r.f64();
  const readWrite = r.bool();
  const hasLfn = r.bool();
  const timing = readTiming(r);
  const fileUniqId = r.str();
  const userUniqId = r.optStr();
  const server = r.str();
  const lfn = r.optStr();
  const record: OpenRecord = {
    type: "open",
    pos: timing.pos,
    fileId: 0,
    fileSize,
    readWrite,
    hasLfn,
    userId: 0,
    lfn,
  };
  return openFields({ record, timing, fileUniqId, userUniqId, server });
}

function readClose(r: FrameReader): Fields {
  const forced = r.bool();
  const xfr = { read: r.f64(), readv: r.f64(), write: r.f64() };
  const ops = r.u8() === 0 ? undefined : {
    read: r.f64(),
    readv: r.f64(),
    write: r.f64(),
    rsMin: r.f64(),
    rsMax: r.f64(),
    rsegs: r.f64(),
    rdMin: r.f64(),
    rdMax: r.f64(),
    rvMin: r.f64(),
    rvMax: r.f64(),
    wrMin: r.f64(),
    wrMax: r.f64(),
  };
  const ssq = r.u8() === 0
    ? undefined
    : { read: r.f64(), readv: r.f64(), rsegs: r.f64(), write: r.f64() };
  const timing = readTiming(r);
  const addTime = r.f64();
  const lost = r.f64();
  const record: CloseRecord = { type: "close", pos: timing.pos, fileId: 0, forced, xfr, ops, ssq };
  return closeFields(record, timing, addTime, lost);
}

/**
 * Reads a recipe written by a {@linkcode PartRecipe} (its kind byte first) and computes its
 * fields, as the recipe's own `fields()` would have.
 *
 * @example
 * ```ts
 * import { CloseRecipe, readRecipe } from "./part_recipes.ts";
 * import { FrameReader, FrameWriter } from "./frames.ts";
 * import assert from "node:assert/strict";
 * const record = { type: "close", pos: 1, fileId: 2, forced: false,
 *   xfr: { read: 1, readv: 0, write: 0 } } as const;
 * const recipe = new CloseRecipe(record, { count: 1, pos: 1, tBeg: 5, tEnd: 6, derived: 5 }, 5.5, 0);
 * const w = new FrameWriter();
 * w.use(new Uint8Array(recipe.maxBytes()), 0);
 * recipe.write(w);
 * const r = new FrameReader();
 * r.use(w.bytes, 0);
 * assert.deepEqual(readRecipe(r), recipe.fields());
 * ```
 */
export function readRecipe(r: FrameReader): Fields {
  const kind = r.u8();
  switch (kind) {
    case USER:
      return readUser(r);
    case OPEN:
      return readOpen(r);
    case CLOSE:
      return readClose(r);
    case DERIVE:
      return readDerive(r);
    case FLAT_RECIPE:
      return readFlat(r);
  }
  throw new Error(`unknown part recipe ${kind}`);
}
