import { assert, assertEquals, assertThrows } from "../harness/mod.ts";
import {
  ApiFilters,
  archiveRootUrl,
  ArchiveValidationError,
  normalizeArchiveUrl,
  orderedEntries,
  parseDataPage,
  parseJsonKeepingFloats,
  parsePyJson,
  PyFloat,
  pyFloatRepr,
  resolveArchiveUri,
  stringifyPyJson,
  validateTimestamp,
  validateValue,
} from "../../lib/esmond/mod.ts";

Deno.test("normalizeArchiveUrl trims a pasted archive suffix and trailing slashes", () => {
  for (
    const [input, want] of [
      ["http://h", "http://h"],
      ["http://h/", "http://h"],
      ["http://h:8085///", "http://h:8085"],
      ["https://h/esmond/perfsonar/archive", "https://h"],
      ["https://h/esmond/perfsonar/archive/", "https://h"],
      ["http://h/prefix/esmond/perfsonar/archive//", "http://h/prefix"],
      ["http://h/perfsonar/archive/", "http://h"],
      ["  http://[2001:db8::1]:8080/  ", "http://[2001:db8::1]:8080"],
      ["http://h/?format=json", "http://h"],
    ]
  ) assertEquals(normalizeArchiveUrl(input), want, input);
  assertThrows(() => normalizeArchiveUrl("ftp://h"), ArchiveValidationError, "url");
  assertThrows(() => normalizeArchiveUrl("h:80"), ArchiveValidationError, "url");
  assertThrows(() => normalizeArchiveUrl(""), ArchiveValidationError, "url");
});

Deno.test("archiveRootUrl applies the script alias; resolveArchiveUri keeps the server's prefix", () => {
  assertEquals(archiveRootUrl("http://h/"), "http://h/esmond/perfsonar/archive/");
  assertEquals(archiveRootUrl("http://h", "esmond/"), "http://h/esmond/perfsonar/archive/");
  assertEquals(archiveRootUrl("http://h", "/other"), "http://h/other/perfsonar/archive/");
  assertEquals(archiveRootUrl("http://h", null), "http://h/perfsonar/archive/");
  assertEquals(archiveRootUrl("http://h", ""), "http://h/perfsonar/archive/");
  assertEquals(archiveRootUrl("http://h", "/"), "http://h/perfsonar/archive/");
  assertEquals(resolveArchiveUri("http://h:1", "/esmond/x/base"), "http://h:1/esmond/x/base");
  assertEquals(resolveArchiveUri("http://h/p", "/p/esmond/x/base"), "http://h/p/esmond/x/base");
  assertEquals(resolveArchiveUri("http://h/p", "/esmond/x/base"), "http://h/p/esmond/x/base");
  assertEquals(resolveArchiveUri("http://h", "https://o/x"), "http://h/x");
  assertEquals(
    resolveArchiveUri("http://h", "https://o/x", { allowOtherOrigin: true }),
    "https://o/x",
  );
});

Deno.test("ApiFilters → query string in the original clients' order, form-encoded", () => {
  const f = new ApiFilters({
    timeEnd: 1391616000,
    extra: { "ip-transport-protocol": "tcp", "note": "a b,c/d" },
    summaryWindow: 86400,
    summaryType: "aggregation",
    toolName: "bwctl/tracepath,traceroute",
    eventType: "histogram-owdelay",
    measurementAgent: "2001:db8::1",
    destination: "10.0.0.2",
    source: "10.0.0.1",
    timeStart: new Date("2014-02-05T00:00:00Z"),
    inputSource: "a.example",
    inputDestination: "b.example",
    subjectType: "point-to-point",
    metadataKey: "K",
    dnsMatchRule: "only-v4",
  });
  assertEquals(
    f.metadataSearchParams({ paging: [["offset", "10"]] }).toString(),
    "source=10.0.0.1&destination=10.0.0.2&measurement-agent=2001%3Adb8%3A%3A1" +
      "&event-type=histogram-owdelay&tool-name=bwctl%2Ftracepath%2Ctraceroute" +
      "&summary-type=aggregation&summary-window=86400&input-source=a.example" +
      "&input-destination=b.example&subject-type=point-to-point&metadata-key=K" +
      "&dns-match-rule=only-v4&ip-transport-protocol=tcp&note=a+b%2Cc%2Fd&offset=10" +
      "&time-start=1391558400&time-end=1391616000",
  );
  assertEquals(new ApiFilters({ time: 5.9, timeRange: 60 }).timeParams(), [
    ["time", "5"],
    ["time-range", "60"],
  ]);
  assertEquals(new ApiFilters({}).metadataSearchParams().toString(), "");
});

