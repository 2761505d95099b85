import { assertEquals, tempDir } from "../harness/mod.ts";
import { NdjsonSink } from "../../collector/sink/ndjson.ts";

Deno.test("NDJSON sink appends to its file, writes on flush, prefers the ready JSON", async () => {
  await using dir = await tempDir("ndjson-sink-");
  const path = `${dir.path}/out.ndjson`;
  await Deno.writeTextFile(path, '{"before":true}\n');
  const sink = await NdjsonSink.open({ path });
  sink.write({ docId: "a", body: { a: 1 } });
  sink.write({ docId: "b", body: { ignored: true }, json: '{"b":"ready"}' });
  assertEquals(await Deno.readTextFile(path), '{"before":true}\n', "nothing before flush");
  await sink.flush();
  await sink.close();
  assertEquals(await Deno.readTextFile(path), '{"before":true}\n{"a":1}\n{"b":"ready"}\n');
});

Deno.test("NDJSON sink: a failing write loses nothing and repeats nothing", async () => {
  const written: string[] = [];
  const errors: unknown[] = [];
  let calls = 0;
  const decoder = new TextDecoder();
  const output = {
    write(bytes: Uint8Array): Promise<number> {
      calls++;
      // First call: 5 bytes get through; second: the disk is full; then all is well.
      if (calls === 1) {
        written.push(decoder.decode(bytes.subarray(0, 5)));
        return Promise.resolve(5);
      }
      if (calls === 2) return Promise.reject(new Error("ENOSPC"));
      written.push(decoder.decode(bytes));
      return Promise.resolve(bytes.length);
    },
  };
  const sink = await NdjsonSink.open({ output, onError: (e) => errors.push(e) });
  sink.write({ docId: "1", body: { n: 1 } });
  await sink.flush();
  assertEquals(errors.length, 1);
  assertEquals(sink.backlogBytes, '{"n":1}\n'.length - 5);
  sink.write({ docId: "2", body: { n: 2 } });
  await sink.close();
  assertEquals(written.join(""), '{"n":1}\n{"n":2}\n');
  assertEquals(sink.backlogBytes, 0);
});

Deno.test("NDJSON sink: documents given as JSON objects are merged exactly, across chunk ends", async () => {
  const chunks: Uint8Array[] = [];
  const output = {
    write: (bytes: Uint8Array) => (chunks.push(bytes.slice()), Promise.resolve(bytes.length)),
  };
  // A small high-water mark makes flushes happen between documents as well.
  const sink = await NdjsonSink.open({ output, highWaterMark: 4096 });
  const expected: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const body = { "@timestamp": i, xrd_lfn: `/é/${"x".repeat(i % 700)}/\u{1f600}`, n: i / 7 };
    const more = { xrd_user: i % 3 === 0 ? '\u2028"quoted"' : `u${i}`, ok: i % 2 === 0 };
    const objects = i % 5 === 0 ? [] : [JSON.stringify(body), JSON.stringify(more)];
    const merged = i % 5 === 0 ? {} : { ...body, ...more };
    sink.write({ docId: `${i}`, body: merged, jsonObjects: objects });
    expected.push(JSON.stringify(merged) + "\n");
  }
  await sink.close();
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) all.set(chunk, at), at += chunk.length;
  assertEquals(new TextDecoder().decode(all), expected.join(""));
});
