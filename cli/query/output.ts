/**
 * Buffered text output to a file descriptor (stdout by default): rendered text is collected
 * up to a block and written with one system call, so streaming many small rows stays fast.
 * Text is encoded into one reused byte buffer, not a new array per block: byte arrays live
 * outside the JS heap until a full collection, so fresh ones per block made peak RSS grow with
 * the amount of output.
 *
 * @module
 */

/** Something bytes can be written to synchronously. */
export interface SyncWriter {
  /** Writes some of `bytes`, returns how many. */
  writeSync(bytes: Uint8Array): number;
}

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes of `text` as successive views of `buffer` (at least 4 bytes long). Each view
 * is overwritten by the next one: use it before taking the next.
 *
 * @example
 * ```ts
 * import { encodedParts } from "./output.ts";
 * import assert from "node:assert/strict";
 * const bytes = [...encodedParts("héllo", new Uint8Array(4))].map((part) => part.length);
 * assert.equal(bytes.reduce((a, b) => a + b), 6); // "héllo" is 6 UTF-8 bytes
 * ```
 */
export function* encodedParts(text: string, buffer: Uint8Array): Generator<Uint8Array> {
  if (buffer.length < 4) throw new RangeError("the buffer must hold any one character");
  let rest = text;
  while (rest.length > 0) {
    const { read, written } = encoder.encodeInto(rest, buffer);
    yield buffer.subarray(0, written);
    rest = rest.slice(read);
  }
}

/** Options of {@linkcode StreamTextOutput}. */
export interface StreamTextOutputOptions {
  /** Size of the reused byte buffer (default 256 KiB). */
  readonly bufferSize?: number;
}

/**
 * Text written to a byte stream (a file's `writable`) through one reused buffer, each write
 * awaited (backpressure: memory stays at one buffer however fast the text comes).
 */
export class StreamTextOutput {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #buffer: Uint8Array;

  /**
   * Creates the output.
   *
   * @example
   * ```ts
   * import { StreamTextOutput } from "./output.ts";
   * using file = await Deno.open(await Deno.makeTempFile(), { write: true });
   * const writer = file.writable.getWriter();
   * await new StreamTextOutput(writer).write("a,b\r\n");
   * await writer.close();
   * ```
   */
  constructor(
    writer: WritableStreamDefaultWriter<Uint8Array>,
    options: StreamTextOutputOptions = {},
  ) {
    this.#writer = writer;
    this.#buffer = new Uint8Array(options.bufferSize ?? 256 * 1024);
  }

  /** Writes `text`; resolves when the stream took all of it (the buffer is free again). */
  async write(text: string): Promise<void> {
    for (const bytes of encodedParts(text, this.#buffer)) await this.#writer.write(bytes);
  }
}

/** A buffered text writer. */
export class TextOutput {
  readonly #writer: SyncWriter;
  readonly #blockSize: number;
  readonly #buffer: Uint8Array;
  #chunks: string[] = [];
  #size = 0;

  /**
   * Creates the writer.
   *
   * @example
   * ```ts
   * import { TextOutput } from "./output.ts";
   * const out = new TextOutput();
   * out.write("hello\n");
   * out.flush();
   * ```
   */
  constructor(writer: SyncWriter = Deno.stdout, blockSize = 64 * 1024) {
    this.#writer = writer;
    this.#blockSize = blockSize;
    // Room for a whole block even if every character takes 3 bytes.
    this.#buffer = new Uint8Array(Math.max(4, blockSize * 3));
  }

  /** Queues `text`; writes when a block is full. */
  write(text: string): void {
    if (text === "") return;
    this.#chunks.push(text);
    this.#size += text.length;
    if (this.#size >= this.#blockSize) this.flush();
  }

  /** Writes everything queued. */
  flush(): void {
    if (this.#chunks.length === 0) return;
    const text = this.#chunks.join("");
    this.#chunks = [];
    this.#size = 0;
    for (const bytes of encodedParts(text, this.#buffer)) {
      let written = 0;
      while (written < bytes.length) written += this.#writer.writeSync(bytes.subarray(written));
    }
  }
}
