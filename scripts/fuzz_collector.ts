/**
 * Fuzzes the collector's decode + correlate stages with 1,000,000 random and mutated packets
 * (derived from the real captures, g-stream ones included) and reports exceptions and the heap
 * every 100,000 packets (flat = no growth).
 *
 * Run: `deno run -A --v8-flags=--expose-gc scripts/fuzz_collector.ts [COUNT]`
 *
 * @module
 */
import { runFuzz } from "../tests/collector/fuzz.ts";

const count = Number(Deno.args[0] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = Deno.memoryUsage().heapUsed;
const started = performance.now();
const heapMiB: number[] = [];
const result = await runFuzz(count, 12345, () => {
  gc?.();
  heapMiB.push(Number((Deno.memoryUsage().heapUsed / 2 ** 20).toFixed(1)));
});
const seconds = (performance.now() - started) / 1000;
gc?.();
const after = Deno.memoryUsage().heapUsed;
console.log(JSON.stringify({
  ...result,
  firstException: result.firstException?.split("\n")[0],
  seconds: Number(seconds.toFixed(2)),
  packetsPerSecond: Math.round(count / seconds),
  heapUsedBeforeMiB: Number((before / 2 ** 20).toFixed(1)),
  heapUsedAfterMiB: Number((after / 2 ** 20).toFixed(1)),
  heapUsedEvery100kMiB: heapMiB,
  rssMiB: Number((Deno.memoryUsage().rss / 2 ** 20).toFixed(1)),
  gcAvailable: gc !== undefined,
}));
if (result.exceptions > 0) Deno.exit(1);
