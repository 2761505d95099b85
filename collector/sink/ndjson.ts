/**
 * The default sink: one JSON document a line, to stdout or appended to a file. Documents are
 * buffered and written on `flush` (the `--time` timer, shutdown) or when the buffer is large.
 * A failed write keeps the unwritten bytes and writes them first next time.
 *
 * @module
 */
import type { CollectorDocument, DocumentSink } from "./types.ts";

/** Where the bytes go: a file, stdout, or (in tests) anything with `write`. */
export interface NdjsonOutput {
  write(bytes: Uint8Array): Promise<number>;
  close?(): void;
}

/** Options for {@linkcode NdjsonSink}. */
export interface NdjsonSinkOptions {
  /** File to append to; stdout when neither this nor `output` is given. */
  readonly path?: string;
  /** An output to write to instead of a file or stdout. */
  readonly output?: NdjsonOutput;
  /** Write early once this many characters are buffered (default 1 MiB). */
  readonly highWaterMark?: number;
  /** Called when a write fails (the bytes are kept and written first at the next flush). */
  readonly onError?: (error: unknown) => void;
}

/**
 * NDJSON writer.
 *
 * @example
 * ```ts
 * import { NdjsonSink } from "./ndjson.ts";
 * const sink = await NdjsonSink.open({});
 * sink.write({ docId: "x", body: { a: 1 } });
 * await sink.close();
 * ```
 */
export class NdjsonSink implements DocumentSink {
  #out: NdjsonOutput;
  #ownsOut: boolean;
  #pending: string[] = [];
  #pendingChars = 0;
  #retry?: Uint8Array;
  #highWater: number;
  #chain: Promise<void> = Promise.resolve();
  #encoder = new TextEncoder();
  #onError?: (error: unknown) => void;

  private constructor(out: NdjsonOutput, owns: boolean, options: NdjsonSinkOptions) {
    this.#out = out;
    this.#ownsOut = owns;
    this.#highWater = options.highWaterMark ?? 1 << 20;
    this.#onError = options.onError;
  }

  /** Opens the output (creating/appending the file). */
  static async open(options: NdjsonSinkOptions): Promise<NdjsonSink> {
    if (options.output !== undefined) return new NdjsonSink(options.output, false, options);
    if (options.path === undefined) return new NdjsonSink(Deno.stdout, false, options);
    const file = await Deno.open(options.path, { append: true, create: true, write: true });
    return new NdjsonSink(file, true, options);
  }

  /** Bytes a failed write left for the next flush. */
  get backlogBytes(): number {
    return this.#retry?.length ?? 0;
  }

  write(doc: CollectorDocument): void {
    const line = (doc.json ?? JSON.stringify(doc.body)) + "\n";
    this.#pending.push(line);
    this.#pendingChars += line.length;
    if (this.#pendingChars >= this.#highWater) void this.flush();
  }

  flush(): Promise<void> {
    const lines = this.#pending;
    this.#pending = [];
    this.#pendingChars = 0;
    this.#chain = this.#chain.then(() => this.#writeOut(lines));
    return this.#chain;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.#ownsOut) this.#out.close?.();
  }

  async #writeOut(lines: string[]): Promise<void> {
    if (lines.length === 0 && this.#retry === undefined) return;
    let bytes = this.#encoder.encode(lines.join(""));
    if (this.#retry !== undefined) {
      const joined = new Uint8Array(this.#retry.length + bytes.length);
      joined.set(this.#retry);
      joined.set(bytes, this.#retry.length);
      bytes = joined;
      this.#retry = undefined;
    }
    let done = 0;
    try {
      while (done < bytes.length) done += await this.#out.write(bytes.subarray(done));
    } catch (error) {
      // Only what was not written is kept, so a partial write is neither lost nor repeated.
      this.#retry = bytes.slice(done);
      this.#onError?.(error);
    }
  }
}
