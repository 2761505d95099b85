import { assert, assertEquals } from "../../../tests/harness/assert.ts";
import { tempDir } from "../../../tests/harness/temp_dir.ts";
import type { SpoolRecord } from "./bulk_result.ts";
import { openSpool } from "./spool.ts";

const rec = (n: number): SpoolRecord => ({ index: "i", id: `d${n}`, body: { n } });

Deno.test("file spool: oldest-first, survives reopening, shortened segments win", async () => {
  await using dir = await tempDir("spool-");
  const spool = await openSpool({ dir: dir.path, maxBytes: 1 << 20 });
  await spool.append([rec(1), rec(2)]);
  await spool.append([rec(3)]);
  assertEquals(spool.stats().docs, 3);
  const head = await spool.head();
  assertEquals(head?.records.map((r) => r.id), ["d1", "d2"]);
  await spool.replace(head!.seq, [rec(2)]);

  const again = await openSpool({ dir: dir.path, maxBytes: 1 << 20 });
  assertEquals(again.stats().docs, 2);
  assertEquals((await again.head())?.records, [rec(2)]);
  await again.replace((await again.head())!.seq, []);
  assertEquals((await again.head())?.records, [rec(3)]);
  await again.append([rec(4)]);
  const names = [...Deno.readDirSync(dir.path)].map((f) => f.name).sort();
  assertEquals(names.length, 2);
  assert(names.every((n) => /^seg-\d{16}-1\.ndjson$/.test(n)), names.join());
});

Deno.test("file spool: a torn last line is skipped and reported, not fatal", async () => {
  await using dir = await tempDir("spool-");
  const spool = await openSpool({ dir: dir.path, maxBytes: 1 << 20 });
  await spool.append([rec(1), rec(2)]);
  const [name] = [...Deno.readDirSync(dir.path)].map((f) => f.name);
  await Deno.writeTextFile(`${dir.path}/${name}`, '{"i":"i","d":"d3","b":{"n', { append: true });
  const corrupt: number[] = [];
  const again = await openSpool({
    dir: dir.path,
    maxBytes: 1 << 20,
    onCorrupt: ({ lines }) => corrupt.push(lines),
  });
  assertEquals((await again.head())?.records, [rec(1), rec(2)]);
  assertEquals(corrupt, [1]);
});

Deno.test("spool limit drops the oldest segments and says so; the newest is kept", async () => {
  for (const dirPath of [undefined, "file"]) {
    await using dir = await tempDir("spool-");
    const dropped: number[] = [];
    const spool = await openSpool({
      dir: dirPath && dir.path,
      maxBytes: 120,
      onDrop: ({ docs }) => dropped.push(docs),
    });
    await spool.append([rec(1), rec(2)]); // ~70 bytes
    await spool.append([rec(3), rec(4)]);
    assertEquals(dropped, [2]);
    assertEquals((await spool.head())?.records.map((r) => r.id), ["d3", "d4"]);
    await spool.append([rec(5), rec(6), rec(7), rec(8), rec(9)]);
    assertEquals((await spool.head())?.records.length, 5);
    assertEquals(spool.stats().docs, 5);
  }
});

Deno.test("memory spool counts the bytes a file spool writes, records with text included", async () => {
  await using dir = await tempDir("spool-bytes-");
  const body = (n: number) => ({ n, name: "é\u2603", quote: '"' });
  const records: SpoolRecord[] = [0, 1, 2, 3].map((n) =>
    n % 2 === 0
      ? { index: "i-é", id: `d"${n}`, body: body(n) }
      : { index: "i-é", id: `d"${n}`, body: body(n), json: JSON.stringify(body(n)) }
  );
  const memory = await openSpool({ maxBytes: 1 << 20 });
  const file = await openSpool({ dir: dir.join("s"), maxBytes: 1 << 20 });
  await memory.append(records);
  await file.append(records);
  assertEquals(memory.stats(), file.stats());
  const head = await file.head();
  await memory.replace((await memory.head())!.seq, records.slice(1));
  await file.replace(head!.seq, records.slice(1));
  assertEquals(memory.stats(), file.stats());
  // What the file holds reads back as the same documents.
  assertEquals(
    (await file.head())!.records.map((r) => r.body),
    records.slice(1).map((r) => r.body),
  );
});

Deno.test("a record's own text is written as its body would be: same segment bytes", async () => {
  await using dir = await tempDir("spool-text-");
  const bodies = [{ a: 1, s: 'é\n"' }, { b: [1, 2], c: null }];
  const plain = await openSpool({ dir: dir.join("plain"), maxBytes: 1 << 20 });
  const text = await openSpool({ dir: dir.join("text"), maxBytes: 1 << 20 });
  await plain.append(bodies.map((body, n) => ({ index: "i", id: `d${n}`, body })));
  await text.append(
    bodies.map((body, n) => ({ index: "i", id: `d${n}`, body, json: JSON.stringify(body) })),
  );
  const read = async (sub: string) => {
    const [entry] = [...Deno.readDirSync(dir.join(sub))];
    return await Deno.readTextFile(dir.join(sub, entry.name));
  };
  assertEquals(await read("text"), await read("plain"));
});
