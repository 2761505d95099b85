/**
 * The default sink: one JSON document a line, to stdout or appended to a file. Documents are
 * buffered and written on `flush` (the `--time` timer, shutdown) or when the buffer is large.
 *
 * @module
 */
import type { CollectorDocument, DocumentSink } from "./types.ts";

/** Options for {@linkcode NdjsonSink}. */
export interface NdjsonSinkOptions {
  /** File to append to; stdout when undefined. */
  readonly path?: string;
  /** Write early once this many bytes of text are buffered (default 1 MiB). */
  readonly highWaterMark?: number;
  /** Called when a write fails (the documents stay buffered and are retried). */
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
  #out: { write(p: Uint8Array): Promise<number>; close?(): void };
  #ownsOut: boolean;
  #pending: string[] = [];
  #pendingChars = 0;
  #highWater: number;
  #chain: Promise<void> = Promise.resolve();
  #encoder = new TextEncoder();
  #onError?: (error: unknown) => void;
  /** Documents written out so far. */
  written = 0;

  private constructor(
    out: { write(p: Uint8Array): Promise<number>; close?(): void },
    owns: boolean,
    options: NdjsonSinkOptions,
  ) {
    this.#out = out;
    this.#ownsOut = owns;
    this.#highWater = options.highWaterMark ?? 1 << 20;
    this.#onError = options.onError;
  }

  /** Opens the output (creating/appending the file). */
  static async open(options: NdjsonSinkOptions): Promise<NdjsonSink> {
    if (options.path === undefined) return new NdjsonSink(Deno.stdout, false, options);
    const file = await Deno.open(options.path, { append: true, create: true, write: true });
    return new NdjsonSink(file, true, options);
  }

  write(doc: CollectorDocument): void {
    const line = JSON.stringify(doc.body) + "\n";
    this.#pending.push(line);
    this.#pendingChars += line.length;
    if (this.#pendingChars >= this.#highWater) void this.flush();
  }

  flush(): Promise<void> {
    if (this.#pending.length === 0) return this.#chain;
    const lines = this.#pending;
    this.#pending = [];
    this.#pendingChars = 0;
    this.#chain = this.#chain.then(() => this.#writeAll(lines));
    return this.#chain;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.#ownsOut) this.#out.close?.();
  }

  async #writeAll(lines: string[]): Promise<void> {
    const bytes = this.#encoder.encode(lines.join(""));
    try {
      let done = 0;
      while (done < bytes.length) done += await this.#out.write(bytes.subarray(done));
      this.written += lines.length;
    } catch (error) {
      // Keep the documents: they go out with the next flush.
      this.#pending.unshift(...lines);
      this.#pendingChars += bytes.length;
      this.#onError?.(error);
    }
  }
}
