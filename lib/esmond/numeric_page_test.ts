import { assert, assertEquals, assertThrows } from "../../tests/harness/assert.ts";
import { parseDataPage } from "./data_point.ts";
import { scanNumericPage } from "./numeric_page.ts";
import { parsePyJson } from "./py_json/parse.ts";

const triple = (ts: number, val: number | null, f: boolean) => [ts, val, f];

/** What the general parser (py_json) makes of a page, for comparison with the scanner. */
function general(text: string): unknown[] {
  return (parsePyJson(text) as { ts: unknown; val: unknown }[]).map((p) => {
    const v = p.val === undefined ? null : p.val;
    const isFloat = typeof v === "object" && v !== null; // PyFloat
    const n = isFloat ? (v as { value: number }).value : v as number | null;
    return [
      Math.trunc(Number(p.ts)),
      n,
      isFloat || (typeof n === "number" && !Number.isInteger(n)),
    ];
  });
}

Deno.test("scanNumericPage reads the same values and float flags as the general parser", () => {
  const pages = [
    '[{"ts":1,"val":325.0},{"ts":2,"val":325},{"ts":3,"val":1e-05},{"ts":4,"val":null}]',
    '[ {\n "ts" : 5 ,\t"val" : -0.0 } , {"val":-12.50,"ts":6} ]',
    '[{"ts":7,"val":12345678901234567890},{"ts":8,"val":1234567890123456.0},{"ts":9,"val":1E+3}]',
    '[{"ts":10,"val":0.1},{"ts":11,"val":-7},{"ts":12,"val":99999999999999999999.000}]',
    "[]",
    " [ ] ",
  ];
  for (const page of pages) {
    const got = scanNumericPage(page, triple);
    assert(got !== null, page);
    assertEquals(got, general(page), page);
    // -0 survives like JSON.parse keeps it
    for (const [i, p] of got.entries()) {
      const want = (JSON.parse(page) as { val: unknown }[])[i].val;
      assert(Object.is(p[1], want), `${page} #${i}`);
    }
  }
});

Deno.test("scanNumericPage gives up on anything but {ts, val} with numbers", () => {
  for (
    const page of [
      '[{"ts":1,"val":{"9":1}}]',
      '[{"ts":1,"val":"3"}]',
      '[{"ts":"1","val":3}]',
      '[{"ts":1,"val":3,"x":1}]',
      '[{"ts":1,"ts":2,"val":3}]',
      '[{"ts":1}]',
      '[{"ts":1,"val":01}]',
      '[{"ts":1,"val":1.}]',
      '[{"ts":1,"val":1e}]',
      '[{"ts":1,"val":3},]',
      '[{"ts":1,"val":3}] x',
      '[{"ts":1e400,"val":3}]',
      '{"ts":1,"val":3}',
      '[{"ts":1,"val":nul}]',
    ]
  ) {
    assertEquals(scanNumericPage(page, triple), null, page);
  }
});

Deno.test("parseDataPage keeps its errors and the general path where the scanner gives up", () => {
  assertThrows(() => parseDataPage('[{"ts":1,"val":01}]'), SyntaxError);
  assertThrows(() => parseDataPage('[{"ts":1,"val":3},]'), SyntaxError);
  assertThrows(() => parseDataPage('[{"ts":1e400,"val":3}]'), TypeError, "ts");
  const [dup] = parseDataPage('[{"ts":1,"ts":2,"val":3.0}]');
  assertEquals([dup.tsEpoch, dup.val, dup.valIsFloat], [2, 3, true]);
  const [str] = parseDataPage('[{"ts":"9","val":7.0}]');
  assertEquals([str.tsEpoch, str.val, str.valIsFloat], [9, 7, true]);
});

Deno.test("DataPoint.ts is built on first access, kept, and serialised as before", () => {
  const [p, far] = parseDataPage('[{"ts":1391563070,"val":5.0},{"ts":99999999999999,"val":1}]');
  assert(p.ts instanceof Date);
  assertEquals(p.ts.toISOString(), "2014-02-05T01:17:50.000Z");
  assert(p.ts === p.ts, "the same Date on every access");
  assertEquals(far.ts.toISOString(), "9999-12-29T23:59:59.000Z");
  assertEquals(
    JSON.stringify(p),
    '{"ts":"2014-02-05T01:17:50.000Z","tsEpoch":1391563070,"val":5,"valIsFloat":true}',
  );
  const [h] = parseDataPage('[{"ts":1,"val":{"400":2,"196":113}}]');
  assert(h.ts === h.ts);
  assertEquals(h.ts.getTime(), 1000);
});
