/**
 * The default sink: one JSON document a line, to stdout or appended to a file. Documents are
 * buffered and written on `flush` (the `--time` timer, shutdown) or when the buffer is large.
 * A failed write keeps the unwritten bytes and writes them first next time. A file or stdout
 * is written by a thread of its own ({@linkcode OutputRing}); an `output` object (tests, the
 * benchmarks) is written to from this thread.
 *
 * @module
 */
import type { CollectorDocument, DocumentSink } from "../correlate/sink_contracts.ts";
import { OutputRing } from "./output_ring.ts";
import { FRAME_LINE, FRAME_PAD, FrameWriter } from "../correlate/frames.ts";

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
  /** Write early once this many bytes are buffered (default 1 MiB). */
  readonly highWaterMark?: number;
  /** Called when a write fails (the bytes are kept and written first at the next flush). */
  readonly onError?: (error: unknown) => void;
}

const CHUNK_BYTES = 1 << 20;
/** Written chunks kept for reuse: a 4,096-packet batch of small packets fills ≈ 8 MiB. */
const SPARE_CHUNKS = 16;
const NEWLINE = 10;
const COMMA = 44;
/** Room kept in a chunk for the padding frame (see `#padFrames`). */
const MOST_PAD = 12;

/**
 * NDJSON writer. Each document is encoded straight into a large byte chunk when it is written,
 * so its text dies young (a list of pending strings joined at flush time survived into the old
 * generation and cost more in garbage collection than the encoding itself), and a flush hands
 * whole chunks to the output.
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
  #out?: NdjsonOutput;
  /** The output thread's ring (files and stdout); then the chunk is reused once copied. */
  #ring?: OutputRing;
  /** Bytes the ring could not take while its writes failed, oldest first. */
  #held: Uint8Array[] = [];
  #ownsOut: boolean;
  /** Filled chunks waiting for the next flush. */
  #full: Uint8Array<ArrayBuffer>[] = [];
  #fullBytes = 0;
  #chunk: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  #used = 0;
  #spare: Uint8Array<ArrayBuffer>[] = [];
  #retry?: Uint8Array<ArrayBuffer>;
  #highWater: number;
  #chain: Promise<void> = Promise.resolve();
  #encoder = new TextEncoder();
  /** Writes frames into `#chunk` (output thread only). */
  #frames = new FrameWriter();
  /** Makes room for a frame of at most `bytes` and points `#frames` at it. */
  #reserve = (bytes: number): void => {
    if (this.#chunk.length - this.#used < bytes + MOST_PAD) this.#rotate(bytes + MOST_PAD);
    this.#frames.use(this.#chunk, this.#used);
  };
  #onError?: (error: unknown) => void;

  private constructor(
    out: NdjsonOutput | undefined,
    owns: boolean,
    options: NdjsonSinkOptions,
    ring?: OutputRing,
  ) {
    this.#out = out;
    this.#ring = ring;
    this.#ownsOut = owns;
    this.#highWater = options.highWaterMark ?? CHUNK_BYTES;
    this.#onError = options.onError;
  }

  /** Opens the output (creating/appending the file). */
  static async open(options: NdjsonSinkOptions): Promise<NdjsonSink> {
    if (options.output !== undefined) return new NdjsonSink(options.output, false, options);
    const ring = await OutputRing.open({
      path: options.path,
      onError: options.onError,
      frames: true,
    });
    return new NdjsonSink(undefined, false, options, ring);
  }

  /** Bytes a failed write left for the next flush (with an output thread: all not yet written). */
  get backlogBytes(): number {
    if (this.#ring === undefined) return this.#retry?.length ?? 0;
    return this.#held.reduce((n, b) => n + b.length, this.#ring.pendingBytes);
  }

  write(doc: CollectorDocument): void {
    if (this.#ring !== undefined) return this.#writeFrame(doc);
    const objects = doc.jsonObjects;
    if (objects !== undefined) return this.#writeObjects(objects);
    this.#writeText(doc.json ?? JSON.stringify(doc.body));
  }

  /** Encodes the objects merged into one (see `CollectorDocument.jsonObjects`) and a newline. */
  #writeObjects(objects: readonly string[]): void {
    if (objects.length === 0) return this.#writeText("{}");
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so reserving that means nothing is cut.
    let most = 1;
    for (let i = 0; i < objects.length; i++) most += objects[i].length * 3;
    if (this.#chunk.length - this.#used < most) this.#rotate(most);
    const chunk = this.#chunk;
    let at = this.#used;
    for (let i = 0; i < objects.length; i++) {
      // Each object after the first starts on the previous one's `}`; its `{` becomes `,`.
      const start = i === 0 ? at : at - 1;
      at = start + this.#encoder.encodeInto(objects[i], chunk.subarray(start)).written;
      if (i > 0) chunk[start] = COMMA;
    }
    chunk[at++] = NEWLINE;
    this.#used = at;
    if (this.#fullBytes + this.#used >= this.#highWater) this.#highWaterReached();
  }

  /**
   * With an output thread: the document as a frame of parts, which that thread renders
   * (see `correlate/frames.ts`), or as a finished line when it cannot go as parts.
   */
  #writeFrame(doc: CollectorDocument): void {
    const w = this.#frames;
    if (doc.writeFrame !== undefined && doc.writeFrame(w, this.#reserve)) {
      this.#used = w.at;
    } else {
      let objects = doc.jsonObjects ?? [doc.json ?? JSON.stringify(doc.body)];
      if (objects.length === 0) objects = ["{}"];
      let most = 6;
      for (let i = 0; i < objects.length; i++) most += objects[i].length * 3;
      this.#reserve(most);
      const start = w.at;
      w.u32(0);
      w.u8(FRAME_LINE);
      const chunk = this.#chunk;
      let at = w.at;
      for (let i = 0; i < objects.length; i++) {
        // As in `#writeObjects`: each later object's `{` overwrites the previous `}` as `,`.
        const from = i === 0 ? at : at - 1;
        at = from + this.#encoder.encodeInto(objects[i], chunk.subarray(from)).written;
        if (i > 0) chunk[from] = COMMA;
      }
      chunk[at++] = NEWLINE;
      w.u32At(start, at - start - 4);
      this.#used = at;
    }
    if (this.#fullBytes + this.#used >= this.#highWater) this.#highWaterReached();
  }

  /**
   * Ends the chunk's frames at a multiple of 8 bytes with a padding frame, so the ring's tail
   * stays 8-aligned: a copy into shared memory at an unaligned offset goes byte by byte (≈ 0.5
   * ns a byte here, against 0.06–0.1 aligned).
   */
  #padFrames(): void {
    let pad = (8 - (this.#used & 7)) & 7;
    if (pad === 0) return;
    if (pad < 5) pad += 8;
    const w = this.#frames;
    w.use(this.#chunk, this.#used);
    w.u32(pad - 4);
    w.u8(FRAME_PAD);
    this.#used += pad;
  }

  #writeText(text: string): void {
    let result = this.#encoder.encodeInto(text, this.#chunk.subarray(this.#used));
    if (result.read < text.length) {
      // Did not fit: what was encoded past `#used` is simply overwritten in a new chunk.
      this.#rotate(text.length * 3 + 1);
      result = this.#encoder.encodeInto(text, this.#chunk.subarray(this.#used));
    }
    this.#used += result.written;
    if (this.#used === this.#chunk.length) this.#rotate(1);
    this.#chunk[this.#used++] = NEWLINE;
    if (this.#fullBytes + this.#used >= this.#highWater) this.#highWaterReached();
  }

  /** Writes early: into the ring (no promise per MiB), else a flush. */
  #highWaterReached(): void {
    if (this.#ring !== undefined) this.#rotate(0);
    else void this.flush();
  }

  flush(): Promise<void> {
    if (this.#ring !== undefined) {
      this.#rotate(0);
      this.#pushHeld();
      return this.#ring.flush();
    }
    this.#rotate(0);
    const chunks = this.#full;
    this.#full = [];
    this.#fullBytes = 0;
    this.#chain = this.#chain.then(() => this.#writeOut(chunks));
    return this.#chain;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#ring?.close();
    if (this.#ownsOut) this.#out?.close?.();
  }

  /** Moves held bytes into the ring as far as it takes them; true when none are left. */
  #pushHeld(): boolean {
    const held = this.#held;
    while (held.length > 0) {
      const taken = this.#ring!.push(held[0]);
      if (taken < held[0].length) {
        held[0] = held[0].subarray(taken);
        return false;
      }
      held.shift();
    }
    return true;
  }

  /** Copies `bytes` into the ring behind anything held; what it refuses is kept (copied). */
  #toRing(bytes: Uint8Array): void {
    if (!this.#pushHeld()) {
      this.#held.push(bytes.slice());
      return;
    }
    const taken = this.#ring!.push(bytes);
    if (taken < bytes.length) this.#held.push(bytes.slice(taken));
  }

  /** Moves what the current chunk holds to the full list; starts a chunk of ≥ `need` bytes. */
  #rotate(need: number): void {
    if (this.#used > 0 && this.#ring !== undefined) {
      // Copied into the ring: the same chunk is filled again, no fresh memory per MiB.
      this.#padFrames();
      this.#toRing(this.#chunk.subarray(0, this.#used));
      this.#used = 0;
    } else if (this.#used > 0) {
      this.#full.push(this.#chunk.subarray(0, this.#used));
      this.#fullBytes += this.#used;
      this.#chunk = new Uint8Array(0);
      this.#used = 0;
    }
    if (need === 0 || this.#chunk.length - this.#used >= need) return;
    this.#chunk = need <= CHUNK_BYTES
      ? this.#spare.pop() ?? new Uint8Array(CHUNK_BYTES)
      : new Uint8Array(need);
    this.#used = 0;
  }

  async #writeOut(chunks: Uint8Array<ArrayBuffer>[]): Promise<void> {
    if (this.#retry !== undefined) chunks.unshift(this.#retry), this.#retry = undefined;
    for (let i = 0; i < chunks.length; i++) {
      const bytes = chunks[i];
      let done = 0;
      try {
        while (done < bytes.length) done += await this.#out!.write(bytes.subarray(done));
      } catch (error) {
        // Only what was not written is kept, so a partial write is neither lost nor repeated.
        this.#retry = concat([bytes.subarray(done), ...chunks.slice(i + 1)]);
        this.#onError?.(error);
        return;
      }
      // Full-size chunks are reused: allocating a zeroed MiB per MiB written is not free.
      if (bytes.buffer.byteLength === CHUNK_BYTES && this.#spare.length < SPARE_CHUNKS) {
        this.#spare.push(new Uint8Array(bytes.buffer));
      }
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) out.set(part, at), at += part.length;
  return out;
}
