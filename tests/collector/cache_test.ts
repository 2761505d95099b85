import { assertEquals } from "../harness/mod.ts";
import { TtlCache } from "../../collector/correlate/cache.ts";

Deno.test("TTL cache: expiry by time, eviction of the oldest, re-set moves to the back", () => {
  const cache = new TtlCache<number>({ ttlSeconds: 10, maxEntries: 3 });
  cache.set("a", 1, 0);
  cache.set("b", 2, 1);
  cache.set("c", 3, 2);
  cache.set("a", 11, 3); // a is now the newest
  cache.set("d", 4, 4); // evicts b, the oldest
  assertEquals(cache.evictions, 1);
  assertEquals(cache.get("b", 4), undefined);
  assertEquals(cache.get("a", 12), 11);
  assertEquals(cache.get("c", 12), undefined, "expired at 2 + 10");
  assertEquals(cache.sweep(13.5), 1, "a expired at 13");
  assertEquals(cache.size, 1);
  assertEquals(cache.expirations, 2);
  assertEquals(cache.delete("d"), true);
  assertEquals(cache.size, 0);
});
