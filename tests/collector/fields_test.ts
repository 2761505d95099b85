import { AUTH_KEYS, userFields } from "../../collector/correlate/fields.ts";
import { parseKeyValues, parseUserId } from "../../collector/decode/text.ts";
import { assertEquals } from "../harness/mod.ts";

Deno.test("userFields reads auth keys by parseKeyValues' rules, in the seed's field order", () => {
  let seed = 11;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const alphabet = "&&&===pnhorgmRxyIIzZé/ .";
  const userid = parseUserId("xroot/alice.1:2@host.example.org");
  const payloads = ["", "&", "&&", "=", "&p", "&p=", "&pp=1&p=2", "&I=4&I=6", "p=gsi&n=/DC=a=b"];
  for (let i = 0; i < 5000; i++) {
    let text = "";
    for (let j = random(40); j > 0; j--) text += alphabet[random(alphabet.length)];
    payloads.push(text);
  }
  for (const payload of payloads) {
    const auth = parseKeyValues(payload);
    const expected: Record<string, unknown> = {
      xrd_prot: "xroot",
      xrd_user: "alice",
      xrd_pid: "1",
      xrd_sid: "2",
      xrd_host: "host.example.org",
    };
    for (const [key, field] of AUTH_KEYS) if (auth.has(key)) expected[field] = auth.get(key);
    expected.xrd_client = "host.example.org";
    expected.xrd_origin_site = "example.org";
    const actual = userFields({ dictId: 1, userid, payload });
    assertEquals(JSON.stringify(actual), JSON.stringify(expected), payload);
  }
});
