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
import { gPacket, gTextPacket } from "./packet_builder.ts";

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

/** g-stream packets assembled from the layout: every provider, both header forms. */
const G_SEEDS: readonly Uint8Array[] = [
  gPacket({ pseq: 1, stod: 1000, provider: "R", tBeg: 1, tEnd: 2 }, [
    '{"event":"throttle_update","io_wait":0.5,"io_active":1,"io_total":2}',
  ]),
  gPacket({ pseq: 2, stod: 1000, provider: "O", tBeg: 1, tEnd: 2 }, [
    '{"event":"oss_stats","reads":1,"read_t":0.0001}',
    '{"event":"oss_stats_x","nested":{"a":{"b":{"c":{"d":{"e":[1,{"f":2}]}}}}}}',
  ]),
  gPacket({ pseq: 3, stod: 1000, provider: "H", tBeg: 1, tEnd: 2 }, [
    '{"HTTP_GET_200":{"count":1,"success":1,"duration_seconds":0.1},"HTTP_X":5}',
  ]),
  gPacket({ pseq: 4, stod: 1000, provider: "T", tBeg: 1, tEnd: 2 }, ["a=1&b=%zz&c"]),
  gTextPacket("cgi", { pseq: 5, stod: 1000, provider: "P", tBeg: 1, tEnd: 2 }, [
    '{"TPC":"http","Xeq":{"Beg":"x","End":"2026-01-01T00:00:00Z","RC":1},"Size":-5}',
  ]),
  gTextPacket("json", { pseq: 6, stod: 1000, provider: "C", tBeg: 1, tEnd: 2 }, [
    '{"event":"file_close","lfn":"/a","remotes":["x",["y"],{"z":1}],"detach_t":"soon"}',
  ]),
];

function fixPlen(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 4 && bytes.length <= 0xffff) {
    new DataView(bytes.buffer, bytes.byteOffset).setUint16(2, bytes.length);
  }
  return bytes;
}

/**
 * Yields `count` packets: mutated copies of `seeds` (byte flips, truncation, extension, field
 * corruption, record splicing, most with `plen` patched so they reach the record parser),
 * mangled g-stream packets (binary and text headers, every provider) and wholly random ones.
 */
export function* fuzzPackets(
  seeds: readonly Uint8Array[],
  count: number,
  seed = 1,
): Generator<Uint8Array> {
  const gSeeds = [
    ...seeds.filter((s) => s[0] === 0x67 || s[0] === 0x63 || s[0] === 0x7b),
    ...G_SEEDS,
  ];
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  for (let i = 0; i < count; i++) {
    const base = seeds[int(seeds.length)];
    let out: Uint8Array;
    switch (int(9)) {
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
      case 7: { // g-stream: another provider letter, and text bytes of the events mangled
        out = gSeeds[int(gSeeds.length)].slice();
        if (out[0] === 0x67 && out.length > 16) out[16] = "CMTPROHZ\0".charCodeAt(int(9));
        for (let k = int(6); k > 0; k--) {
          out[int(out.length)] = '{}[]":,\n&=+%0a'.charCodeAt(int(15));
        }
        if (rand() < 0.5) fixPlen(out);
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
  /** g-stream documents among `documents`. */
  readonly gstreamDocuments: number;
  /** Server processes tracked at the end, and datagrams still held for resequencing. */
  readonly serversTracked: number;
  readonly held: number;
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
export async function runFuzz(
  count: number,
  seed = 1,
  onProgress?: (packets: number) => void,
): Promise<FuzzResult> {
  const seeds = await capturedPackets([
    "read_single.ndjson",
    "write_single.ndjson",
    "parallel_small.ndjson",
    "gstream_pfc_tpc.ndjson",
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
    if (onProgress !== undefined && i % 100_000 === 0) onProgress(i);
  }
  pipeline.pipeline.finish();
  await pipeline.correlator.drain();
  return {
    packets: count,
    rejected: pipeline.pipeline.metrics.decodeErrors,
    exceptions,
    firstException,
    documents,
    cacheSize: pipeline.correlator.cacheSize,
    gstreamDocuments: pipeline.correlator.gstreamEvents,
    serversTracked: pipeline.pipeline.serversTracked,
    held: pipeline.pipeline.sequences.held,
  };
}
