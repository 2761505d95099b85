/**
 * The three output formats of the query tools (human, json, csv), as streaming renderers: rows
 * go in batch by batch as pages arrive and text comes out, so memory does not grow with the
 * data. The bytes are those of the original Python programs (clients spec §3).
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import type { ByteBuffer } from "./byte_buffer.ts";
import { CsvPointLayout } from "./csv_points.ts";
import { type PointLike, pointRows, type SeriesContext } from "./data_rows.ts";
import { pyJson, pyStr } from "./py_text.ts";

/** One output row: keys in output order. */
export type Row = Record<string, unknown>;

/** The output formats. */
export type OutputFormat = "human" | "json" | "csv";

/** The formats, in the order the validation message lists them. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["human", "json", "csv"];

/** Options for {@linkcode createRenderer}. */
export interface RendererOptions {
  /**
   * The columns, in order. `null`: every key of each row, in the row's order (packet-trace
   * human blocks, `-M` json objects).
   */
  readonly columns: readonly string[] | null;
  /** Human only: after the columns, also print the row's other keys (`-M`). */
  readonly extended?: boolean;
  /**
   * Whether the output ends with the newline Python's `print` adds (true for the query tools'
   * stdout, false for `esmond-ps-get-bulk` files).
   */
  readonly finalNewline?: boolean;
}

/** A streaming renderer: feed batches of rows, then take the ending. */
export interface RowRenderer {
  /** The text for the next rows (may be empty). */
  write(rows: readonly Row[]): string;
  /** The text that ends the output (the empty-result text when no row was written). */
  end(): string;
  /** How many rows were written so far. */
  readonly count: number;
  /**
   * Formats that can: the rows of `points` (as `pointRows` makes them for `context`) appended
   * to `out` as bytes, the same bytes `write` gives for those rows.
   */
  writePoints?(context: SeriesContext, points: readonly PointLike[], out: ByteBuffer): void;
}

const DELIMITER = "= + = + = + = + = + =\n";
const NO_DATA = "No data found.";

/**
 * Cell text shared by human and csv. Keys holding a list in the first row are "list fields"
 * and print joined with `, ` in every row, as the original decides once on its first row.
 */
class CellText {
  #listFields: Set<string> | null = null;

  learn(row: Row): void {
    if (this.#listFields !== null) return;
    this.#listFields = new Set(Object.keys(row).filter((k) => Array.isArray(row[k])));
  }

  text(key: string, value: unknown, none: string): string {
    if (value === null || value === undefined) return none;
    if (Array.isArray(value) && this.#listFields?.has(key)) {
      return value.map((item) => pyStr(item)).join(", ");
    }
    return pyStr(value);
  }
}

/**
 * The last primitive value of each column and its rendered text: most columns (source, tool,
 * summary window, the date part…) repeat from row to row, so their text is computed once per
 * run of equal values instead of once per row. Objects are never cached (a list field's text
 * depends on the key, a dict is a fresh object per point).
 */
class ColumnMemo {
  readonly #values: unknown[];
  readonly #texts: string[];

  constructor(width: number) {
    // Nothing a row holds equals a fresh symbol: no column starts with a cached text.
    this.#values = new Array(width).fill(Symbol("unset"));
    this.#texts = new Array(width).fill("");
  }

  /** The cached text of `value` in column `index`, or undefined. */
  get(index: number, value: unknown): string | undefined {
    return value === this.#values[index] && (value === null || typeof value !== "object")
      ? this.#texts[index]
      : undefined;
  }

  /** Remembers `text` for a primitive `value` of column `index`; returns `text`. */
  set(index: number, value: unknown, text: string): string {
    if (value === null || typeof value !== "object") {
      this.#values[index] = value;
      this.#texts[index] = text;
    }
    return text;
  }
}

class HumanRenderer implements RowRenderer {
  count = 0;
  readonly #options: RendererOptions;
  readonly #cells = new CellText();
  // `key: value` lines of fixed columns (null columns: each row has its own keys).
  readonly #memo: ColumnMemo;

  constructor(options: RendererOptions) {
    this.#options = options;
    this.#memo = new ColumnMemo(options.columns?.length ?? 0);
  }

  #line(key: string, value: unknown): string {
    return `${key}: ${this.#cells.text(key, value, "None")}\n`;
  }

  write(rows: readonly Row[]): string {
    let out = "";
    const fixed = this.#options.columns;
    for (const row of rows) {
      this.#cells.learn(row);
      if (this.count++ > 0) out += DELIMITER;
      const columns = fixed ?? Object.keys(row);
      if (fixed === null) {
        for (const key of columns) out += this.#line(key, row[key]);
      } else {
        for (let i = 0; i < fixed.length; i++) {
          const value = row[fixed[i]];
          out += this.#memo.get(i, value) ?? this.#memo.set(i, value, this.#line(fixed[i], value));
        }
      }
      if (this.#options.extended && this.#options.columns !== null) {
        const shown = new Set(columns);
        for (const key of Object.keys(row)) {
          if (!shown.has(key)) out += this.#line(key, row[key]);
        }
      }
    }
    return out;
  }

