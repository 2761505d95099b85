/**
 * The summary rows a writer last wrote, kept in memory between its transactions so the next
 * point of the same bin does not read and parse the stored row again (a pScheduler run updates
 * three histogram aggregates and nine numeric aggregates). The owner clears the memo whenever
 * what it holds may differ from the database: a rollback, or a commit by anyone else.
 *
 * @module
 */
import type { PyObject } from "../esmond/py_json/mod.ts";

/** A numeric summary's running sums as stored in the point's `a` and `b` columns. */
export interface NumericSums {
  /** Sum (scaled for floats) or numerator. */
  readonly a: number;
  /** Count or denominator (null for a plain sum). */
  readonly b: number | null;
}

type Remembered = { readonly histogram: PyObject } | { readonly sums: NumericSums };

/**
 * The latest bin written per summary row, least recently used dropped past `maxRows`.
 *
 * @example
 * ```ts
 * import { SummaryMemo } from "./summary_memo.ts";
 * import assert from "node:assert/strict";
 * const memo = new SummaryMemo();
 * memo.setSums(7, 1800, { a: 100, b: null });
 * assert.deepEqual(memo.sums(7, 1800), { a: 100, b: null });
 * assert.equal(memo.sums(7, 2100), undefined); // another bin
 * assert.equal(memo.histogram(7, 1800), undefined); // not a histogram row
 * ```
 */
export class SummaryMemo {
  readonly #rows = new Map<number, { readonly bin: number; readonly value: Remembered }>();

  /** @example `new SummaryMemo(2048)` */
  constructor(readonly maxRows = 2048) {}

  #get(row: number, bin: number): Remembered | undefined {
    const entry = this.#rows.get(row);
    return entry !== undefined && entry.bin === bin ? entry.value : undefined;
  }

  #set(row: number, bin: number, value: Remembered): void {
    this.#rows.delete(row);
    this.#rows.set(row, { bin, value });
    if (this.#rows.size > this.maxRows) this.#rows.delete(this.#rows.keys().next().value!);
  }

  /**
   * The aggregate histogram of summary row `row` at `bin` as last written, if remembered. The
   * caller may update it in place, and must then store it or clear the memo.
   *
   * @example
   * ```ts
   * import { SummaryMemo } from "./summary_memo.ts";
   * new SummaryMemo().histogram(7, 0); // undefined
   * ```
   */
  histogram(row: number, bin: number): PyObject | undefined {
    const value = this.#get(row, bin);
    return value !== undefined && "histogram" in value ? value.histogram : undefined;
  }

  /**
   * Remembers the aggregate histogram just written to `row` at `bin`.
   *
   * @example
   * ```ts
   * import { SummaryMemo } from "./summary_memo.ts";
   * import { PyObject } from "../esmond/py_json/mod.ts";
   * new SummaryMemo().setHistogram(7, 0, new PyObject([["12", 3]]));
   * ```
   */
  setHistogram(row: number, bin: number, histogram: PyObject): void {
    this.#set(row, bin, { histogram });
  }

  /**
   * The sums of numeric summary row `row` at `bin` as last written, if remembered.
   *
   * @example
   * ```ts
   * import { SummaryMemo } from "./summary_memo.ts";
   * new SummaryMemo().sums(7, 0); // undefined
   * ```
   */
  sums(row: number, bin: number): NumericSums | undefined {
    const value = this.#get(row, bin);
    return value !== undefined && "sums" in value ? value.sums : undefined;
  }

  /**
   * Remembers the sums just written to `row` at `bin`.
   *
   * @example
   * ```ts
   * import { SummaryMemo } from "./summary_memo.ts";
   * new SummaryMemo().setSums(7, 0, { a: 3, b: 4 });
   * ```
   */
  setSums(row: number, bin: number, sums: NumericSums): void {
    this.#set(row, bin, { sums });
  }

  /**
   * Forgets everything.
   *
   * @example
   * ```ts
   * import { SummaryMemo } from "./summary_memo.ts";
   * new SummaryMemo().clear();
   * ```
   */
  clear(): void {
    this.#rows.clear();
  }
}
