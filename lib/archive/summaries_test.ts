import { assertEquals } from "../../tests/harness/mod.ts";
import { parsePyJsonTree, PyObject, stringifyPyJsonTree } from "../esmond/py_json/mod.ts";
import { binStart, histogramStatistics, mergeHistograms } from "./summaries.ts";

Deno.test("statistics: the spec's worked example (NIST percentiles)", () => {
  // Bucket order as esmond's aggregated dict held it; the mean's last digit and the order of
  // `mode` depend on it.
  const histogram = new PyObject([["41.10", 98], ["50.0", 1], ["41.00", 98], ["41.20", 3]]);
  const stats = JSON.parse(stringifyPyJsonTree(histogramStatistics(histogram)));
  assertEquals(stats, {
    "mode": [41.1, 41.0],
    "mean": 41.097,
    "minimum": 41.0,
    "maximum": 50.0,
    "percentile-25": 41.0,
    "median": 41.1,
    "percentile-75": 41.1,
    "percentile-95": 41.1,
    "variance": 0.40109100000000003,
    "standard-deviation": 0.6333174559413313,
  });
});

Deno.test("statistics: interpolation, edges, non-numeric buckets", () => {
  // N = 4 samples 1,2,3,4: p25 → n = 1.25 → 1 + 0.25·(2−1)
  const s = JSON.parse(
    stringifyPyJsonTree(
      histogramStatistics(new PyObject([["4", 1], ["1", 1], ["3", 1], ["2", 1]])),
    ),
  );
  assertEquals(s["percentile-25"], 1.25);
  assertEquals(s.median, 2.5);
  assertEquals(s["percentile-75"], 3.75);
  assertEquals(s["percentile-95"], 4);
  assertEquals(s.mode, [4, 1, 3, 2]);
  const single = JSON.parse(stringifyPyJsonTree(histogramStatistics(new PyObject([["7", 1]]))));
  assertEquals([single.minimum, single.median, single["percentile-95"]], [7, 7, 7]);
  assertEquals(stringifyPyJsonTree(histogramStatistics(new PyObject([["a", 1], ["2", 1]]))), "{}");
});

Deno.test("aggregation merge and bins", () => {
  const merged = mergeHistograms(
    parsePyJsonTree('{"41.00":98,"41.10":2}') as PyObject,
    parsePyJsonTree('{"41.10":96,"41.20":3,"50.0":1}') as PyObject,
  );
  assertEquals(stringifyPyJsonTree(merged), '{"41.00":98,"41.10":98,"41.20":3,"50.0":1}');
  const back = mergeHistograms(merged, parsePyJsonTree('{"41.20":3,"50.0":1}') as PyObject, -1);
  assertEquals(stringifyPyJsonTree(back), '{"41.00":98,"41.10":98}');
  assertEquals(binStart(1398965989, 86400), 1398902400);
  assertEquals(binStart(1398965989, 3600), 1398963600);
  assertEquals(binStart(1398965989, 0), 1398965989);
});
