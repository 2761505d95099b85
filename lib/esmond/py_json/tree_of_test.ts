import { assertEquals } from "../../../tests/harness/assert.ts";
import { PyFloat } from "./py_float.ts";
import { parsePyJsonTree, PyNum, PyObject, type PyValue, stringifyPyJsonTree } from "./tree.ts";
import { pyTreeOf } from "./tree_of.ts";

// Trees compared as their structure: class, entries in order, number kind and digits.
function shape(v: PyValue): unknown {
  if (v instanceof PyNum) return ["num", v.value, v.isFloat, v.intText];
  if (v instanceof PyObject) return ["obj", v.entries.map(([k, x]) => [k, shape(x)])];
  if (Array.isArray(v)) return v.map(shape);
  return v;
}

Deno.test("pyTreeOf: the tree its JSON text parses to", () => {
  const values: unknown[] = [
    {
      data: [{
        ts: 1785131165,
        val: [
          { "event-type": "histogram-owdelay", val: { "-11.71": 1, "255": 100, "3": 2 } },
          { "event-type": "packet-loss-rate", val: { numerator: 0, denominator: 100 } },
          { "event-type": "time-error-estimates", val: new PyFloat(27) },
          { "event-type": "x", val: [0.5, -0, 1e21, 2 ** 60, 1e-7, "1.0", true, null] },
        ],
      }],
    },
    { skipped: undefined, kept: [undefined, () => 1], nan: NaN, inf: -Infinity },
    new PyFloat(-0),
    "text",
  ];
  for (const value of values) {
    const tree = pyTreeOf(value);
    const expected = parsePyJsonTree(JSON.stringify(value));
    assertEquals(shape(tree!), shape(expected), JSON.stringify(value));
    assertEquals(stringifyPyJsonTree(tree!), stringifyPyJsonTree(expected));
  }
});

Deno.test("pyTreeOf: undefined for what only the text round trip can say", () => {
  assertEquals(pyTreeOf({ when: new Date(0) }), undefined);
  assertEquals(pyTreeOf(new Map()), undefined);
  assertEquals(pyTreeOf([new PyFloat(NaN)]), undefined);
  let deep: unknown = 1;
  for (let i = 0; i < 600; i++) deep = [deep];
  assertEquals(pyTreeOf(deep), undefined);
});
