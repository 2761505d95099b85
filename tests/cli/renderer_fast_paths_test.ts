// The renderers' fast paths (data cells quoted without csv-stringify, texts of repeated column
// values reused) must give the bytes of the plain path: csv-stringify is the oracle for quoting,
// and a fresh renderer per row (nothing to reuse) the oracle for the reuse.
import { stringify } from "csv-stringify/sync";
import { assertEquals } from "../harness/mod.ts";
import { createRenderer, type OutputFormat, type Row } from "../../cli/format/renderers.ts";
import { PyFloat } from "../../cli/format/py_text.ts";
import { formatTimestamp } from "../../cli/format/timestamp.ts";

const CSV_OPTIONS = { record_delimiter: "\r\n", quoted_match: /[\r\n]/ } as const;

Deno.test("csv data cells are quoted exactly as csv-stringify quotes them", () => {
  const cells = [
    'say "hi"',
    "a,b",
    "line\nbreak",
    "cr\ronly",
    "crlf\r\n",
    " spaced ",
    "'single'",
    "plain",
    "é ünïcode",
    '""',
    ",",
  ];
  const r = createRenderer("csv", { columns: ["a", "b"], finalNewline: false });
  const rows = cells.map((cell, i) => ({ a: cell, b: cells[cells.length - 1 - i] }));
  const expected = stringify([["a", "b"], ...rows.map((row) => [row.a, row.b])], CSV_OPTIONS);
  assertEquals(r.write(rows) + r.end(), expected);
});

const ROWS: Row[] = [
  { a: undefined, b: null, c: "x", d: 1 },
  { a: undefined, b: null, c: "x", d: 1 },
  { a: "s", b: 2, c: "x", d: new PyFloat(1) },
  { a: "s", b: 2, c: "y", d: new PyFloat(1) },
  { a: null, b: NaN, c: "y", d: 1.5 },
  { a: null, b: NaN, c: "y", d: { "41.00": 98 } },
  { a: 0, b: -0, c: true, d: { "41.00": 99 } },
  { a: 0, b: -0, c: false, d: "z" },
];

for (const format of ["csv", "json", "human"] as OutputFormat[]) {
  Deno.test(`${format}: repeated column values print as when rendered one row at a time`, () => {
    const columns = ["a", "b", "c", "d"];
    const batch = createRenderer(format, { columns });
    const together = batch.write(ROWS) + batch.end();
    // Oracle: each row through a new renderer (no earlier row to reuse), joined by the
    // format's separators, which the first rows of separate renderers show.
    const single = ROWS.map((row) => {
      const r = createRenderer(format, { columns });
      return r.write([row]);
    });
    const expected = format === "csv"
      ? single[0] + single.slice(1).map((text) => text.split("\r\n").slice(1).join("\r\n"))
        .join("") +
        "\n"
      : format === "json"
      ? single[0] + single.slice(1).map((text) => ", " + text.slice(1)).join("") + "]\n"
      : single.join("= + = + = + = + = + =\n") + "\n";
    assertEquals(together, expected);
  });
}

Deno.test("human: a missing first value prints None, not a cached empty text", () => {
  const r = createRenderer("human", { columns: ["a"] });
  assertEquals(
    r.write([{ a: undefined }, { a: null }, { a: "" }]) + r.end(),
    "a: None\n= + = + = + = + = + =\na: None\n= + = + = + = + = + =\na: \n\n",
  );
});

Deno.test("timestamps: the per-day date cache agrees with Date across days, back and forth", () => {
  const viaDate = (ts: number) =>
    new Date(Math.trunc(ts) * 1000).toISOString().slice(0, 19)
      .replace("T", " ");
  const samples = [1391563070, 0, -1, -0.5, 86399, 86400, 86399.9, -86400, -86401, 1391563070];
  for (let ts = 1391558400 - 5; ts < 1391558400 + 5; ts++) samples.push(ts);
  for (let ts = 1391644799 + 5; ts > 1391644799 - 5; ts--) samples.push(ts);
  for (const ts of samples) assertEquals(formatTimestamp(ts), viaDate(ts), String(ts));
});
