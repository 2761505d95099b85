/**
 * Turns frames (`correlate/frames.ts`) into NDJSON bytes on the output thread: a line frame is
 * copied, a document frame's parts are merged into one JSON line exactly as the NDJSON sink
 * merges `jsonObjects` (each `}` and the next `{` become a comma, empty objects left out, `{}`
 * when none is left), recipes computed and serialised here with `JSON.stringify`.
 *
 * @module
 */
import { readRecipe } from "../correlate/part_recipes.ts";
import {
  FRAME_DOCUMENT,
  FRAME_LINE,
  FRAME_PAD,
  FrameReader,
  PART_RECIPE,
  PART_REF,
  PART_SHARED,
  SHARED_SLOTS,
} from "../correlate/frames.ts";

const NOTHING = new Uint8Array(0);

const NEWLINE = 10;
const COMMA = 44;
const BRACE = 123;

/**
 * Frame bytes in, output bytes out. Frames may arrive cut anywhere: what is left of an
 * incomplete one waits for the next `add`.
 *
 * @example
 * ```ts
 * import { FrameRenderer } from "./frame_render.ts";
 * import { FRAME_LINE, FrameWriter } from "../correlate/frames.ts";
 * import assert from "node:assert/strict";
 * const w = new FrameWriter();
 * w.use(new Uint8Array(16), 0);
 * w.u32(3);
 * w.u8(FRAME_LINE);
 * w.u8(0x61);
 * w.u8(10);
 * const renderer = new FrameRenderer();
 * renderer.add(w.bytes.subarray(0, 3));
 * assert.equal(renderer.output.length, 0);
 * renderer.add(w.bytes.subarray(3, w.at));
 * assert.equal(new TextDecoder().decode(renderer.output), "a\n");
 * ```
 */
export class FrameRenderer {
  #in = new Uint8Array(1 << 20);
  #inUsed = 0;
  #out = new Uint8Array(1 << 21);
  #outUsed = 0;
  #reader = new FrameReader();
  /** Shared part texts (UTF-8, empty for `{}`) and their ids, by `id % SHARED_SLOTS`. */
  #shared: Uint8Array[] = new Array(SHARED_SLOTS).fill(NOTHING);
  #sharedIds = new Float64Array(SHARED_SLOTS).fill(-1);
  #encoder = new TextEncoder();

  /** Output rendered and not yet taken (see `taken`). */
  get output(): Uint8Array {
    return this.#out.subarray(0, this.#outUsed);
  }

  /** Forgets the output (it was written). */
  taken(): void {
    this.#outUsed = 0;
  }

  /** Adds frame bytes (copied) and renders every frame now complete. */
  add(bytes: Uint8Array): void {
    if (this.#inUsed + bytes.length > this.#in.length) {
      const grown = new Uint8Array(Math.max(this.#in.length * 2, this.#inUsed + bytes.length));
      grown.set(this.#in.subarray(0, this.#inUsed));
      this.#in = grown;
    }
    this.#in.set(bytes, this.#inUsed);
    this.#inUsed += bytes.length;
    const input = this.#in;
    const view = new DataView(input.buffer, 0, this.#inUsed);
    let at = 0;
    while (this.#inUsed - at >= 4) {
      const length = view.getUint32(at, true);
      if (this.#inUsed - at - 4 < length) break;
      this.#frame(at + 4, at + 4 + length);
      at += 4 + length;
    }
    // The incomplete rest moves to the front (at most one frame).
    input.copyWithin(0, at, this.#inUsed);
    this.#inUsed -= at;
  }

  #reserve(bytes: number): void {
    if (this.#outUsed + bytes <= this.#out.length) return;
    const grown = new Uint8Array(Math.max(this.#out.length * 2, this.#outUsed + bytes));
    // All of it: the line being rendered lies past `#outUsed`.
    grown.set(this.#out);
    this.#out = grown;
  }

  #keep(id: number, bytes: Uint8Array): void {
    const slot = id % SHARED_SLOTS;
    this.#shared[slot] = bytes;
    this.#sharedIds[slot] = id;
  }

  #frame(start: number, end: number): void {
    const input = this.#in;
    const kind = input[start];
    if (kind === FRAME_LINE) {
      this.#reserve(end - start - 1);
      this.#out.set(input.subarray(start + 1, end), this.#outUsed);
      this.#outUsed += end - start - 1;
      return;
    }
    if (kind === FRAME_PAD) return;
    if (kind !== FRAME_DOCUMENT) throw new Error(`unknown output frame ${kind}`);
    const r = this.#reader;
    r.use(input, start + 1);
    const count = r.u8();
    let at = this.#outUsed;
    let objects = 0;
    for (let i = 0; i < count; i++) {
      const partKind = r.u8();
      // Each object after the first starts on the previous one's `}`; its `{` becomes `,`.
      const from = objects === 0 ? at : at - 1;
      if (partKind === PART_RECIPE || partKind === PART_SHARED) {
        const id = partKind === PART_SHARED ? r.u32() : -1;
        const text = JSON.stringify(readRecipe(r));
        if (text.length <= 2) {
          if (id >= 0) this.#keep(id, NOTHING);
          continue;
        }
        this.#reserve(from - this.#outUsed + text.length * 3 + 2);
        at = from + this.#encoder.encodeInto(text, this.#out.subarray(from)).written;
        if (id >= 0) this.#keep(id, this.#out.slice(from, at));
      } else {
        let bytes: Uint8Array;
        if (partKind === PART_REF) {
          const id = r.u32();
          const slot = id % SHARED_SLOTS;
          if (this.#sharedIds[slot] !== id) throw new Error(`shared part ${id} is not held`);
          bytes = this.#shared[slot];
          if (bytes.length === 0) continue;
        } else {
          const n = r.u32();
          bytes = input.subarray(r.at, r.at + n);
          r.at += n;
        }
        this.#reserve(from - this.#outUsed + bytes.length + 2);
        this.#out.set(bytes, from);
        at = from + bytes.length;
      }
      if (objects > 0) this.#out[from] = COMMA;
      objects++;
    }
    if (objects === 0) {
      this.#reserve(3);
      this.#out[at++] = BRACE;
      this.#out[at++] = BRACE + 2;
    }
    this.#out[at++] = NEWLINE;
    this.#outUsed = at;
  }
}
