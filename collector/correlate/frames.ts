/**
 * The framing of what the NDJSON sink hands its output thread: instead of finished JSON
 * lines, a document may arrive as its parts, some of them only the few numbers and strings
 * they are computed from (a "recipe"), so that building and serialising the big parts runs on
 * the output thread (`sink/output_worker.ts`) and not on the decoding thread. It lives with
 * the correlate stage, which writes documents this way (`document.ts`, `part_recipes.ts`):
 * the sink only carries the bytes and reads them back (`sink/frame_render.ts`).
 *
 * A frame is a little-endian `u32` byte length and that many bytes; the first is its kind:
 * {@linkcode FRAME_LINE} (bytes written as they are) or {@linkcode FRAME_DOCUMENT} (a `u8`
 * part count, then per part {@linkcode PART_TEXT} and a length-prefixed JSON object text, or
 * {@linkcode PART_RECIPE}, a `u8` recipe kind and what that recipe writes, or
 * {@linkcode PART_SHARED}, a `u32` part id and a recipe: the output thread keeps that part's
 * text in slot `id % SHARED_SLOTS`, and a later {@linkcode PART_REF} with the id reuses it, so
 * a login or open that goes into several documents is computed there once, as it is here).
 *
 * @module
 */
import { utf8Text } from "../decode/utf8.ts";

/** Frame kind: bytes to write out unchanged (a finished line). */
export const FRAME_LINE = 1;
/** Frame kind: one document as parts, merged into one JSON line by the output thread. */
export const FRAME_DOCUMENT = 2;
/** Frame kind: padding, skipped (keeps the ring's offsets 8-aligned). */
export const FRAME_PAD = 3;
/** Part kind: a JSON object text (`{…}`). */
export const PART_TEXT = 1;
/** Part kind: a recipe kind and its inputs; the output thread computes the fields. */
export const PART_RECIPE = 2;
/** Part kind: a `u32` id, then a recipe whose text the output thread keeps under that id. */
export const PART_SHARED = 3;
/** Part kind: a `u32` id of a part the output thread still keeps (see `SHARED_SLOTS`). */
export const PART_REF = 4;
/**
 * Slots of shared part texts on the output thread. Ids are handed out in order and slot
 * `id % SHARED_SLOTS` holds the latest, so a part is still held there exactly while fewer
 * than this many ids were handed out after its own: the writer knows without being told.
 */
export const SHARED_SLOTS = 8192;

const encoder = new TextEncoder();
/** Strings up to this length are tried as ASCII by hand before `encodeInto`. */
const SHORT_STRING = 256;

/**
 * Writes frames into a byte chunk the caller has made room in (see `reserve` of the caller):
 * nothing here checks bounds, each value's most bytes are counted by whoever reserves.
 *
 * @example
 * ```ts
 * import { FrameReader, FrameWriter } from "./frames.ts";
 * import assert from "node:assert/strict";
 * const w = new FrameWriter();
 * w.use(new Uint8Array(64), 0);
 * w.f64(1.5);
 * w.str("é");
 * const r = new FrameReader();
 * r.use(w.bytes, 0);
 * assert.deepEqual([r.f64(), r.str()], [1.5, "é"]);
 * ```
 */
export class FrameWriter {
  /** The chunk written into. */
  bytes: Uint8Array = new Uint8Array(0);
  /** The next offset in `bytes`. */
  at = 0;
  /** The id the next shared part gets (see {@linkcode PART_SHARED}). */
  nextSharedId = 0;
  #view: DataView = new DataView(new ArrayBuffer(0));
  /** Field names the output thread was sent, by id (their order of first use). */
  #keys = new Map<string, number>();
  /** Names first sent in the frame being written: forgotten again if it is given up. */
  #newKeys: string[] = [];

  /**
   * A field name: a `u16` id once the output thread knows it, else {@linkcode NEW_KEY} and
   * the name (which gets the next id there), or beyond {@linkcode MAX_KEYS} names
   * {@linkcode INLINE_KEY} and the name. At most `7 + 3 × length` bytes; false as for `str`.
   */
  key(name: string): boolean {
    const id = this.#keys.get(name);
    if (id !== undefined) {
      this.#view.setUint16(this.at, id, true);
      this.at += 2;
      return true;
    }
    const known = this.#keys.size < MAX_KEYS;
    this.#view.setUint16(this.at, known ? NEW_KEY : INLINE_KEY, true);
    this.at += 2;
    if (!this.str(name)) return false;
    if (known) {
      this.#keys.set(name, this.#keys.size);
      this.#newKeys.push(name);
    }
    return true;
  }

