import { assertEquals, assertMatch } from "../harness/mod.ts";
import { TextOutput } from "../../cli/render/output.ts";
import { Progress } from "../../cli/render/progress.ts";

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
