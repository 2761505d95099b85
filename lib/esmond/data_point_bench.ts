/**
 * Micro-benchmark of the page parser: one 10,000-point page of each common shape.
 *
 * @module
 */
import { parseDataPage } from "./data_point.ts";

const N = 10_000;
const T0 = 1_000_000_000;
const numeric = `[${
  Array.from({ length: N }, (_, i) => `{"ts":${T0 + i},"val":${5_000_000_000 + i * 7919}.0}`).join(
    ",",
  )
}]`;
const histogram = JSON.stringify(
  Array.from({ length: N }, (_, i) => ({ ts: T0 + i, val: { "9": i % 77, "10": 523, "11": 4 } })),
);
const unordered = JSON.stringify(
  Array.from({ length: N }, (_, i) => ({ ts: T0 + i, val: { "x": 0 } })),
).replaceAll('{"x":0}', '{"472":3,"800":41,"15":5,"263":281,"241":49,"505":30,"232":191}');
const statistics = `[${
  Array.from({ length: N }, (_, i) =>
    `{"ts":${
      T0 + i
    },"val":{"minimum":41.0,"maximum":50.0,"mean":41.097,"mode":[41.1,41.0],"median":${i}.5}}`)
    .join(",")
}]`;

Deno.bench("parseDataPage: 10k numeric points (floats)", { group: "parse", baseline: true }, () => {
  parseDataPage(numeric);
});
Deno.bench("parseDataPage: 10k histograms (3 buckets)", { group: "parse" }, () => {
  parseDataPage(histogram);
});
Deno.bench("parseDataPage: 10k histograms (7 buckets, archive order kept as Map)", {
  group: "parse",
}, () => {
  parseDataPage(unordered);
});
Deno.bench("parseDataPage: 10k statistics objects (marked-float path)", { group: "parse" }, () => {
  parseDataPage(statistics);
});
