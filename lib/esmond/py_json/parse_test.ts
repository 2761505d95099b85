import { assert, assertEquals } from "../../../tests/harness/assert.ts";
import { PyFloat } from "./py_float.ts";
import { orderedEntries, parseJsonKeepingFloats, parsePyJson, stringifyPyJson } from "./parse.ts";

Deno.test("parsePyJson: reordered objects nested in reordered objects, with floats inside", () => {
  const text = '{"400":{"9":1.0,"2":[3,{"7":1,"6":2.0}]},"196":2.0,"5":{"1":1,"2":2}}';
  const v = parsePyJson(text) as Map<string, unknown>;
  assert(v instanceof Map);
  assertEquals([...v.keys()], ["400", "196", "5"]);
  const inner = v.get("400") as Map<string, unknown>;
  assertEquals([...inner.keys()], ["9", "2"]);
  assert(inner.get("9") instanceof PyFloat);
  const deepest = (inner.get("2") as unknown[])[1] as Map<string, unknown>;
  assertEquals(orderedEntries(deepest).map(([k]) => k), ["7", "6"]);
  assertEquals(v.get("5"), { "1": 1, "2": 2 }); // order already right: a plain object
  assertEquals(stringifyPyJson(v), text);
});

Deno.test("parsePyJson: a repeated key keeps its first position and last value; whitespace", () => {
  const v = parsePyJson('{ "400" : 2 , "196" : 113 , "400" : 7 }') as Map<string, unknown>;
  assertEquals([...v.entries()], [["400", 7], ["196", 113]]);
  const pages = parsePyJson('[{"ts":1,"val":{"472":3,"15":5}},{"ts":2,"val":{"9":1,"10":2}}]');
  assertEquals(
    stringifyPyJson(pages),
    '[{"ts":1,"val":{"472":3,"15":5}},{"ts":2,"val":{"9":1,"10":2}}]',
  );
});

Deno.test("parseJsonKeepingFloats: every integral float is kept, wherever it is written", () => {
  const floats = (v: unknown): string[] => {
    if (v instanceof PyFloat) return [String(v)];
    if (Array.isArray(v)) return v.flatMap(floats);
    if (v !== null && typeof v === "object") return Object.values(v).flatMap(floats);
    return [];
  };
  const cases: [string, string[]][] = [
    ['{"a":1.0}', ["1.0"]],
    ['{"a": -0.00 }', ["-0.0"]],
    ["[1e5, 2.5]", ["100000.0"]],
    ['{"a":1.05e2,"b":1.05}', ["105.0"]],
    ['{"a":[2,\n\t3E+1]}', ["30.0"]],
    ['{"a":[1.5E-1]}', []],
    // Digits inside strings are no float, even after a colon.
    ['{"version":"1.0","ip":"10.0.0.1","note":"x: 1.0","hex":"9e5"}', []],
    ['{"version":"1.0","n":7.0}', ["7.0"]],
  ];
  for (const [text, expected] of cases) {
    const v = parseJsonKeepingFloats(text);
    assertEquals(floats(v), expected, text);
    // Same values otherwise.
    assertEquals(JSON.parse(JSON.stringify(v)), JSON.parse(text), text);
  }
  assertEquals(parseJsonKeepingFloats("1.0"), 1); // a bare number stays a number, as before
});