  end(): string {
    if (this.count === 0) return NO_DATA + "\n";
    return this.#options.finalNewline === false ? "" : "\n";
  }
}

class JsonRenderer implements RowRenderer {
  count = 0;
  readonly #options: RendererOptions;
  // `"column": ` texts, computed once: rows are written with the column order fixed.
  readonly #keys: readonly string[] | null;
  readonly #memo: ColumnMemo;

  constructor(options: RendererOptions) {
    this.#options = options;
    this.#keys = options.columns?.map((column) => pyJson(column) + ": ") ?? null;
    this.#memo = new ColumnMemo(options.columns?.length ?? 0);
  }

  write(rows: readonly Row[]): string {
    let out = "";
    const columns = this.#options.columns;
    const keys = this.#keys;
    for (const row of rows) {
      out += this.count++ === 0 ? "[" : ", ";
      if (columns === null || keys === null) {
        out += pyJson(row);
        continue;
      }
      out += "{";
      for (let i = 0; i < columns.length; i++) {
        if (i > 0) out += ", ";
        const value = row[columns[i]] ?? null;
        out += keys[i] + (this.#memo.get(i, value) ?? this.#memo.set(i, value, pyJson(value)));
      }
      out += "}";
    }
    return out;
  }

  end(): string {
    const body = this.count === 0 ? `[{"msg": "${NO_DATA}"}]` : "]";
    return this.#options.finalNewline === false ? body : body + "\n";
  }
}

// Python's csv module quotes a field holding the delimiter, the quote or any line-end
// character; csv-stringify alone would leave a lone `\n` or `\r` unquoted.
const CSV_OPTIONS = { record_delimiter: "\r\n", quoted_match: /[\r\n]/ } as const;
const NEEDS_QUOTES = /[",\r\n]/;

// One data cell as csv-stringify writes it with CSV_OPTIONS (quoted when needed, quotes
// doubled). Data rows are built cell by cell: csv-stringify costs several microseconds a
// record, a third of the export time; it still writes the header and the `No data` row, and
// the tests compare both paths.
function csvCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? '"' + text.replaceAll('"', '""') + '"' : text;
}

class CsvRenderer implements RowRenderer {
  count = 0;
  readonly #columns: readonly string[];
  readonly #finalNewline: boolean;
  readonly #cells = new CellText();
  readonly #memo: ColumnMemo;

  constructor(options: RendererOptions) {
    if (options.columns === null) throw new TypeError("csv output needs a column list");
    this.#columns = options.columns;
    this.#finalNewline = options.finalNewline !== false;
    this.#memo = new ColumnMemo(this.#columns.length);
  }

  #header(): string {
    return stringify([[...this.#columns]], CSV_OPTIONS);
  }

  #layoutContext: SeriesContext | undefined;
  #layout: CsvPointLayout | undefined;

  /**
   * The rows of `points` into `out`. Bulk series go through {@linkcode CsvPointLayout}; the
   * first row (header, list fields learnt) and every point of another shape take `write`.
   */
  writePoints(context: SeriesContext, points: readonly PointLike[], out: ByteBuffer): void {
    if (this.#layoutContext !== context) {
      this.#layoutContext = context;
      this.#layout = CsvPointLayout.create(
        context,
        this.#columns,
        (key, value) => csvCell(this.#cells.text(key, value, "")),
      );
    }
    const layout = this.#layout;
    for (let i = 0; i < points.length; i++) {
      const point = points[i];
      if (layout !== undefined && this.count > 0 && layout.write(point, out)) {
        this.count++;
      } else {
        out.ascii(this.write(pointRows(context, point)));
      }
    }
  }

  write(rows: readonly Row[]): string {
    if (rows.length === 0) return "";
    let out = this.count === 0 ? this.#header() : "";
    const columns = this.#columns;
    for (const row of rows) {
      this.#cells.learn(row);
      for (let i = 0; i < columns.length; i++) {
        const key = columns[i];
        const value = row[key];
        const cell = this.#memo.get(i, value) ??
          this.#memo.set(i, value, csvCell(this.#cells.text(key, value, "")));
        out += i === 0 ? cell : "," + cell;
      }
      out += "\r\n";
    }
    this.count += rows.length;
    return out;
  }

  end(): string {
    let out = "";
    if (this.count === 0) {
      out = this.#header() + stringify([this.#columns.map(() => "No data")], CSV_OPTIONS);
    }
    return this.#finalNewline ? out + "\n" : out;
  }
}

/**
 * A renderer for `format`.
 *
 * @example
 * ```ts
 * import { createRenderer } from "./renderers.ts";
 * import assert from "node:assert/strict";
 * const r = createRenderer("csv", { columns: ["source", "value"] });
 * let out = r.write([{ source: "a", value: 1 }]);
 * assert.deepEqual(out += r.end(), "source,value\r\na,1\r\n\n");
 * ```
 */
export function createRenderer(format: OutputFormat, options: RendererOptions): RowRenderer {
  switch (format) {
    case "human":
      return new HumanRenderer(options);
    case "json":
      return new JsonRenderer(options);
    case "csv":
      return new CsvRenderer(options);
  }
}
