/**
 * Keeps the archive's bucket order of histogram values. The original tools print a histogram
 * in the order the archive sent it (`{'400': 2, '646': 3, '196': 113}`), but a JS object puts
 * integer-like keys first in ascending order, so after `JSON.parse` that order is gone. This
 * module re-reads the key order from the page text and hands such values over as a `Map`
 * (the renderers print a Map in its order).
 *
 * It wraps the client library's page parser and source; the natural home of this logic is
 * `lib/esmond/data_point.ts` — move it there when the library adopts order-keeping parsing.
 *
 * @module
 */
import { type DataPoint, EsmondSource, parseDataPage } from "../../lib/esmond/mod.ts";

const INTEGER_LIKE = /^(0|[1-9]\d*)$/;
// A flat object value after "val": (histograms are flat: bucket → count).
const FLAT_VAL = /"val"\s*:\s*\{([^{}[\]]*)\}/g;
const KEY = /"((?:[^"\\]|\\.)*)"\s*:/g;

function needsOrder(val: unknown): val is Record<string, unknown> {
  if (val === null || typeof val !== "object" || Array.isArray(val) || val instanceof Map) {
    return false;
  }
  const keys = Object.keys(val);
  return keys.length > 1 && keys.some((key) => INTEGER_LIKE.test(key));
}

/**
 * Parses a data page like the library does, but with histogram values whose keys JS would
 * reorder returned as `Map`s in the page's key order.
 *
 * @example
 * ```ts
 * import { parseDataPageKeepingOrder } from "./histogram_order.ts";
 * const [p] = parseDataPageKeepingOrder('[{"ts":1,"val":{"400":2,"196":113}}]');
 * [...(p.val as Map<string, number>).keys()]; // ["400", "196"]
 * ```
 */
export function parseDataPageKeepingOrder(text: string): DataPoint[] {
  const points = parseDataPage(text);
  if (!points.some((point) => needsOrder(point.val))) return points;
  // Only pages whose every value is a flat object can be matched value by value.
  if (!points.every((point) => point.val !== null && typeof point.val === "object")) return points;
  const orders: string[][] = [];
  for (const match of text.matchAll(FLAT_VAL)) {
    const keys: string[] = [];
    for (const key of match[1].matchAll(KEY)) {
      keys.push(key[1].includes("\\") ? JSON.parse(`"${key[1]}"`) : key[1]);
    }
    orders.push(keys);
  }
  if (orders.length !== points.length) return points;
  return points.map((point, i) => {
    const val = point.val;
    if (!needsOrder(val)) return point;
    const keys = orders[i];
    const ordered = new Map<string, unknown>();
    for (const key of keys) {
      if (!Object.hasOwn(val, key)) return point;
      ordered.set(key, val[key]);
    }
    return ordered.size === Object.keys(val).length ? { ...point, val: ordered } : point;
  });
}

/**
 * The library's esmond source, reading data pages with {@linkcode parseDataPageKeepingOrder}.
 *
 * @example
 * ```ts
 * import { OrderKeepingSource } from "./histogram_order.ts";
 * const source = new OrderKeepingSource({ url: "http://127.0.0.1:8080" });
 * source.close();
 * ```
 */
export class OrderKeepingSource extends EsmondSource {
  /** GET and parse; data pages keep their histogram key order. */
  override getJson<T = unknown>(url: string, parse?: (text: string) => T): Promise<T> {
    const parser = parse === (parseDataPage as unknown) ? parseDataPageKeepingOrder : parse;
    return super.getJson(url, parser as ((text: string) => T) | undefined);
  }
}
