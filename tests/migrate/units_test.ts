/**
 * Unit tests of the migration's parts: the command line, the state file after a crash, the
 * merge of event-type streams across page boundaries, the fold of failures.
 *
 * @module
 */
import { assert, assertEquals, assertRejects, tempDir } from "../harness/mod.ts";
import { validateMigrateArgs } from "../../cli/migrate/options.ts";
import { MigrationState } from "../../cli/migrate/state.ts";
import { mergeByTs, type TimedPoint } from "../../cli/migrate/merge.ts";

Deno.test("options: files after --from, the query tools' filters, usage errors", () => {
  const now = new Date("2026-01-02T00:00:00Z");
  const v = validateMigrateArgs(
    [
      "--from",
      "a.json",
      "b.json",
      "--dry-run",
      "-s",
      "ps.example.net",
      "-e",
      "throughput",
      "-S",
      "2025-01-01",
    ],
    now,
  );
  assert(v.kind === "run");
  assertEquals(v.options.from, ["a.json", "b.json"]);
  assertEquals(v.options.source, "ps.example.net");
  assertEquals(v.options.start, Date.parse("2025-01-01T00:00:00Z") / 1000);
  assertEquals(v.options.end, now.getTime() / 1000);
  for (
    const [args, message] of [
      [["--dry-run"], "--from is required"],
      [["--from", "x"], "--to is required"],
      [["--from", "x", "--to", "ftp://h"], "--to must be an http(s) URL"],
      [["--from", "x", "--dry-run", "-e", "nope"], "nope is not a valid event type"],
      [["--from", "x", "--dry-run", "--concurrency", "0"], "--concurrency must be at least 1"],
    ] as const
  ) {
    const bad = validateMigrateArgs(args, now);
    assert(bad.kind === "exit" && bad.code === 1 && bad.stderr.includes(message), bad.kind);
    assertEquals(bad.stderr.split("\n").length, 2, "one line");
  }
});

Deno.test("state file: a torn last line is ignored, another source/target is refused", async () => {
  await using dir = await tempDir("migrate-state-");
  const path = dir.join("s.state");
  const pair = { from: "http://a", to: "http://b" };
  const state = await MigrationState.open(path, pair);
  await state.markDone("K1");
  await state.markDone("K2");
  state.close();
  // A crash in the middle of appending K3.
  await Deno.writeTextFile(path, '{"done":"K3', { append: true });
  const again = await MigrationState.open(path, pair);
  assertEquals([again.isDone("K1"), again.isDone("K2"), again.isDone("K3")], [true, true, false]);
  await again.markDone("K3");
  again.close();
  const third = await MigrationState.open(path, pair);
  assert(third.isDone("K3"));
  third.close();
  await assertRejects(() => MigrationState.open(path, { from: "http://a", to: "http://c" }));
});

Deno.test("merge: streams with different page sizes and gaps fold by ts, in order", async () => {
  async function* pages(points: number[], size: number): AsyncIterable<TimedPoint[]> {
    for (let i = 0; i < points.length; i += size) {
      yield points.slice(i, i + size).map((ts) => ({ tsEpoch: ts, val: ts }));
    }
  }
  const a = Array.from({ length: 1000 }, (_, i) => i * 2);
  const b = Array.from({ length: 700 }, (_, i) => i * 3);
  const folds: [number, string[]][] = [];
  for await (const f of mergeByTs(new Map([["a", pages(a, 7)], ["b", pages(b, 100)]]))) {
    folds.push([f.ts, [...f.values.keys()]]);
  }
  const expected = [...new Set([...a, ...b])].sort((x, y) => x - y).map((
    ts,
  ): [number, string[]] => [
    ts,
    [...(ts % 2 === 0 && ts < 2000 ? ["a"] : []), ...(ts % 3 === 0 && ts < 2100 ? ["b"] : [])],
  ]);
  assertEquals(folds, expected);
});
