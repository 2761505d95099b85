/**
 * Streams a file line by line from a byte offset, reporting each line's byte range so a run can
 * resume exactly after the last record it stored.
 *
 * @module
 */

/** One line of the file. */
export interface Line {
  /** The line without its `\n` (and without a trailing `\r`). */
  readonly text: string;
  /** Byte offset of the line's first byte. */
  readonly start: number;
  /** Byte offset just after the line's `\n` (or after its last byte when unterminated). */
  readonly end: number;
  /** The raw bytes of the line, `\n` excluded (for hashing). */
  readonly bytes: Uint8Array;
  /** False for a last line that has no `\n` yet. */
  readonly terminated: boolean;
}

/** Options of {@linkcode readLines}. */
export interface ReadLinesOptions {
  /** Byte offset to start at (default 0). */
  readonly offset?: number;
  /** Read chunk size in bytes (default 256 KiB). */
  readonly chunkSize?: number;
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder();

/**
 * Yields the lines of an open file from `offset` on. The file position is moved by this
 * generator; give it a file handle of its own.
 *
 * @example
 * ```ts
 * import { readLines } from "./line_reader.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "DATE=1 TYPE=RETR\nDATE=2 TYPE=STOR\n");
 * const lines: string[] = [];
 * {
 *   using file = await Deno.open(path);
 *   for await (const line of readLines(file, { offset: 0 })) lines.push(line.text);
 * }
 * await Deno.remove(path);
 * assert.deepEqual(lines, ["DATE=1 TYPE=RETR", "DATE=2 TYPE=STOR"]);
 * ```
 */
export async function* readLines(
  file: Deno.FsFile,
  options: ReadLinesOptions = {},
): AsyncGenerator<Line> {
  let position = options.offset ?? 0;
  await file.seek(position, Deno.SeekMode.Start);
  const chunk = new Uint8Array(options.chunkSize ?? 256 * 1024);
  let carry = new Uint8Array(0);
  while (true) {
    const n = await file.read(chunk);
    if (n === null) break;
    let buffer: Uint8Array;
    if (carry.length === 0) {
      buffer = chunk.subarray(0, n);
    } else {
      buffer = new Uint8Array(carry.length + n);
      buffer.set(carry);
      buffer.set(chunk.subarray(0, n), carry.length);
    }
    let from = 0;
    while (true) {
      const nl = buffer.indexOf(NEWLINE, from);
      if (nl < 0) break;
      const bytes = buffer.slice(from, nl);
      const start = position;
      position += nl + 1 - from;
      yield { text: lineText(bytes), start, end: position, bytes, terminated: true };
      from = nl + 1;
    }
    carry = buffer.slice(from);
  }
  if (carry.length > 0) {
    yield {
      text: lineText(carry),
      start: position,
      end: position + carry.length,
      bytes: carry,
      terminated: false,
    };
  }
}

function lineText(bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}
