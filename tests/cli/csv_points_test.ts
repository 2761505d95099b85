// The csv byte path of get-bulk (CsvRenderer.writePoints with its CsvPointLayout) must give the
// bytes of the generic path: pointRows for each point, one renderer's write() over all rows.
// The generic path is the oracle; the points cover what the fast path writes itself and what
// it must hand back (other shapes, odd keys, list fields learnt from the first row).
import { assertEquals } from "../harness/mod.ts";
import { ByteBuffer } from "../../cli/format/byte_buffer.ts";
import {
  type PointLike,
  pointRows,
  seriesColumns,
  type SeriesContext,
} from "../../cli/format/data_rows.ts";
import { createRenderer } from "../../cli/format/renderers.ts";
import { PyFloat } from "../../cli/format/py_text.ts";

function context(family: "numeric" | "histogram", extra: Partial<SeriesContext> = {}) {
  return {
    source: "198.129.254.30",
    destination: "198.124.252.141",
    eventType: family === "numeric" ? "throughput" : "histogram-owdelay",
    tool: "bwctl/iperf3",
    summaryType: "base",
    summaryWindow: 0,
    bucketWidth: family === "histogram" ? "0.01" : null,
    family,
    statistics: false,
    humanTrace: false,
    hostName: (a: string) => a,
    ...extra,
  } satisfies SeriesContext;
}

function generic(ctx: SeriesContext, points: PointLike[]): string {
  const r = createRenderer("csv", { columns: seriesColumns(ctx), finalNewline: false });
  const text = r.write(points.flatMap((p) => pointRows(ctx, p)));
  return text + r.end();
}

// Pages of three points each, so state crosses writePoints calls as it does between pages.
function bytes(ctx: SeriesContext, points: PointLike[]): string {
  const r = createRenderer("csv", { columns: seriesColumns(ctx), finalNewline: false });
  const out = new ByteBuffer(16);
  for (let i = 0; i < points.length; i += 3) r.writePoints!(ctx, points.slice(i, i + 3), out);
  return new TextDecoder().decode(out.view()) + r.end();
}

const DAY = 86400;
const T = 1391563070;

const NUMERIC: PointLike[] = [
  { tsEpoch: T, val: 5524593445, valIsFloat: true },
  { tsEpoch: T + 1, val: 5524593445, valIsFloat: false },
  { tsEpoch: T + 2, val: null },
  { tsEpoch: T + 3, val: 0.04666666666666667, valIsFloat: true },
  { tsEpoch: T + 4, val: 0, valIsFloat: true },
  { tsEpoch: T + 5, val: -0, valIsFloat: true },
  { tsEpoch: T + 6, val: -0, valIsFloat: false },
  { tsEpoch: T + DAY, val: 1e15, valIsFloat: true },
  { tsEpoch: T + DAY, val: 999999999999999, valIsFloat: true },
  { tsEpoch: T + DAY, val: 1e16, valIsFloat: true },
  { tsEpoch: T + 2 * DAY, val: 1e21, valIsFloat: false },
  { tsEpoch: T + 2 * DAY, val: 2 ** 53 + 2, valIsFloat: false },
  { tsEpoch: T + 2 * DAY, val: -17, valIsFloat: true },
  { tsEpoch: T + 2 * DAY, val: 1e-5, valIsFloat: true },
  { tsEpoch: T - 5 * DAY, val: 1, valIsFloat: false },
  { tsEpoch: -1, val: 1, valIsFloat: false },
  { tsEpoch: 0, val: NaN, valIsFloat: true },
  { tsEpoch: 253402127999, val: 3, valIsFloat: false },
  { tsEpoch: 253402128000, val: 3, valIsFloat: false },
  { tsEpoch: T, val: 'a, "quoted" string' },
  { tsEpoch: T, val: [1, new PyFloat(2)] },
  { tsEpoch: T, val: { "41.0": 1 } },
  { tsEpoch: T, val: true },
  { tsEpoch: T + 86399, val: 7 },
];

const HISTOGRAM: PointLike[] = [
  { tsEpoch: T, val: { "41.00": 98, "41.10": 2, "41.20": 3, "50.0": 1 } },
  { tsEpoch: T + 1, val: { "41.00": 98 } },
  { tsEpoch: T + 2, val: {} },
  { tsEpoch: T + 3, val: new Map<string, unknown>([["400", 2], ["196", 113]]) },
  { tsEpoch: T + 4, val: { "1": new PyFloat(2), "2": 0.5, "3": -4, "4": -0, "5": 1e21 } },
  { tsEpoch: T + 5, val: { "it's": 1, "b": 2 } },
  { tsEpoch: T + 6, val: { 'say "hi"': 1 } },
  { tsEpoch: T + 7, val: { "a,b": 1 } },
  { tsEpoch: T + 8, val: { "é": 1, "b": 2 } },
  { tsEpoch: T + 9, val: { "back\\slash": 1, "line\nbreak": 2 } },
  { tsEpoch: T + 10, val: { "a": null, "b": "x" } },
  { tsEpoch: T + 11, val: { "a": { "b": 1 }, "c": [1, 2] } },
  { tsEpoch: T + 12, val: null },
  { tsEpoch: T + 13, val: [1, 2] },
  { tsEpoch: T + 14, val: 5 },
  { tsEpoch: T + DAY, val: { "41.00": 98, "41.10": 2 } },
];

Deno.test("csv bytes of numeric points are those of the generic rows", () => {
  const ctx = context("numeric");
  assertEquals(bytes(ctx, NUMERIC), generic(ctx, NUMERIC));
  // A series whose first value is a list: `value` is a list field for every later row too.
  const listFirst = [NUMERIC[20], ...NUMERIC];
  assertEquals(bytes(ctx, listFirst), generic(ctx, listFirst));
});

Deno.test("csv bytes of histogram points are those of the generic rows", () => {
  const ctx = context("histogram");
  assertEquals(bytes(ctx, HISTOGRAM), generic(ctx, HISTOGRAM));
  const listFirst = [HISTOGRAM[13], ...HISTOGRAM];
  assertEquals(bytes(ctx, listFirst), generic(ctx, listFirst));
});

Deno.test("csv bytes: constant cells needing quotes or missing, other families, statistics", () => {
  const odd = { source: "a,b", destination: null, tool: 'x"y', summaryType: "average" };
  for (
    const ctx of [context("numeric", odd), context("histogram", { ...odd, bucketWidth: null })]
  ) {
    const points = ctx.family === "numeric" ? NUMERIC : HISTOGRAM;
    assertEquals(bytes(ctx, points), generic(ctx, points));
  }
  const stats = context("histogram", { statistics: true, summaryType: "statistics" });
  const statPoints: PointLike[] = [
    { tsEpoch: T, val: { minimum: 1, median: new PyFloat(2), "percentile-95": 3.5 } },
    { tsEpoch: T + 1, val: null },
  ];
  assertEquals(bytes(stats, statPoints), generic(stats, statPoints));
  const failures = { ...context("numeric"), family: "failures" as const, eventType: "failures" };
  const failurePoints: PointLike[] = [{ tsEpoch: T, val: { error: 'é, "x"' } }];
  assertEquals(bytes(failures, failurePoints), generic(failures, failurePoints));
});

Deno.test("csv bytes: no points give no bytes and the no-data ending", () => {
  const ctx = context("numeric");
  assertEquals(bytes(ctx, []), generic(ctx, []));
});
