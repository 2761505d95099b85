/**
 * The flat-field codec: the small parts made from fields at hand (a document's metadata, add
 * time, app info) have no recipe to send, but they are flat (strings, numbers, booleans,
 * null), so the output thread can be sent the fields themselves, keys as the frame writer's
 * ids, and serialise them there instead of here. It is one more recipe kind for
 * `readRecipe` (`part_recipes.ts`), apart from the recipes because it serves any flat part,
 * not one kind of record.
 *
 * @module
 */
import type { FrameReader, FrameWriter } from "./frames.ts";
import type { Fields } from "./document.ts";

/** The recipe kind of flat fields (beside those of `part_recipes.ts`). */
export const FLAT_RECIPE = 5;
const FLAT_FALSE = 0;
const FLAT_TRUE = 1;
const FLAT_STRING = 2;
const FLAT_NUMBER = 3;
const FLAT_NULL = 4;

/**
 * Most bytes {@linkcode writeFlat} takes for `fields`, or -1 when they cannot go that way: a
 * value that is not a string, number, boolean or null (or undefined, left out as
 * `JSON.stringify` leaves it), more than 255 keys, or a `__proto__` key (which an assignment
 * on the other side would not make a field).
 *
 * @example
 * ```ts
 * import { flatBytes } from "./flat_field_codec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(flatBytes({ a: [1] }), -1);
 * assert.ok(flatBytes({ a: 1, b: "x" }) > 0);
 * ```
 */
export function flatBytes(fields: Fields): number {
  let most = 2;
  let keys = 0;
  for (const key in fields) {
    const value = fields[key];
    if (key === "__proto__" || ++keys > 255) return -1;
    most += 8 + key.length * 3;
    switch (typeof value) {
      case "string":
        most += 4 + value.length * 3;
        break;
      case "number":
        most += 8;
        break;
      case "boolean":
      case "undefined":
        break;
      default:
        if (value !== null) return -1;
    }
  }
  return most;
}

/**
 * Writes flat fields (see {@linkcode flatBytes}) as a recipe: the output thread puts them back
 * into an object with the same keys in the same order and serialises that. False when a
 * string is not well-formed.
 *
 * @example
 * ```ts
 * import { FLAT_RECIPE, flatBytes, writeFlat } from "./flat_field_codec.ts";
 * import { FrameWriter } from "./frames.ts";
 * import assert from "node:assert/strict";
 * const fields = { a: 1, b: undefined, c: "x" };
 * const w = new FrameWriter();
 * w.use(new Uint8Array(flatBytes(fields)), 0);
 * assert.ok(writeFlat(w, fields));
 * assert.deepEqual([w.bytes[0], w.bytes[1]], [FLAT_RECIPE, 2]); // kind, then two fields
 * ```
 */
export function writeFlat(w: FrameWriter, fields: Fields): boolean {
  w.u8(FLAT_RECIPE);
  const countAt = w.at++;
  let count = 0;
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined) continue;
    if (!w.key(key)) return false;
    count++;
    switch (typeof value) {
      case "string":
        w.u8(FLAT_STRING);
        if (!w.str(value)) return false;
        break;
      case "number":
        w.u8(FLAT_NUMBER);
        w.f64(value);
        break;
      case "boolean":
        w.u8(value ? FLAT_TRUE : FLAT_FALSE);
        break;
      default:
        w.u8(FLAT_NULL);
    }
  }
  w.bytes[countAt] = count;
  return true;
}

/**
 * Reads what {@linkcode writeFlat} wrote after its kind byte (which the caller read to choose
 * this reader).
 *
 * @example
 * ```ts
 * import { FLAT_RECIPE, flatBytes, readFlat, writeFlat } from "./flat_field_codec.ts";
 * import { FrameReader, FrameWriter } from "./frames.ts";
 * import assert from "node:assert/strict";
 * const fields = { ok: true, n: 1.5, s: "é", none: null };
 * const w = new FrameWriter();
 * w.use(new Uint8Array(flatBytes(fields)), 0);
 * writeFlat(w, fields);
 * const r = new FrameReader();
 * r.use(w.bytes, 0);
 * assert.equal(r.u8(), FLAT_RECIPE);
 * assert.deepEqual(readFlat(r), fields);
 * ```
 */
export function readFlat(r: FrameReader): Fields {
  const count = r.u8();
  const out: Fields = {};
  for (let i = 0; i < count; i++) {
    const key = r.key();
    const type = r.u8();
    out[key] = type === FLAT_STRING
      ? r.str()
      : type === FLAT_NUMBER
      ? r.f64()
      : type === FLAT_NULL
      ? null
      : type === FLAT_TRUE;
  }
  return out;
}
