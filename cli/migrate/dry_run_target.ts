/**
 * `--dry-run`: documents are printed, one JSON line each
 * (`{"index": …, "id": …, "document": …}`), nothing is written anywhere.
 *
 * @module
 */
import { TextOutput } from "../query/output.ts";
import type { MigratedDocument } from "../../lib/pscheduler/esmond_run_document.ts";
import type { DocumentTarget, WriteOutcome } from "./target.ts";

/**
 * Prints documents to a text output.
 *
 * @example
 * ```ts
 * import { DryRunTarget } from "./dry_run_target.ts";
 * const lines: string[] = [];
 * const target = new DryRunTarget({ write: (t: string) => void lines.push(t), flush() {} });
 * await target.write([{ index: "pscheduler_rtt", id: "x", document: { a: 1 }, unmapped: [] }]);
 * if (lines[0] !== '{"index":"pscheduler_rtt","id":"x","document":{"a":1}}\n') throw new Error(lines[0]);
 * ```
 */
export class DryRunTarget implements DocumentTarget {
  readonly #out: Pick<TextOutput, "write" | "flush">;
  /** For messages. */
  readonly description = "stdout (--dry-run)";

  /** Prints to `out` (stdout by default). */
  constructor(out: Pick<TextOutput, "write" | "flush"> = new TextOutput()) {
    this.#out = out;
  }

  /** Prints the batch. */
  write(documents: readonly MigratedDocument[]): Promise<WriteOutcome> {
    for (const { index, id, document } of documents) {
      this.#out.write(JSON.stringify({ index, id, document }) + "\n");
    }
    return Promise.resolve({ created: documents.length, existed: 0, refused: [] });
  }

  /** Flushes stdout. */
  close(): Promise<void> {
    this.#out.flush();
    return Promise.resolve();
  }
}
