import { assertEquals } from "../harness/mod.ts";
import { PyFloat, pyJson, pyNumber, pyRepr, pyStr, RawJson } from "../../cli/format/py_text.ts";
import { parseDataPage } from "../../lib/esmond/mod.ts";

Deno.test("numbers print as Python's int and float repr", () => {
  assertEquals(pyStr(new PyFloat(325)), "325.0");
  assertEquals(pyStr(new PyFloat(5524593445)), "5524593445.0");
  assertEquals(pyStr(0.00001), "1e-05");
  assertEquals(pyStr(1.5e-7), "1.5e-07");
  assertEquals(pyStr(new PyFloat(1e16)), "1e+16");
  assertEquals(pyStr(new PyFloat(1.5e16)), "1.5e+16");
  assertEquals(pyStr(0.1), "0.1");
  assertEquals(pyStr(0.04666666666666667), "0.04666666666666667");
  assertEquals(pyStr(325), "325");
  assertEquals(pyNumber(1e21), "1000000000000000000000");
  assertEquals(pyStr(new PyFloat(-0)), "-0.0");
});

Deno.test("repr of dicts, lists, strings, None and booleans", () => {
  assertEquals(pyRepr({ "41.00": 98, "41.10": 2 }), "{'41.00': 98, '41.10': 2}");
  assertEquals(
    pyRepr([new PyFloat(41), 41.1, null, true, false]),
    "[41.0, 41.1, None, True, False]",
  );
  assertEquals(pyRepr("it's"), `"it's"`);
  assertEquals(pyRepr(`it's "x"`), `'it\\'s "x"'`);
  assertEquals(pyRepr("a\nb\\"), "'a\\nb\\\\'");
  assertEquals(pyStr(null), "None");
  assertEquals(pyStr("plain"), "plain");
});

Deno.test("json.dumps spelling: separators, escapes, floats", () => {
  assertEquals(
    pyJson([{ b: new PyFloat(325), a: [1, 0.5], s: 'é\u{1F600}"\\\n', n: null, t: true }]),
    '[{"b": 325.0, "a": [1, 0.5], "s": "\\u00e9\\ud83d\\ude00\\"\\\\\\n", "n": null, "t": true}]',
  );
  assertEquals(pyJson(new RawJson({ k: [1e-5] })), '{"k": [1e-05]}');
  assertEquals(pyStr(new RawJson({ k: "v" })), '{"k": "v"}');
  assertEquals(pyJson({}), "{}");
  assertEquals(pyJson([]), "[]");
});

Deno.test("a Map keeps the archive's key order (integer-like histogram buckets)", () => {
  const buckets = new Map<string, unknown>([["400", 2], ["646", 3], ["196", 113]]);
  assertEquals(pyRepr(buckets), "{'400': 2, '646': 3, '196': 113}");
  assertEquals(pyJson(buckets), '{"400": 2, "646": 3, "196": 113}');
});

Deno.test("library-parsed pages print in the archive's bucket order, a repeated bucket as Python", () => {
  const [a, b] = parseDataPage(
    '[{"ts":1,"val":{"400":2,"646":3,"196":113}},{"ts":2,"val":{"9":1,"10":2}}]',
  );
  assertEquals(pyRepr(a.val), "{'400': 2, '646': 3, '196': 113}");
  assertEquals(pyRepr(b.val), "{'9': 1, '10': 2}");
  const [n] = parseDataPage('[{"ts":1,"val":325.0}]');
  assertEquals([n.val, n.valIsFloat], [325, true]);
  const [s] = parseDataPage('[{"ts":1,"val":{"minimum":41.0,"mode":[41.0]}}]');
  assertEquals(s.val instanceof Map, false);
  assertEquals(pyRepr(s.val), "{'minimum': 41.0, 'mode': [41.0]}");
  const [d] = parseDataPage('[{"ts":1,"val":{"623":9,"203":5,"833":1,"203":3}}]');
  assertEquals(pyRepr(d.val), "{'623': 9, '203': 3, '833': 1}");
  assertEquals(pyJson(d.val), '{"623": 9, "203": 3, "833": 1}');
});
