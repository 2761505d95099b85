// The graphs page's pure parts: summary choice, value columns, traceroute routes, formats.
import { assertEquals } from "../../../../tests/harness/assert.ts";
import { chooseSummary } from "./choose_summary.ts";
import { percent, si } from "./format.ts";
import { lossStatus, throughputStatus } from "./palette.ts";
import { columnsOf, numericValue, spreadStats } from "./series_values.ts";
import { traceRuns } from "./trace_model.ts";

const base = { summaryType: "base", window: 0, uri: "b" };
const hour = { summaryType: "statistics", window: 3600, uri: "h" };
const day = { summaryType: "statistics", window: 86400, uri: "d" };

Deno.test("chooseSummary: base when it fits, finest window under the budget, else coarsest", () => {
  const pick = (rangeSeconds: number, basePoints?: number, windows = [day, hour]) =>
    chooseSummary({ rangeSeconds, maxPoints: 2000, base, windows, basePoints }).uri;
  assertEquals(pick(30 * 86400, 1999), "b");
  assertEquals(pick(30 * 86400, 43200), "h");
  assertEquals(pick(30 * 86400), "h");
  assertEquals(pick(365 * 86400), "d"); // 8760 hours > 2000
  assertEquals(pick(20000 * 86400), "d"); // nothing fits: the coarsest
  assertEquals(pick(30 * 86400, 43200, []), "b"); // no summary: the base (cut)
});

Deno.test("columnsOf keeps every figure as long as the time column", () => {
  const c = columnsOf(
    [{ ts: 1, val: { a: 1 } }, { ts: 2, val: { b: 2 } }, { ts: 3, val: { a: 3, b: 4 } }],
    (v) => v as Record<string, number>,
  );
  assertEquals(c, { ts: [1, 2, 3], values: { a: [1, null, 3], b: [null, 2, 4] } });
  assertEquals([numericValue("x"), numericValue(null), numericValue(2)], [null, null, 2]);
});

Deno.test("spreadStats reads statistics summaries and raw histograms", () => {
  assertEquals(spreadStats({ minimum: 1, median: 2, maximum: 9, mean: 3 }), {
    minimum: 1,
    median: 2,
    maximum: 9,
  });
  assertEquals(spreadStats({ "20.5": 1, "20.1": 3, "30": 1 }), {
    minimum: 20.1,
    median: 20.1,
    maximum: 30,
  });
  assertEquals([spreadStats({}), spreadStats([1]), spreadStats(null)], [null, null, null]);
});

Deno.test("traceRuns: a silent hop is the same route, another address or length is a change", () => {
  const run = (ts: number, ...ips: (string | null)[]) => ({
    ts,
    val: ips.map((ip, i) => ({ ttl: String(i + 1), query: "1", ip })),
  });
  const runs = traceRuns([
    run(4, "a", "x", "z"),
    run(1, "a", "b", "z"),
    run(2, "a", null, "z"),
    run(3, "a", "b", "z"),
    run(5, "a", "x", "y", "z"),
  ]);
  assertEquals(runs.map((r) => [r.ts, r.changed]), [
    [1, false],
    [2, false],
    [3, false],
    [4, true],
    [5, true],
  ]);
  assertEquals(runs[1].path, "a > * > z");
});

Deno.test("formats and thresholds", () => {
  assertEquals([si(0, "bit/s"), si(950e6, "bit/s"), si(12.5e9, "bit/s")], [
    "0 bit/s",
    "950 Mbit/s",
    "12.5 Gbit/s",
  ]);
  assertEquals([percent(0), percent(0.018), percent(null)], ["0 %", "1.8 %", "–"]);
  assertEquals(
    [throughputStatus(1e9), throughputStatus(99e6), throughputStatus(undefined)].map((s) =>
      s.level
    ),
    ["ok", "critical", "none"],
  );
  assertEquals([lossStatus(0.001), lossStatus(0.005)].map((s) => s.level), ["ok", "warning"]);
});
