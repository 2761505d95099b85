/**
 * A reused, growable byte buffer that output is rendered into directly: ASCII text and
 * integer digits are stored as bytes without building strings first, so a page of rows costs
 * no per-row string garbage and goes out in one write.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * Bytes collected for one write. `clear()` it and fill it again for the next one; its memory
 * is kept, so a run needs only as much as its largest page.
 *
 * @example
 * ```ts
 * import { ByteBuffer } from "./byte_buffer.ts";
 * import assert from "node:assert/strict";
 * const buf = new ByteBuffer(4);
 * buf.ascii("n=");
 * buf.digits(9000000000);
 * buf.ascii(" é");
 * assert.equal(new TextDecoder().decode(buf.view()), "n=9000000000 é");
 * ```
 */
export class ByteBuffer {
  #bytes: Uint8Array;
  /** How many bytes are filled. */
  length = 0;

  /** Creates an empty buffer of `size` bytes to start with (it grows when needed). */
  constructor(size = 1 << 20) {
    this.#bytes = new Uint8Array(Math.max(16, size));
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < need) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.#bytes.subarray(0, this.length));
    this.#bytes = bigger;
  }

  /** Appends `text` as UTF-8 (a plain byte copy while the text is ASCII). */
  ascii(text: string): void {
    const n = text.length;
    this.reserve(n);
    const bytes = this.#bytes;
    const at = this.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        this.length = at + i;
        this.#utf8(i === 0 ? text : text.slice(i));
        return;
      }
      bytes[at + i] = c;
    }
    this.length = at + n;
  }

  /** Appends the bytes of `part`. */
  bytes(part: Uint8Array): void {
    const n = part.length;
    this.reserve(n);
    const bytes = this.#bytes;
    const at = this.length;
    // A loop: for the few bytes of a cell it is cheaper than `set` on a subarray.
    for (let i = 0; i < n; i++) bytes[at + i] = part[i];
    this.length = at + n;
  }

  /** Appends one byte. */
  byte(value: number): void {
    this.reserve(1);
    this.#bytes[this.length++] = value;
  }

  /** Appends the decimal digits of an integer `0 <= value < 2^53` (as `String(value)`). */
  digits(value: number): void {
    let width = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) width++;
    this.reserve(width);
    const bytes = this.#bytes;
    let at = this.length + width;
    this.length = at;
    let rest = value;
    do {
      const quotient = Math.floor(rest / 10);
      bytes[--at] = 48 + rest - quotient * 10;
      rest = quotient;
    } while (rest > 0);
  }

  /** Appends the two digits of `0 <= value < 100`. */
  twoDigits(value: number): void {
    this.reserve(2);
    const tens = Math.floor(value / 10);
    this.#bytes[this.length++] = 48 + tens;
    this.#bytes[this.length++] = 48 + value - tens * 10;
  }

  #utf8(text: string): void {
    this.reserve(text.length * 3);
    const { written } = encoder.encodeInto(text, this.#bytes.subarray(this.length));
    this.length += written;
  }

  /** The filled bytes (a view: valid until the buffer is written to again). */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.length);
  }

  /** Empties the buffer, keeping its memory. */
  clear(): void {
    this.length = 0;
  }
}
