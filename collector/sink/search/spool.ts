/**
 * The queue between the collector and the cluster: documents are appended here at every flush
 * and removed only once the cluster has accepted (or rejected for good) each of them.
 *
 * With a directory it is durable: one append-only segment file per flush, written and fsync'ed
 * before the flush returns, delivered oldest-first, surviving restarts and `kill -9`. Without a
 * directory the same queue lives in memory (the "spool off" mode: faster, lost on exit).
 * Either way it is bounded by `maxBytes`: past it the oldest segments are dropped and reported
 * through `onDrop`, never silently.
 *
 * Segment files are named `seg-<seq>-<count>.ndjson` (seq zero-padded so names sort in order,
 * count = documents inside) so that sizes and counts are known at start-up without reading them.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { SpoolRecord } from "./bulk_result.ts";

/** Options for {@linkcode openSpool}. */
export interface SpoolOptions {
  /** Directory for segment files; omitted = in-memory queue. */
  readonly dir?: string;
  /** Upper bound of queued bytes (encoded); the oldest segments are dropped past it. */
  readonly maxBytes: number;
  /** Told about every dropped segment (documents and bytes). */
  readonly onDrop?: (dropped: { docs: number; bytes: number }) => void;
  /** Told about lines of a segment that could not be read back (torn write before a crash). */
  readonly onCorrupt?: (info: { file: string; lines: number }) => void;
}

/** The oldest queued segment. */
export interface SpoolSegment {
  /** Sequence number (increasing with append order). */
  readonly seq: number;
  /** Its documents, in append order. */
  readonly records: SpoolRecord[];
}

/** What is queued. */
export interface SpoolStats {
  /** Queued segments. */
  readonly segments: number;
  /** Queued documents. */
  readonly docs: number;
  /** Queued bytes (encoded size). */
  readonly bytes: number;
}

/** A durable or in-memory segment queue; see the module doc. */
export interface Spool {
  /** Appends one segment (durably, when on disk). No-op for an empty list. */
  append(records: readonly SpoolRecord[]): Promise<void>;
  /** The oldest segment, if any. */
  head(): Promise<SpoolSegment | undefined>;
  /** Replaces segment `seq` with the records still to deliver (removes it when empty). */
  replace(seq: number, remaining: readonly SpoolRecord[]): Promise<void>;
  /** What is queued. */
  stats(): SpoolStats;
}

interface Entry {
  seq: number;
  docs: number;
  bytes: number;
  file?: string;
  records?: SpoolRecord[];
  /** On disk and also kept in memory (counts against the read cache). */
  cached?: boolean;
}

// Segments this process wrote are also kept in memory up to this many bytes, so delivering them
// does not read and parse them back; segments from an earlier run are read from disk.
const READ_CACHE_BYTES = 64 * 1024 * 1024;

const encoder = new TextEncoder();
const SEGMENT = /^seg-(\d{16})-(\d+)\.ndjson$/;

/** A record's spool line: `JSON.stringify({ i, d, b: body })`, reusing the body's text. */
function line(r: SpoolRecord): string {
  return r.json === undefined
    ? JSON.stringify({ i: r.index, d: r.id, b: r.body }) + "\n"
    : `{"i":${JSON.stringify(r.index)},"d":${JSON.stringify(r.id)},"b":${r.json}}\n`;
}

function encode(records: readonly SpoolRecord[]): Uint8Array {
  let text = "";
  for (const r of records) text += line(r);
  return encoder.encode(text);
}

/**
 * The byte length of `encode(records)` without encoding it (the in-memory queue only counts):
 * `Buffer.byteLength` is the UTF-8 length, and a line's fixed parts are 17 ASCII characters.
 */
function encodedLength(records: readonly SpoolRecord[]): number {
  let bytes = 0;
  for (const r of records) {
    bytes += r.json === undefined
      ? Buffer.byteLength(line(r))
      : Buffer.byteLength(JSON.stringify(r.index)) + Buffer.byteLength(JSON.stringify(r.id)) +
        Buffer.byteLength(r.json) + 17;
  }
  return bytes;
}

function segmentName(seq: number, docs: number): string {
  return `seg-${String(seq).padStart(16, "0")}-${docs}.ndjson`;
}

async function writeDurably(path: string, data: Uint8Array): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  let written = 0;
  while (written < data.length) written += await file.write(data.subarray(written));
  await file.sync();
}

async function syncDir(dir: string): Promise<void> {
  // Makes the new directory entry itself durable; not every platform allows opening a dir.
  try {
    using handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // best effort
  }
}

class SegmentQueue implements Spool {
  #entries: Entry[] = [];
  #nextSeq = 1;
  #docs = 0;
  #bytes = 0;
  #cachedBytes = 0;

  constructor(readonly options: SpoolOptions) {}

