/**
 * Buffered text output to a file descriptor (stdout by default): rendered text is collected
 * up to a block and written with one system call, so streaming many small rows stays fast.
 *
 * @module
 */

/** Something bytes can be written to synchronously. */
export interface SyncWriter {
  /** Writes some of `bytes`, returns how many. */
  writeSync(bytes: Uint8Array): number;
}

const encoder = new TextEncoder();

/** A buffered text writer. */
export class TextOutput {
  readonly #writer: SyncWriter;
  readonly #blockSize: number;
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
    const bytes = encoder.encode(this.#chunks.join(""));
    this.#chunks = [];
    this.#size = 0;
    let written = 0;
    while (written < bytes.length) written += this.#writer.writeSync(bytes.subarray(written));
  }
}
