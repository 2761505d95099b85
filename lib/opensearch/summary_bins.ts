/**
 * Summary series over `pscheduler_*` documents, as esmond computes them on write: numeric
 * bins by an OpenSearch composite `date_histogram` with a scripted exact-integer sum over
 * `_source` (so values are the documents' doubles, not the 32-bit doc values of the dynamic
 * mapping), histogram aggregations and statistics merged from the base points in time order.
 *
 * @module
 */
import type { DataType } from "../esmond/event_types.ts";
import { parsePyJsonTree, PyObject, stringifyPyJsonTree } from "../esmond/py_json/tree.ts";
import { pyFloatJson } from "../esmond/py_json/float_text.ts";
import { addToHistogram, binStart, histogramStatistics } from "../archive/summaries.ts";
import type { EventTypeRow, MetadataRecord } from "../archive/metadata_store.ts";
import type { NumericField } from "./document_view.ts";
import { ESMOND_KEY_FIELD } from "./metadata_key.ts";

type Json = Record<string, unknown>;

/** One rendered point. */
export interface RenderedPoint {
  /** Epoch seconds. */
  readonly ts: number;
  /** The value as JSON text. */
  readonly val: string;
}

/** The seconds a summary read covers, both inclusive. */
export interface BinRange {
  /** First second. */
  readonly begin: number;
  /** Last second. */
  readonly end: number;
}

/** What a numeric summary read needs to know about its series. */
export interface NumericSummaryQuery extends BinRange {
  /** Filter clauses that select the series' documents (its metadata identity). */
  readonly identity: readonly Json[];
  /** Where the value (and a ratio's denominator) lies in a document. */
  readonly field: NumericField;
  /** The event type's data type. */
  readonly dataType: DataType;
  /** The summary row (type and window). */
  readonly row: EventTypeRow;
}

// Painless without user functions (scripted metrics refuse them): walk `_source` along a path.
const walk = (name: string, path: string) =>
  `def ${name} = params._source; for (def p : params.${path}) { if (${name} instanceof Map) { ${name} = ((Map) ${name}).get(p); } else { ${name} = null; } }`;

// Exact integer sums as the SQLite store keeps them: a = Σ value (× scale, truncated, but a
// value from an esmond archive keeps its units, see storedValue), b = count (or Σ denominator
// for a ratio).
const SUM_SCRIPT = {
  init_script: "state.a = 0L; state.b = 0L;",
  map_script: `${walk("v", "value")}
if (v instanceof Number) {
  if (params.den.size() > 0) {
    ${walk("d", "den")}
    if (d instanceof Number && ((Number) d).doubleValue() > 0) {
      state.a += (long) ((Number) v).doubleValue();
      state.b += (long) ((Number) d).doubleValue();
    }
  } else {
    double x = ((Number) v).doubleValue();
    long units = (long) (x * params.scale);
    if (params.scale > 1) {
      ${walk("k", "key")}
      long near = Math.round(x * params.scale);
      if (k != null && ((double) near) / params.scale == x) { units = near; }
    }
    state.a += units;
    state.b += 1;
  }
}`,
  combine_script: "return [state.a, state.b];",
  reduce_script:
    "long a = 0; long b = 0; for (def s : states) { if (s != null) { a += s[0]; b += s[1]; } } return [a, b];",
};

/**
 * Summary bins of a numeric event type by aggregation, ascending; `search` runs one search
 * body and returns the answer.
 *
 * @example
 * ```ts ignore
 * import { numericSummaryBins } from "./summary_bins.ts";
 * // for await (const bin of numericSummaryBins((body) => search(body), query)) …
 * ```
 */
export async function* numericSummaryBins(
  search: (body: Json) => Promise<Json>,
  query: NumericSummaryQuery,
): AsyncIterable<RenderedPoint> {
  const { row, field, dataType, begin, end } = query;
  const window = row.summaryWindow;
  // Bins are whole windows: esmond reads bins whose start lies in the range.
  const filter: Json[] = [
    ...query.identity,
    { bool: { must_not: { term: { "result.succeeded": false } } } },
    {
      range: {
        "pscheduler.start_time": {
          gte: begin * 1000,
          lt: (binStart(end, window) + window) * 1000,
          format: "epoch_millis",
        },
      },
    },
  ];
  let after: Json | undefined;
  const path = (p: string) => p.split(".");
  const params = {
    value: path(field.value),
    den: field.denominator ? path(field.denominator) : [],
    scale: dataType === "float" ? 10000 : 1,
    key: path(ESMOND_KEY_FIELD),
  };
  while (true) {
    const answer = await search({
      size: 0,
      query: { bool: { filter } },
      aggs: {
        bins: {
          composite: {
            size: 1000,
            sources: [{
              bin: {
                date_histogram: { field: "pscheduler.start_time", fixed_interval: `${window}s` },
              },
            }],
            ...(after ? { after } : {}),
          },
          aggs: { sums: { scripted_metric: { ...SUM_SCRIPT, params } } },
        },
      },
    });
    const agg = (answer.aggregations as Json).bins as { buckets: Json[]; after_key?: Json };
    for (const bucket of agg.buckets) {
      const ts = Math.floor(Number((bucket.key as Json).bin) / 1000);
      const [a, b] = (bucket.sums as { value: [number, number] }).value;
      if (b === 0 || ts < begin || ts > end) continue;
      let val: string;
      if (dataType === "percentage") val = pyFloatJson(a / b);
      else if (row.summaryType === "average") val = pyFloatJson(a / b / params.scale);
      else val = pyFloatJson(a / params.scale);
      yield { ts, val };
    }
    if (agg.buckets.length < 1000 || !agg.after_key) return;
    after = agg.after_key;
  }
}

/**
 * Summary bins of a histogram event type, merged in time order as esmond does on write;
 * `readBase(from, to)` reads the series' base points in that range, ascending.
 *
 * @example
 * ```ts ignore
 * import { histogramSummaryBins } from "./summary_bins.ts";
 * // for await (const bin of histogramSummaryBins(record, row, { begin, end }, readBase)) …
 * ```
 */
export async function* histogramSummaryBins(
  record: MetadataRecord,
  row: EventTypeRow,
  range: BinRange,
  readBase: (from: number, to: number) => AsyncIterable<RenderedPoint>,
): AsyncIterable<RenderedPoint> {
  const { begin, end } = range;
  const window = row.summaryWindow;
  const hasAggregate = record.eventTypes.some((r) =>
    r.eventType === row.eventType && r.summaryType === "aggregation" &&
    r.summaryWindow === window
  );
  let bin: number | undefined;
  let merged = new PyObject();
  let newest: PyObject | undefined;
  const emit = (): RenderedPoint => {
    if (row.summaryType === "aggregation") return { ts: bin!, val: stringifyPyJsonTree(merged) };
    return {
      ts: bin!,
      val: stringifyPyJsonTree(histogramStatistics(hasAggregate ? merged : newest!)),
    };
  };
  const from = binStart(begin, window);
  for await (const point of readBase(from, end + window)) {
    const histogram = parsePyJsonTree(point.val) as PyObject;
    if (window === 0) {
      yield { ts: point.ts, val: stringifyPyJsonTree(histogramStatistics(histogram)) };
      continue;
    }
    const b = binStart(point.ts, window);
    if (b > end) break;
    if (bin !== undefined && b !== bin) {
      yield emit();
      merged = new PyObject();
    }
    bin = b;
    addToHistogram(merged, histogram);
    newest = histogram;
  }
  if (bin !== undefined && window > 0) yield emit();
}
