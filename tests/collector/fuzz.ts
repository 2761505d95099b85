/**
 * Random and mutated packets derived from the real captures, and a driver that pushes them
 * through the whole pipeline (decode + correlate) counting any exception that escapes. Used by
 * the unit test (a modest count) and `scripts/fuzz_collector.ts` (1,000,000).
 *
 * @module
 */
import { readCapture } from "../../collector/listen/capture.ts";
import type { Sender } from "../../collector/correlate/identity.ts";
import { memoryPipeline } from "./helpers.ts";
import { testDataPath } from "../harness/test_data.ts";

/**
 * A small fast deterministic PRNG (mulberry32).
 *
 * @example
 * ```ts
 * const rand = prng(1);
 * rand(); // a number in [0, 1)
 * ```
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every datagram of the shared captures.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual((await capturedPackets(["read_single.ndjson"])).length, 4);
 * ```
 */
export async function capturedPackets(names: readonly string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const name of names) {
    const path = testDataPath("xrootd", name);
    for await (const item of readCapture(path)) if (!("error" in item)) out.push(item.bytes);
  }
  return out;
}

function fixPlen(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 4 && bytes.length <= 0xffff) {
    new DataView(bytes.buffer, bytes.byteOffset).setUint16(2, bytes.length);
  }
  return bytes;
}

/**
 * Yields `count` packets: mutated copies of `seeds` (byte flips, truncation, extension, field
 * corruption, record splicing, most with `plen` patched so they reach the record parser) and
 * wholly random ones.
 */
export function* fuzzPackets(
  seeds: readonly Uint8Array[],
  count: number,
  seed = 1,
): Generator<Uint8Array> {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  for (let i = 0; i < count; i++) {
    const base = seeds[int(seeds.length)];
    let out: Uint8Array;
    switch (int(8)) {
      case 0: { // byte flips, plen fixed
        out = base.slice();
        for (let k = 1 + int(8); k > 0; k--) out[int(out.length)] ^= 1 << int(8);
        fixPlen(out);
        break;
      }
      case 1: // truncation, plen left as declared
        out = base.slice(0, int(base.length));
        break;
      case 2: // truncation with plen fixed
        out = fixPlen(base.slice(0, 8 + int(Math.max(1, base.length - 8))));
        break;
      case 3: { // extension with random bytes
        out = new Uint8Array(base.length + 1 + int(64));
        out.set(base);
        for (let k = base.length; k < out.length; k++) out[k] = int(256);
        fixPlen(out);
        break;
      }
      case 4: { // corrupt a 16-bit field (recSize, nRecs) somewhere in the body
        out = base.slice();
        if (out.length > 10) {
          new DataView(out.buffer).setUint16(8 + int(out.length - 9) & ~1, int(65536));
        }
        fixPlen(out);
        break;
      }
      case 5: { // splice the tail of another packet onto this one's head
        const other = seeds[int(seeds.length)];
        const cut = 8 + int(Math.max(1, base.length - 8));
        const from = 8 + int(Math.max(1, other.length - 8));
        out = new Uint8Array(cut + other.length - from);
        out.set(base.subarray(0, cut));
        out.set(other.subarray(from), cut);
        fixPlen(out);
        break;
      }
      case 6: { // change the packet code
        out = base.slice();
        out[0] = "fu=iUdTtrgx?".charCodeAt(int(12));
        break;
      }
      default: { // random bytes with a plausible header
        out = new Uint8Array(int(200));
        for (let k = 0; k < out.length; k++) out[k] = int(256);
        if (out.length >= 8 && rand() < 0.7) out[0] = "fu=".charCodeAt(int(3));
        fixPlen(out);
      }
    }
    yield out;
  }
}

/** What a fuzz run saw. */
export interface FuzzResult {
  readonly packets: number;
  readonly rejected: number;
  readonly exceptions: number;
  readonly firstException?: string;
  readonly documents: number;
  readonly cacheSize: number;
}

/**
 * Pushes `count` fuzzed packets through a real pipeline with a bounded cache.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const result = await runFuzz(1000);
 * assert.deepEqual(result.exceptions, 0);
 * ```
 */
export async function runFuzz(count: number, seed = 1): Promise<FuzzResult> {
  const seeds = await capturedPackets([
    "read_single.ndjson",
    "write_single.ndjson",
    "parallel_small.ndjson",
  ]);
  let documents = 0;
  let chars = 0;
  // Documents are serialised (running the lazy builders) and counted, not kept: memory must
  // stay flat however many packets go through.
  const pipeline = memoryPipeline({
    emit: (doc) => {
      chars += doc.json!.length;
      documents++;
    },
    maxEntries: 5_000,
    cacheSeconds: 60,
  });
  const senders: Sender[] = [1, 2, 3].map((n) => ({ hostname: `10.0.0.${n}`, port: 30000 + n }));
  let exceptions = 0;
  let firstException: string | undefined;
  let i = 0;
  for (const bytes of fuzzPackets(seeds, count, seed)) {
    try {
      pipeline.pipeline.handle(bytes, senders[i % 3], 1_000_000 + i / 1000);
    } catch (error) {
      exceptions++;
      firstException ??= error instanceof Error ? error.stack : String(error);
    }
    i++;
  }
  await pipeline.correlator.drain();
  return {
    packets: count,
    rejected: pipeline.pipeline.metrics.decodeErrors,
    exceptions,
    firstException,
    documents,
    cacheSize: pipeline.correlator.cacheSize,
  };
}
