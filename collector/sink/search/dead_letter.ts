/**
 * The dead-letter file: documents the cluster rejected for good (e.g. a mapping error), one
 * JSON line each with the time, index, id, status, reason and the document, appended and
 * fsync'ed so an operator can fix and re-send them.
 *
 * @module
 */
import type { RejectedRecord } from "./bulk_result.ts";

const encoder = new TextEncoder();

/**
 * The NDJSON lines for rejected records (pure).
 *
 * @example
 * ```ts
 * import { deadLetterLines } from "./dead_letter.ts";
 * deadLetterLines([{ record: { index: "i", id: "1", body: {} }, status: 400, reason: "bad" }],
 *   new Date(0));
 * ```
 */
export function deadLetterLines(rejected: readonly RejectedRecord[], now: Date): string {
  return rejected.map(({ record, status, reason }) =>
    JSON.stringify({
      time: now.toISOString(),
      index: record.index,
      id: record.id,
      status,
      reason,
      document: record.body,
    }) + "\n"
  ).join("");
}

/**
 * Appends rejected records to `path` and syncs it.
 *
 * @example
 * ```ts
 * import { appendDeadLetters } from "./dead_letter.ts";
 * await appendDeadLetters("/tmp/dead.ndjson", []);
 * ```
 */
export async function appendDeadLetters(
  path: string,
  rejected: readonly RejectedRecord[],
): Promise<void> {
  if (rejected.length === 0) return;
  const data = encoder.encode(deadLetterLines(rejected, new Date()));
  using file = await Deno.open(path, { append: true, create: true });
  let written = 0;
  while (written < data.length) written += await file.write(data.subarray(written));
  await file.sync();
}
