import { utf8Text } from "../../collector/decode/utf8.ts";
import { assertEquals } from "../harness/mod.ts";

Deno.test("utf8Text decodes exactly as TextDecoder, from shared and ordinary memory", () => {
  const decoder = new TextDecoder();
  const shared = new Uint8Array(new SharedArrayBuffer(4096));
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const samples: Uint8Array[] = [
    new TextEncoder().encode("/store/data/run1/file0.root"),
    new TextEncoder().encode("\ufeff/bom/étoile/\u{1f600}"),
    new Uint8Array([0x61, 0, 0x62]),
    new Uint8Array([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
    new Uint8Array(3000).fill(0x41),
  ];
  for (let i = 0; i < 2000; i++) {
    const bytes = new Uint8Array(Math.floor(random() * 64));
    // Mostly ASCII, sometimes a high byte, so both paths and broken sequences are exercised.
    for (let j = 0; j < bytes.length; j++) {
      bytes[j] = random() < 0.9 ? Math.floor(random() * 128) : Math.floor(random() * 256);
    }
    samples.push(bytes);
  }
  for (const bytes of samples) {
    const expected = decoder.decode(bytes);
    assertEquals(utf8Text(bytes), expected);
    shared.set(bytes, 5);
    assertEquals(utf8Text(shared.subarray(5, 5 + bytes.length)), expected);
  }
});