Deno.test("time window precedence follows the archive (§3.3)", () => {
  const w = (init: ConstructorParameters<typeof ApiFilters>[0]) =>
    new ApiFilters(init).timeWindow(10_000);
  assertEquals(w({ time: 5, timeStart: 1, timeEnd: 9 }), { begin: 5, end: 5 });
  assertEquals(w({ timeStart: 1, timeEnd: 9, timeRange: 3 }), { begin: 1, end: 9 });
  assertEquals(w({ timeStart: 1, timeRange: 3 }), { begin: 1, end: 4 });
  assertEquals(w({ timeEnd: 9, timeRange: 3 }), { begin: 6, end: 9 });
  assertEquals(w({ timeStart: 1 }), { begin: 1 });
  assertEquals(w({ timeEnd: 9 }), { begin: 0, end: 9 });
  assertEquals(w({ timeRange: 100 }), { begin: 9_900 });
  assertEquals(w({}), {});
  assertThrows(() => w({ timeStart: 9, timeEnd: 1 }), ArchiveValidationError, "time-end");
  assertThrows(() => new ApiFilters({ timeStart: NaN }), ArchiveValidationError, "time-start");
});

Deno.test("pyFloatRepr matches Python's repr", () => {
  const cases: [number, string][] = [
    [325, "325.0"],
    [5524593445, "5524593445.0"],
    [0.04666666666666667, "0.04666666666666667"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [0.0001, "0.0001"],
    [1e16, "1e+16"],
    [1.2345e16, "1.2345e+16"],
    [9999999999999998, "9999999999999998.0"],
    [123.456, "123.456"],
    [-0.5, "-0.5"],
    [-0, "-0.0"],
    [0, "0.0"],
    [1e22, "1e+22"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [5e-324, "5e-324"],
    [NaN, "nan"],
    [-Infinity, "-inf"],
  ];
  for (const [n, want] of cases) assertEquals(pyFloatRepr(n), want, String(n));
});

Deno.test("parseJsonKeepingFloats marks integral floats only", () => {
  const v = parseJsonKeepingFloats('{"a":1.0,"b":2,"c":[1e2,3.5,"4.0"],"d":{"e":-0.0}}') as Record<
    string,
    unknown
  >;
  assert(v.a instanceof PyFloat);
  assertEquals(v.b, 2);
  const c = v.c as unknown[];
  assert(c[0] instanceof PyFloat && c[0].value === 100);
  assertEquals([c[1], c[2]], [3.5, "4.0"]);
  assert((v.d as Record<string, unknown>).e instanceof PyFloat);
  assertEquals(JSON.stringify(v), '{"a":1.0,"b":2,"c":[100.0,3.5,"4.0"],"d":{"e":-0.0}}');
});

Deno.test("parseJsonKeepingFloats never touches numbers inside strings", () => {
  const text = String.raw`{"a":"x,41.0 \"q\" :2.0","b":[-3.0e0,"\\",4.0],"c":"\u0000f5","d":-0.5}`;
  const v = parseJsonKeepingFloats(text) as Record<string, unknown>;
  assertEquals(v.a, 'x,41.0 "q" :2.0');
  const b = v.b as unknown[];
  assert(b[0] instanceof PyFloat && b[0].value === -3);
  assertEquals(b[1], "\\");
  assert(b[2] instanceof PyFloat && b[2].value === 4);
  assertEquals(v.c, "\u0000f5"); // the escape makes the parser mark with another character
  assertEquals(v.d, -0.5);
  const plain = parseJsonKeepingFloats('{"e":"1.0","f":[1.5,2]}') as Record<string, unknown>;
  assertEquals(plain, { e: "1.0", f: [1.5, 2] });
  assertThrows(() => parseJsonKeepingFloats('{"a":1.0,"b":"unterminated'), SyntaxError);
});

Deno.test("parsePyJson keeps the text's key order where a JS object would not", () => {
  const h = parsePyJson('{"400":2,"646":3,"196":113}');
  assert(h instanceof Map);
  assertEquals([...h.entries()], [["400", 2], ["646", 3], ["196", 113]]);
  assertEquals(orderedEntries(h), [["400", 2], ["646", 3], ["196", 113]]);
  // Already in JS order, or no integer-like keys: a plain object.
  assertEquals(parsePyJson('{"9":77,"10":523}'), { "9": 77, "10": 523 });
  assertEquals(parsePyJson('{"34.5":1,"34.4":2}'), { "34.5": 1, "34.4": 2 });
  assertEquals(Object.keys(parsePyJson('{"34.5":1,"34.4":2}') as object), ["34.5", "34.4"]);
  // Mixed keys: an index key after a named one would move to the front in JS.
  const mixed = parsePyJson('{"a":1,"5":2.0,"01":3,"4294967295":4}') as Map<string, unknown>;
  assertEquals([...mixed.keys()], ["a", "5", "01", "4294967295"]);
  assert(mixed.get("5") instanceof PyFloat);
  // Nested, in arrays, with numbers inside strings left alone.
  const nested = parsePyJson('[{"10":1,"9":"x\\":1"},[{"2":1,"1":2}]]') as unknown[];
  assertEquals([...(nested[0] as Map<string, unknown>).entries()], [["10", 1], ["9", 'x":1']]);
  assertEquals([...((nested[1] as unknown[])[0] as Map<string, unknown>).keys()], ["2", "1"]);
  // Strings that look like keys are not keys.
  assertEquals(parsePyJson('["10", "9", {"k":"\\"3\\":"}]'), ["10", "9", { k: '"3":' }]);
});

Deno.test("parsePyJson: a repeated key keeps its first position and its last value (Python's json)", () => {
  // As in the daily owdelay fixture (2014-02-05): "203" twice among unordered buckets.
  const h = parsePyJson('{"623":206173,"203":54590,"833":175,"203":330,"863":6}');
  assertEquals(orderedEntries(h), [["623", 206173], ["203", 330], ["833", 175], ["863", 6]]);
  // Ascending keys with a repeat, a repeat of a named key, and a named key repeated in a Map.
  assertEquals(orderedEntries(parsePyJson('{"1":1,"2":2,"1":3}')), [["1", 3], ["2", 2]]);
  assertEquals(orderedEntries(parsePyJson('{"b":1,"a":2,"b":3}')), [["b", 3], ["a", 2]]);
  assertEquals(orderedEntries(parsePyJson('{"a":1,"400":2,"a":3,"196":4,"400":5}')), [
    ["a", 3],
    ["400", 5],
    ["196", 4],
  ]);
  const [p] = parseDataPage('[{"ts":1,"val":{"400":2,"196":113,"400":7}}]');
  assertEquals(orderedEntries(p.val), [["400", 7], ["196", 113]]);
});

Deno.test("parsePyJson keeps order with escaped digit keys and with escaped U+0000 in the text", () => {
  // "\u0031\u0039\u0036" is the key "196"; the same key written plainly is a repeat.
  const escaped = parsePyJson(String.raw`{"400":2,"\u0031\u0039\u0036":3,"4\u00300":9}`);
  assertEquals(orderedEntries(escaped), [["400", 9], ["196", 3]]);
  // Strings holding U+0000 (and U+0001) escapes: the marks move to a character not in the text.
  const nul = parsePyJson(
    String.raw`[{"400":2.0,"196":3,"s":"\u0000k1\u0000f2.0"},"\u0001f4.0",{"9":1,"1":2}]`,
  ) as unknown[];
  const first = nul[0] as Map<string, unknown>;
  assertEquals([...first.keys()], ["400", "196", "s"]);
  assert(first.get("400") instanceof PyFloat);
  assertEquals(first.get("s"), "\u0000k1\u0000f2.0");
  assertEquals(nul[1], "\u0001f4.0");
  assertEquals(orderedEntries(nul[2]), [["9", 1], ["1", 2]]);
  const [p] = parseDataPage(String.raw`[{"ts":1,"val":{"400":2,"196":3,"x\u0000":1}}]`);
  assertEquals(orderedEntries(p.val), [["400", 2], ["196", 3], ["x\u0000", 1]]);
});

Deno.test("stringifyPyJson writes Maps in order and PyFloats with .0, like JSON.stringify otherwise", () => {
  const v = {
    a: new Map<string, unknown>([["400", 2], ["196", new PyFloat(3)], ["x", undefined]]),
    b: [1, undefined, new Map([["2", [new PyFloat(1e20)]]])],
    c: new Date(0),
    d: undefined,
    e: 'ü"',
  };
  assertEquals(
    stringifyPyJson(v),
    '{"a":{"400":2,"196":3.0},"b":[1,null,{"2":[1e+20]}],"c":"1970-01-01T00:00:00.000Z","e":"ü\\""}',
  );
  const plain = { x: [1, 2.5, new PyFloat(7)], y: { "10": 1, "9": 2 } };
  assertEquals(stringifyPyJson(plain), JSON.stringify(plain));
  assertEquals(stringifyPyJson(parsePyJson('{"400":2,"196":113}')), '{"400":2,"196":113}');
});

Deno.test("parseDataPage: every data type's value shape", () => {
  // integer (esmond writes floats), float, percentage ratio
  const num = parseDataPage(
    '[{"ts":1,"val":325.0},{"ts":2,"val":325},{"ts":3,"val":1e-05},{"ts":4,"val":null}]',
  );
  assertEquals(num.map((p) => [p.tsEpoch, p.val, p.valIsFloat]), [
    [1, 325, true],
    [2, 325, false],
    [3, 0.00001, true],
    [4, null, false],
  ]);
  // keys in another order and whitespace
  const spaced = parseDataPage('[ { "val" : 7.0 , "ts" : "9" } ]');
  assertEquals([spaced[0].tsEpoch, spaced[0].val, spaced[0].valIsFloat], [9, 7, true]);
  // histogram
  const h = parseDataPage('[{"ts":1391558439,"val":{"34.4":506,"34.5":85}}]');
  assertEquals(h[0].val, { "34.4": 506, "34.5": 85 });
  const owd = parseDataPage(
    '[{"ts":1,"val":{"472":3,"800":41,"15":5}},{"ts":2,"val":{"9":1,"10":2}}]',
  );
  assertEquals(orderedEntries(owd[0].val), [["472", 3], ["800", 41], ["15", 5]]);
  assertEquals(owd[1].val, { "9": 1, "10": 2 });
  assertEquals(h[0].ts.toISOString(), "2014-02-05T00:00:39.000Z");
  // subinterval (strings stay strings)
  const s = parseDataPage('[{"ts":1,"val":[{"start":"0.0","duration":1.0,"val":"12"}]}]');
  const item = (s[0].val as Record<string, unknown>[])[0];
  assertEquals(item.start, "0.0");
  assert(item.duration instanceof PyFloat);
  // json: failures, packet-trace with nulls, number lists
  const j = parseDataPage(
    '[{"ts":1,"val":{"error":"unable to connect: 1.0"}},{"ts":2,"val":[{"ttl":"1","success":1,"ip":null,"rtt":"0.246"}]},{"ts":3,"val":[9.0,2.5]}]',
  );
  assertEquals(j[0].val, { error: "unable to connect: 1.0" });
  assertEquals((j[1].val as unknown[])[0], { ttl: "1", success: 1, ip: null, rtt: "0.246" });
  assert((j[2].val as unknown[])[0] instanceof PyFloat);
  // a timestamp beyond year 9999 is clamped in ts but not in tsEpoch
  const far = parseDataPage('[{"ts":99999999999999,"val":1}]')[0];
  assertEquals([far.tsEpoch, far.ts.toISOString()], [99999999999999, "9999-12-29T23:59:59.000Z"]);
  assertEquals(parseDataPage("[]"), []);
  assertThrows(() => parseDataPage('{"detail":"x"}'), TypeError);
  assertThrows(() => parseDataPage('[{"val":1}]'), TypeError, "ts");
  assertThrows(() => parseDataPage("[1]"), TypeError);
  assertThrows(() => parseDataPage('[{"ts":1,'), SyntaxError);
});

Deno.test("validateValue accepts each data type's valid values", () => {
  validateValue("throughput", 5978580000);
  validateValue("throughput", "12");
  validateValue("packet-count-sent", new PyFloat(600));
  validateValue("ntp-offset", 0.000124);
  validateValue("ntp-offset", "0.5");
  validateValue("packet-loss-rate", { numerator: 0, denominator: "100" });
  validateValue("histogram-owdelay", { "34.4": 506, "34.5": "85" });
  validateValue("histogram-ttl", {});
  validateValue("throughput-subintervals", [{ start: 0, duration: "1.0", val: "x" }]);
  validateValue("failures", { error: "timeout" });
  validateValue("packet-trace", [{ ttl: "1", query: "1", success: 1, ip: null }]);
  validateValue("streams-throughput", [1.5, 2, null]);
  validateValue("streams-throughput-subintervals", [[{ start: 0, duration: 1, val: 3 }]]);
  validateValue("pscheduler-raw", { anything: [1, "two", null] });
});

Deno.test("validateValue names the refused field", () => {
  const bad: [string, unknown, string][] = [
    ["throughput", 12.5, "val"],
    ["throughput", "12.5", "val"],
    ["throughput", null, "val"],
    ["ntp-offset", NaN, "val"],
    ["ntp-offset", "abc", "val"],
    ["packet-loss-rate", 0.5, "val"],
    ["packet-loss-rate", { numerator: 1 }, "val.denominator"],
    ["packet-loss-rate", { numerator: 1, denominator: 0 }, "val.denominator"],
    ["packet-loss-rate", { numerator: -1, denominator: 3 }, "val.numerator"],
    ["packet-loss-rate", { numerator: 1.5, denominator: 3 }, "val.numerator"],
    ["histogram-rtt", [1, 2], "val"],
    ["histogram-rtt", { "1.0": 2.5 }, 'val["1.0"]'],
    ["throughput-subintervals", [], "val"],
    [
      "throughput-subintervals",
      [{ start: 0, duration: 1, val: 1 }, { duration: 1 }],
      "val[1].start",
    ],
    ["throughput-subintervals", [{ start: 0, duration: "x", val: 1 }], "val[0].duration"],
    ["throughput-subintervals", [{ start: 0, duration: 1 }], "val[0].val"],
    ["failures", "oops", "val"],
    ["packet-trace", [{ ip: "1.2.3.4" }], "val[0].ttl"],
    ["streams-throughput", [1, "x"], "val[1]"],
    ["streams-packet-retransmits-subintervals", [{}], "val[0]"],
    ["iostat", { a: Infinity }, "val.a"],
    ["no-such-type", 1, "event-type"],
  ];
  for (const [eventType, val, field] of bad) {
    try {
      validateValue(eventType, val);
      throw new Error(`accepted ${eventType} ${JSON.stringify(val)}`);
    } catch (e) {
      assert(e instanceof ArchiveValidationError, String(e));
      assertEquals(e.field, field, `${eventType} ${JSON.stringify(val)}`);
    }
  }
});

Deno.test("validateTimestamp", () => {
  assertEquals(validateTimestamp(1398965989), 1398965989);
  assertEquals(validateTimestamp("1398965989"), 1398965989);
  assertEquals(validateTimestamp(new Date(1398965989_500)), 1398965989);
  for (const bad of [1.5, -1, "x", null, NaN, "1.5"]) {
    assertThrows(() => validateTimestamp(bad), ArchiveValidationError, "ts");
  }
});
