import { assertEquals, tempDir } from "../harness/mod.ts";
import { NdjsonSink } from "../../collector/sink/ndjson.ts";
import { FrameRenderer } from "../../collector/sink/frame_render.ts";
import { FrameWriter } from "../../collector/correlate/frames.ts";
import { AssembledDocument, Part } from "../../collector/correlate/document.ts";
import { CloseRecipe, OpenRecipe, UserRecipe } from "../../collector/correlate/part_recipes.ts";
import { parseUserId } from "../../collector/decode/text.ts";
import type { CollectorDocument } from "../../collector/correlate/sink_contracts.ts";
import { workloadDocuments } from "./workload.ts";

/** The same documents through the in-thread writer (finished lines) and the output thread (frames). */
async function bothWays(make: () => CollectorDocument[]): Promise<[string, string]> {
  const chunks: Uint8Array[] = [];
  const direct = await NdjsonSink.open({
    output: { write: (b) => (chunks.push(b.slice()), Promise.resolve(b.length)) },
  });
  for (const doc of make()) direct.write(doc);
  await direct.close();
  await using dir = await tempDir("frames-");
  const path = `${dir.path}/out.ndjson`;
  const threaded = await NdjsonSink.open({ path });
  for (const doc of make()) threaded.write(doc);
  await threaded.close();
  const expected = chunks.map((c) => new TextDecoder().decode(c)).join("");
  return [await Deno.readTextFile(path), expected];
}

Deno.test("frames: the workload's documents come out byte for byte as finished lines would", async () => {
  // Over 2 MiB of output, so the renderer's buffers grow mid-line.
  const [got, expected] = await bothWays(() => workloadDocuments(3000, 1));
  assertEquals(got.length, expected.length);
  assertEquals(got, expected);
});

Deno.test("frames: odd parts (non-ASCII, lone surrogates, repeated keys, changed fields, plain bodies)", async () => {
  const timing = { count: 2, pos: 1, tBeg: 5, tEnd: 6, derived: 5.5 };
  const make = (): CollectorDocument[] => {
    const user = Part.from(
      new UserRecipe({
        dictId: 1,
        userid: parseUserId("xroot/jösé.1:2@h.example.org"),
        payload: "&n=/CN=Ünï&x=xrdcp",
      }),
    );
    const changed = Part.from(
      new UserRecipe({ dictId: 2, userid: parseUserId("xroot/u.1:2@h"), payload: undefined }),
    );
    changed.fields.xrd_exp_code = "7";
    changed.invalidate();
    const open = (lfn: string) =>
      Part.from(
        new OpenRecipe({
          record: {
            type: "open",
            pos: 1,
            fileId: 2,
            fileSize: 2 ** 53 - 1,
            readWrite: true,
            hasLfn: true,
            userId: 1,
            lfn,
          },
          timing,
          fileUniqId: "s.2",
          userUniqId: undefined,
          server: "vm",
        }),
      );
    const close = Part.from(
      new CloseRecipe(
        {
          type: "close",
          pos: 1,
          fileId: 2,
          forced: false,
          xfr: { read: 0.1, readv: -0, write: 1e300 },
        },
        timing,
        1795390000.0039997,
        3,
      ),
    );
    const login = (n: number) =>
      Part.from(
        new UserRecipe({ dictId: n, userid: parseUserId(`xroot/u${n}.1:2@h`), payload: "&x=y" }),
      );
    const early = login(0);
    const cut = login(1);
    return [
      new AssembledDocument("a", [Part.of({ "@timestamp": "t" }), user, open("/ä/b"), close]),
      new AssembledDocument("b", [Part.of({ n: 1 }), open("/bad\ud800x")]),
      // The login's id was handed out in a frame given up: it must be sent again.
      new AssembledDocument("b1", [cut, open("/bad\udc00")]),
      new AssembledDocument("b2", [cut, user]),
      // Beyond the output thread's slots: the early login is sent again, not referred to.
      new AssembledDocument("early", [early]),
      ...Array.from({ length: 8300 }, (_, i) => new AssembledDocument(`x${i}`, [login(i + 2)])),
      new AssembledDocument("late", [early, user]),
      new AssembledDocument("c", [Part.of({ a: 1 }), Part.found({ a: 2, b: 3 })]),
      new AssembledDocument("d", [changed]),
      new AssembledDocument("e", [Part.of({}), Part.of({})]),
      new AssembledDocument("flat", [
        Part.of({ u: undefined, n: null, nan: NaN, inf: -Infinity, z: -0, "2": "two", "1": 1 }),
        Part.of({ "ké": "vé", "bad\ud800": 1 }),
        Part.of(JSON.parse('{"__proto__": 1, "ok": true}')),
        Part.of({ nested: { a: 1 } }),
        Part.of({ big: 2 ** 64, tiny: 5e-324, frac: 0.1 + 0.2 }),
      ]),
      new AssembledDocument("f", []),
      { docId: "g", body: { nested: { x: [1, "é"] } } },
      { docId: "h", body: {}, json: '{"ready":"\\u0000"}' },
    ];
  };
  const [got, expected] = await bothWays(make);
  assertEquals(got, expected);
});

Deno.test("frames: a renderer fed one byte at a time renders the same lines", async () => {
  await using dir = await tempDir("frames-bytes-");
  const path = `${dir.path}/frames.bin`;
  const docs = workloadDocuments(50, 2);
  const renderer = new FrameRenderer();
  const sink = await NdjsonSink.open({ path });
  for (const doc of docs) sink.write(doc);
  await sink.close();
  const expected = await Deno.readTextFile(path);
  // Frames of the same documents, built through a writer chunk, fed cut into single bytes.
  const w = new FrameWriter();
  const chunk = new Uint8Array(1 << 20);
  w.use(chunk, 0);
  for (const doc of workloadDocuments(50, 2)) doc.writeFrame!(w, () => {});
  const bytes = chunk.subarray(0, w.at);
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    renderer.add(bytes.subarray(i, i + 1));
    out += new TextDecoder().decode(renderer.output);
    renderer.taken();
  }
  assertEquals(out, expected);
});
