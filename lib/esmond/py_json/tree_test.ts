import { assertEquals, assertThrows } from "../../../tests/harness/mod.ts";
import {
  parsePyJsonTree as parsePyJson,
  pyFloatJson as pyFloat,
  PyJsonSyntaxError,
  stringifyPyJsonTree as stringifyPyJson,
} from "./mod.ts";

Deno.test("pyFloat prints like Python repr", () => {
  const cases: [number, string][] = [
    [325, "325.0"],
    [7016320000, "7016320000.0"],
    [0.00001, "1e-05"],
    [0.0001, "0.0001"],
    [0.04666666666666667, "0.04666666666666667"],
    [1.5e-7, "1.5e-07"],
    [1e16, "1e+16"],
    [1234567890123456.0, "1234567890123456.0"],
    [1.5e16, "1.5e+16"],
    [-2.5, "-2.5"],
    [0, "0.0"],
    [1e22, "1e+22"],
    [123e-20, "1.23e-18"],
  ];
  for (const [value, text] of cases) assertEquals(pyFloat(value), text, String(value));
});

Deno.test("parse/stringify keeps key order, int/float and unicode", () => {
  const text = '{"9": 77, "10": 523.0, "x": [1, 2.50, -0, 1e5, "é\\n"], "n": null, "t": true}';
  assertEquals(
    stringifyPyJson(parsePyJson(text)),
    '{"9":77,"10":523.0,"x":[1,2.5,0,100000.0,"é\\n"],"n":null,"t":true}',
  );
  assertEquals(stringifyPyJson(parsePyJson('{"a":1,"a":2}')), '{"a":2}');
  assertEquals(stringifyPyJson(parsePyJson("123456789012345678901")), "123456789012345678901");
  for (const bad of ["", "{", "[1,]", '{"a" 1}', "01", "1 2", "nul", '"\u0001"']) {
    assertThrows(() => parsePyJson(bad), PyJsonSyntaxError);
  }
});
