import { assertEquals, assertThrows } from "../../tests/harness/mod.ts";
import { parsePyJsonTree, stringifyPyJsonTree } from "../esmond/py_json/mod.ts";
import { validateValue, ValueError } from "./values.ts";
import { timeRange } from "./query_params.ts";
import { canonicalAddress } from "./ip.ts";

const v = (type: Parameters<typeof validateValue>[0], json: string) =>
  validateValue(type, parsePyJsonTree(json));

Deno.test("values: per data type rules and messages", () => {
  assertEquals(v("integer", "12"), { kind: "integer", n: 12 });
  assertEquals(v("integer", '"12"'), { kind: "integer", n: 12 });
  assertEquals(v("integer", "12.9"), { kind: "integer", n: 12 });
  assertThrows(() => v("integer", '"12.5"'), ValueError, "Value must be an integer");
  assertThrows(() => v("integer", "null"), ValueError, "Value must be an integer");
  assertEquals(v("float", "0.000124"), { kind: "float", scaled: 1 });
  assertEquals(v("float", '"0.5"'), { kind: "float", scaled: 5000 });
  assertThrows(() => v("float", '"x"'), ValueError, "Value must be a floating point number");
  assertEquals(v("percentage", '{"numerator":"4","denominator":100}'), {
    kind: "percentage",
    numerator: 4,
    denominator: 100,
  });
  assertThrows(
    () => v("percentage", '{"denominator":1}'),
    ValueError,
    "Missing required field 'numerator'",
  );
  assertThrows(
    () => v("percentage", '{"numerator":1,"denominator":0}'),
    ValueError,
    "The field 'denominator' must be greater than 0",
  );
  const h = v("histogram", '{"9": "77", "10": 523}');
  assertEquals(h.kind === "histogram" && stringifyPyJsonTree(h.buckets), '{"9":77,"10":523}');
  assertThrows(
    () => v("histogram", '{"41.0":"bad"}'),
    ValueError,
    "Value of histogram must be an integer",
  );
  assertThrows(() => v("histogram", "[1]"), ValueError, "Invalid histogram provided");
  assertThrows(
    () => v("subinterval", '[{"start":0,"val":1}]'),
    ValueError,
    "Interval must contain 'duration' field at position 0",
  );
  assertEquals(v("subinterval", '[{"start":"0.0","duration":"1.0","val":"5"}]'), {
    kind: "opaque",
    text: '[{"start":"0.0","duration":"1.0","val":"5"}]',
  });
  assertEquals(v("json", '{"error":"é"}'), { kind: "opaque", text: '{"error":"é"}' });
});

Deno.test("time filters: precedence table", () => {
  const t = (q: string) => timeRange(new URLSearchParams(q), 1000);
  assertEquals(t(""), undefined);
  assertEquals(t("time=5&time-start=1"), { begin: 5, end: 5 });
  assertEquals(t("time-start=1&time-end=9&time-range=2"), { begin: 1, end: 9 });
  assertEquals(t("time-start=1&time-range=2"), { begin: 1, end: 3 });
  assertEquals(t("time-end=9&time-range=2"), { begin: 7, end: 9 });
  assertEquals(t("time-start=1"), { begin: 1, end: null });
  assertEquals(t("time-end=9"), { begin: 0, end: 9 });
  assertEquals(t("time-range=10"), { begin: 990, end: null });
  assertThrows(() => t("time=x"), ValueError, "Time parameter must be an integer");
  assertThrows(() => t("time-start=9&time-end=1"), ValueError, "less than end time");
});

Deno.test("addresses compare as addresses", () => {
  assertEquals(
    canonicalAddress("2001:400:201:1150::3"),
    canonicalAddress("2001:0400:0201:1150:0:0:0:3"),
  );
  assertEquals(canonicalAddress("::ffff:10.0.0.1"), canonicalAddress("::ffff:a00:1"));
  assertEquals(canonicalAddress("198.129.254.30"), "198.129.254.30");
  assertEquals(canonicalAddress("Host.Example"), "host.example");
});