  /** The frame written is complete: the names first sent in it stay known. */
  commit(): void {
    if (this.#newKeys.length > 0) this.#newKeys = [];
  }

  /** The frame written is given up (to be overwritten): its new names were never sent. */
  rollback(): void {
    for (const name of this.#newKeys) this.#keys.delete(name);
    this.#newKeys = [];
  }

  /** Whether the output thread still holds the shared part `id` (see `SHARED_SLOTS`). */
  holds(id: number): boolean {
    return this.nextSharedId - id <= SHARED_SLOTS;
  }

  /** Writes into `bytes` from `at` on. */
  use(bytes: Uint8Array, at: number): void {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.at = at;
  }

  /** One byte. */
  u8(value: number): void {
    this.bytes[this.at++] = value;
  }

  /** An unsigned 32-bit integer. */
  u32(value: number): void {
    this.#view.setUint32(this.at, value, true);
    this.at += 4;
  }

  /** Overwrites the `u32` at `offset` (a length known only afterwards). */
  u32At(offset: number, value: number): void {
    this.#view.setUint32(offset, value, true);
  }

  /** A double: every number of a record survives the trip exactly. */
  f64(value: number): void {
    this.#view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  /**
   * A string as a `u32` byte length and UTF-8 (at most `4 + 3 × length` bytes); false, with
   * the string not written, when it is not well-formed (UTF-8 would change a lone surrogate:
   * the caller sends that part as text instead).
   */
  str(value: string): boolean {
    const bytes = this.bytes;
    const start = this.at + 4;
    const n = value.length;
    // Short ASCII by hand: `encodeInto`'s fixed cost per call is most of a short string's.
    if (n <= SHORT_STRING) {
      let i = 0;
      for (; i < n; i++) {
        const code = value.charCodeAt(i);
        if (code > 0x7f) break;
        bytes[start + i] = code;
      }
      if (i === n) {
        this.#view.setUint32(this.at, n, true);
        this.at = start + n;
        return true;
      }
    }
    if (!value.isWellFormed()) return false;
    const written = encoder.encodeInto(value, bytes.subarray(start)).written;
    this.#view.setUint32(this.at, written, true);
    this.at = start + written;
    return true;
  }

  /** A `u8` presence flag and, when present, the string (false as for `str`). */
  optStr(value: string | undefined): boolean {
    if (value === undefined) {
      this.u8(0);
      return true;
    }
    this.u8(1);
    return this.str(value);
  }
}

/** Field names given ids; later ones are sent in full each time. */
export const MAX_KEYS = 4096;
/** Key marker: a new name follows, which gets the next id. */
export const NEW_KEY = 0xffff;
/** Key marker: a name follows that gets no id. */
export const INLINE_KEY = 0xfffe;

/** Most bytes {@linkcode FrameWriter.str} takes for `value`. */
export function strBytes(value: string | undefined): number {
  return value === undefined ? 1 : 5 + value.length * 3;
}

/**
 * Reads what {@linkcode FrameWriter} wrote, in the same order.
 *
 * @example
 * ```ts
 * import { FrameReader, FrameWriter } from "./frames.ts";
 * import assert from "node:assert/strict";
 * const w = new FrameWriter();
 * w.use(new Uint8Array(16), 0);
 * w.optStr(undefined);
 * w.u32(7);
 * const r = new FrameReader();
 * r.use(w.bytes, 0);
 * assert.deepEqual([r.optStr(), r.u32()], [undefined, 7]);
 * ```
 */
export class FrameReader {
  /** The bytes read from. */
  bytes: Uint8Array = new Uint8Array(0);
  /** The next offset in `bytes`. */
  at = 0;
  #view: DataView = new DataView(new ArrayBuffer(0));
  /** Field names by id, as {@linkcode FrameWriter.key} handed them out. */
  #keys: string[] = [];

  /** Reads `bytes` from `at` on. */
  use(bytes: Uint8Array, at: number): void {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.at = at;
  }

  /** One byte. */
  u8(): number {
    return this.bytes[this.at++];
  }

  /** A flag byte as a boolean. */
  bool(): boolean {
    return this.bytes[this.at++] !== 0;
  }

  /** An unsigned 32-bit integer. */
  u32(): number {
    const value = this.#view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  /** A double. */
  f64(): number {
    const value = this.#view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }

  /** A string. */
  str(): string {
    const n = this.u32();
    const start = this.at;
    this.at += n;
    return utf8Text(this.bytes.subarray(start, start + n));
  }

  /** A field name written by {@linkcode FrameWriter.key}. */
  key(): string {
    const id = this.#view.getUint16(this.at, true);
    this.at += 2;
    if (id < INLINE_KEY) return this.#keys[id];
    const name = this.str();
    if (id === NEW_KEY) this.#keys.push(name);
    return name;
  }

  /** A string written by {@linkcode FrameWriter.optStr}. */
  optStr(): string | undefined {
    return this.u8() === 0 ? undefined : this.str();
  }
}
