/**
 * `--capture FILE`: appends every received datagram to a file in the capture format, buffered
 * and written on `flush`.
 *
 * @module
 */
import { formatCaptureLine } from "./capture.ts";
import type { Sender } from "./sender.ts";

/**
 * Buffered capture file writer.
 *
 * @example
 * ```ts
 * import { CaptureWriter } from "./capture_writer.ts";
 * const writer = await CaptureWriter.open("/tmp/capture.ndjson");
 * writer.record(new Uint8Array(8), { hostname: "127.0.0.1", port: 1 }, Date.now() / 1000);
 * await writer.close();
 * ```
 */
export class CaptureWriter {
  #file: Deno.FsFile;
  #lines: string[] = [];
  #chars = 0;
  #chain: Promise<void> = Promise.resolve();
  #encoder = new TextEncoder();

  private constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /** Opens (creates or appends to) the capture file. */
  static async open(path: string): Promise<CaptureWriter> {
    return new CaptureWriter(await Deno.open(path, { append: true, create: true, write: true }));
  }

  /** Records one datagram (copied out as base64 right away, so the buffer may be reused). */
  record(bytes: Uint8Array, from: Sender, t: number): void {
    const line = formatCaptureLine({ t, from, bytes });
    this.#lines.push(line);
    this.#chars += line.length;
    if (this.#chars > 1 << 20) void this.flush();
  }

  /** Writes what is buffered. */
  flush(): Promise<void> {
    if (this.#lines.length === 0) return this.#chain;
    const text = this.#lines.join("");
    this.#lines = [];
    this.#chars = 0;
    this.#chain = this.#chain.then(async () => {
      const bytes = this.#encoder.encode(text);
      let done = 0;
      while (done < bytes.length) done += await this.#file.write(bytes.subarray(done));
    });
    return this.#chain;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.#file.close();
  }
}
