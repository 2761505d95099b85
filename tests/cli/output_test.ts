import { assertEquals, assertMatch, assertThrows, tempDir } from "../harness/mod.ts";
import { encodedParts, StreamTextOutput, TextOutput } from "../../cli/query/output.ts";
import { Progress } from "../../cli/query/progress.ts";

Deno.test("TextOutput buffers into blocks and survives partial writes", () => {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  // A writer that accepts at most 3 bytes a call, like a pipe under pressure.
  const writer = {
    writeSync(bytes: Uint8Array) {
      const n = Math.min(3, bytes.length);
      chunks.push(decoder.decode(bytes.subarray(0, n)));
      return n;
    },
  };
  const out = new TextOutput(writer, 8);
  out.write("abc");
  assertEquals(chunks, []);
  out.write("défghi");
  out.write("");
  out.flush();
  assertEquals(chunks.join(""), "abcdéfghi");
});

Deno.test("progress is silent when disabled and counts points and files", () => {
  const progress = new Progress({ quiet: false, enabled: false });
  progress.addPoints(1500);
  progress.addPoints(500);
  progress.addFile();
  progress.done();
  assertMatch(progress.line(), /^1 files, 2000 points, \d+ points\/s$/);
  const quiet = new Progress({ quiet: true, enabled: true });
  quiet.addPoints(1);
  quiet.done();
});

Deno.test("StreamTextOutput writes text through one small reused buffer, bytes intact", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/out.csv`;
  // Multi-byte characters (2, 3 and 4 bytes) land on every position of the 7-byte buffer.
  const text = Array.from({ length: 200 }, (_, i) => `row ${i},é€😀\r\n`).join("");
  {
    using file = await Deno.open(path, { write: true, create: true });
    const writer = file.writable.getWriter();
    const out = new StreamTextOutput(writer, { bufferSize: 7 });
    await out.write(text.slice(0, 333));
    await out.write("");
    await out.write(text.slice(333));
    await writer.close();
  }
  assertEquals(await Deno.readTextFile(path), text);
});

Deno.test("encodedParts refuses a buffer too small for one character", () => {
  assertThrows(() => [...encodedParts("x", new Uint8Array(3))], RangeError);
});