  async load(): Promise<void> {
    const dir = this.options.dir;
    if (dir === undefined) return;
    await Deno.mkdir(dir, { recursive: true });
    for await (const item of Deno.readDir(dir)) {
      if (!item.isFile) continue;
      if (item.name.endsWith(".tmp")) {
        await Deno.remove(`${dir}/${item.name}`).catch(() => {});
        continue;
      }
      const match = SEGMENT.exec(item.name);
      if (!match) continue;
      const { size } = await Deno.stat(`${dir}/${item.name}`);
      this.#entries.push({
        seq: Number(match[1]),
        docs: Number(match[2]),
        bytes: size,
        file: item.name,
      });
    }
    this.#entries.sort((a, b) => a.seq - b.seq || a.docs - b.docs);
    // A crash between writing a shortened segment and removing the old one leaves both: the
    // shorter one is the newer state.
    this.#entries = this.#entries.filter((e, i, all) => {
      if (i === 0 || all[i - 1].seq !== e.seq) return true;
      Deno.removeSync(`${dir}/${e.file}`);
      return false;
    });
    for (const e of this.#entries) {
      this.#docs += e.docs;
      this.#bytes += e.bytes;
    }
    this.#nextSeq = (this.#entries.at(-1)?.seq ?? 0) + 1;
  }

  async append(records: readonly SpoolRecord[]): Promise<void> {
    if (records.length === 0) return;
    const seq = this.#nextSeq++;
    const dir = this.options.dir;
    const data = dir === undefined ? undefined : encode(records);
    const entry: Entry = {
      seq,
      docs: records.length,
      bytes: data?.length ?? encodedLength(records),
    };
    if (dir === undefined || data === undefined) {
      entry.records = [...records];
    } else {
      entry.file = segmentName(seq, records.length);
      await writeDurably(`${dir}/${entry.file}.tmp`, data);
      await Deno.rename(`${dir}/${entry.file}.tmp`, `${dir}/${entry.file}`);
      await syncDir(dir);
      if (this.#cachedBytes + entry.bytes <= READ_CACHE_BYTES) {
        entry.records = [...records];
        entry.cached = true;
        this.#cachedBytes += entry.bytes;
      }
    }
    this.#entries.push(entry);
    this.#docs += entry.docs;
    this.#bytes += entry.bytes;
    await this.#enforceLimit();
  }

  async #enforceLimit(): Promise<void> {
    // The newest segment is always kept, even alone above the limit: it holds what was just
    // accepted, and dropping it would trade old loss for new loss.
    while (this.#bytes > this.options.maxBytes && this.#entries.length > 1) {
      const oldest = this.#entries.shift()!;
      await this.#forget(oldest);
      this.options.onDrop?.({ docs: oldest.docs, bytes: oldest.bytes });
    }
  }

  async #forget(entry: Entry): Promise<void> {
    this.#docs -= entry.docs;
    this.#bytes -= entry.bytes;
    if (entry.cached) this.#cachedBytes -= entry.bytes;
    if (entry.file !== undefined && this.options.dir !== undefined) {
      await Deno.remove(`${this.options.dir}/${entry.file}`).catch(() => {});
    }
  }

  async head(): Promise<SpoolSegment | undefined> {
    const entry = this.#entries[0];
    if (entry === undefined) return undefined;
    if (entry.records !== undefined) return { seq: entry.seq, records: entry.records };
    const text = await Deno.readTextFile(`${this.options.dir}/${entry.file}`);
    const records: SpoolRecord[] = [];
    let bad = 0;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      try {
        const raw = JSON.parse(line) as { i: string; d: string; b: Record<string, unknown> };
        records.push({ index: raw.i, id: raw.d, body: raw.b });
      } catch {
        bad++;
      }
    }
    if (bad > 0) this.options.onCorrupt?.({ file: entry.file!, lines: bad });
    return { seq: entry.seq, records };
  }

  async replace(seq: number, remaining: readonly SpoolRecord[]): Promise<void> {
    const at = this.#entries.findIndex((e) => e.seq === seq);
    // Dropped by the size limit while it was being delivered: nothing to keep.
    if (at < 0) return;
    const entry = this.#entries[at];
    if (remaining.length === 0) {
      this.#entries.splice(at, 1);
      await this.#forget(entry);
      return;
    }
    const dir = this.options.dir;
    const data = dir === undefined ? undefined : encode(remaining);
    const next: Entry = {
      seq,
      docs: remaining.length,
      bytes: data?.length ?? encodedLength(remaining),
    };
    if (dir === undefined || data === undefined) {
      next.records = [...remaining];
    } else {
      next.file = segmentName(seq, remaining.length);
      await writeDurably(`${dir}/${next.file}.tmp`, data);
      await Deno.rename(`${dir}/${next.file}.tmp`, `${dir}/${next.file}`);
      if (next.file !== entry.file) await Deno.remove(`${dir}/${entry.file}`).catch(() => {});
      await syncDir(dir);
    }
    if (entry.cached) this.#cachedBytes -= entry.bytes;
    this.#entries[at] = next;
    this.#docs += next.docs - entry.docs;
    this.#bytes += next.bytes - entry.bytes;
  }

  stats(): SpoolStats {
    return { segments: this.#entries.length, docs: this.#docs, bytes: this.#bytes };
  }
}

/**
 * Opens (and, with a directory, recovers) a spool.
 *
 * @example
 * ```ts
 * import { openSpool } from "./spool.ts";
 * const spool = await openSpool({ maxBytes: 1 << 20 });
 * await spool.append([{ index: "i", id: "1", body: { a: 1 } }]);
 * const head = await spool.head();
 * await spool.replace(head!.seq, []);
 * ```
 */
export async function openSpool(options: SpoolOptions): Promise<Spool> {
  const queue = new SegmentQueue(options);
  await queue.load();
  return queue;
}
