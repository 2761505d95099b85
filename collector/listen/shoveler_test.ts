import { assertEquals } from "../../tests/harness/mod.ts";
import { decodeShovelerMessage, encodeShovelerMessage, shardOf } from "./shoveler.ts";

Deno.test("shoveler envelopes: round trip, IPv6 remotes, refusals", () => {
  const bytes = Uint8Array.of(0x3d, 0, 0, 8, 255);
  for (
    const sender of [{ hostname: "192.0.2.1", port: 1094 }, { hostname: "2001:db8::1", port: 9 }]
  ) {
    const out = decodeShovelerMessage(encodeShovelerMessage(bytes, sender));
    assertEquals(out, { bytes, sender });
  }
  assertEquals(decodeShovelerMessage("{"), "not JSON");
  assertEquals(decodeShovelerMessage('{"remote":"h:1"}'), "no data");
  assertEquals(decodeShovelerMessage('{"remote":"h","data":""}'), "remote is not HOST:PORT");
  assertEquals(
    decodeShovelerMessage('{"remote":"h:1","data":"!!"}'),
    "data is empty or not base64",
  );
  assertEquals(
    decodeShovelerMessage('{"remote":"h:70000","data":"AA=="}'),
    "remote is not HOST:PORT",
  );
});

Deno.test("shards: every server in exactly one, spread over all", () => {
  const counts = [0, 0, 0];
  for (let i = 0; i < 300; i++) {
    counts[shardOf({ hostname: `10.0.${i >> 8}.${i & 255}`, port: 1094 }, 3)]++;
  }
  for (const c of counts) assertEquals(c > 60, true);
});
