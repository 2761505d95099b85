/** The per-run host cache: one lookup per name and family, timeouts and failures → no address. */
import { assertEquals } from "../harness/mod.ts";
import { createHostResolver } from "../../cli/gridftp/resolver.ts";

Deno.test("resolver: literals and localhost need no lookup; names are looked up once", async () => {
  const asked: string[] = [];
  const resolver = createHostResolver({
    lookupAddress: (host, family) => {
      asked.push(`${host}/${family}`);
      if (host === "slow.example") return new Promise(() => {});
      if (host === "gone.example") return Promise.reject(new Error("ENOTFOUND"));
      return Promise.resolve(family === 4 ? "192.0.2.7" : "2001:db8::7");
    },
    timeoutMs: 50,
  });
  for (let i = 0; i < 3; i++) {
    await resolver.resolve("gridftp.example", 4);
    await resolver.resolve("gridftp.example", 6);
  }
  await resolver.resolve("localhost", 6);
  await resolver.resolve("10.1.2.3", 4);
  await resolver.resolve("slow.example", 4);
  await resolver.resolve("gone.example", 4);
  assertEquals(resolver.cached("gridftp.example", 4), "192.0.2.7");
  assertEquals(resolver.cached("gridftp.example", 6), "2001:db8::7");
  assertEquals(resolver.cached("localhost", 6), "::1");
  assertEquals(resolver.cached("10.1.2.3", 4), "10.1.2.3");
  assertEquals(resolver.cached("slow.example", 4), undefined);
  assertEquals(resolver.cached("gone.example", 4), undefined);
  assertEquals(asked, [
    "gridftp.example/4",
    "gridftp.example/6",
    "slow.example/4",
    "gone.example/4",
  ]);
});
