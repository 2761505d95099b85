/**
 * Reads program-log text (`ts=<local time> event=<event> id=<UNIX s> <message>`) back into
 * lines, checking each line's shape and that `ts` and `id` name the same second.
 *
 * @module
 */

/** One parsed program-log line. */
export interface ProgramLogLine {
  readonly event: string;
  readonly id: number;
  /** The message; continuation lines (a multi-line message) are joined with `\n`. */
  readonly message: string;
}

const LINE = /^ts=(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) event=(\S+) id=(\d+) (.*)$/;

/**
 * Parses `text`; throws on text before the first line or a line whose `ts` (local time) and
 * `id` are different seconds.
 *
 * @example
 * ```ts
 * import { parseProgramLog } from "./lines.ts";
 * import assert from "node:assert/strict";
 * // `id` is the epoch second of `ts`, which the log writes in local time.
 * const id = Math.floor(new Date(2026, 0, 2, 3, 4, 5).getTime() / 1000);
 * const [line] = parseProgramLog(`ts=2026-01-02 03:04:05,067 event=main.start id=${id} go\n`);
 * assert.equal(line.event, "main.start");
 * assert.equal(line.message, "go");
 * ```
 */
export function parseProgramLog(text: string): ProgramLogLine[] {
  const lines: { event: string; id: number; message: string }[] = [];
  for (const raw of text.split("\n")) {
    const match = LINE.exec(raw);
    if (match === null) {
      if (lines.length === 0) {
        if (raw === "") continue;
        throw new Error(`not a program-log line: ${JSON.stringify(raw)}`);
      }
      lines[lines.length - 1].message += `\n${raw}`;
      continue;
    }
    const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number);
    const id = Number(match[9]);
    const local = new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;
    if (local !== id) throw new Error(`ts and id differ (${local} != ${id}): ${raw}`);
    lines.push({ event: match[8], id, message: match[10] });
  }
  // The text ends with a newline: the last message got an empty continuation.
  for (const line of lines) line.message = line.message.replace(/\n$/, "");
  return lines;
}
