/**
 * Shared helpers of the collector tests: run captures through the real pipeline in-process.
 *
 * @module
 */
import { Correlator, type CorrelatorOptions } from "../../collector/correlate/correlate.ts";
import { Pipeline } from "../../collector/correlate/pipeline.ts";
import { replayCapture } from "../../collector/listen/replay.ts";
import { type CapturedPacket, readCapture } from "../../collector/listen/capture.ts";
import type { Sender } from "../../collector/correlate/identity.ts";
import { testDataPath } from "../harness/test_data.ts";

/**
 * Path of a real XRootD capture of `testdata/xrootd/`.
 *
 * @example
 * ```ts
 * capturePath("read_single.ndjson");
 * ```
 */
export function capturePath(name: string): string {
  return testDataPath("xrootd", name);
}

/**
 * A pipeline whose documents land in `docs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const run = memoryPipeline({ cacheSeconds: 60 });
 * run.pipeline.handle(new Uint8Array(8), LOCAL, 1);
 * assert.deepEqual(run.docs.length, 0);
 * ```
 */
export function memoryPipeline(overrides: Partial<CorrelatorOptions> = {}) {
  const docs: Record<string, unknown>[] = [];
  const ids: string[] = [];
  const jsons: string[] = [];
  const rejects: string[] = [];
  const correlator = new Correlator({
    emit: (doc) => {
      docs.push(doc.body);
      ids.push(doc.docId);
      jsons.push(doc.json ?? JSON.stringify(doc.body));
    },
    evtType: "xrd_fstream",
    cacheSeconds: 3600,
    maxEntries: 100_000,
    ...overrides,
  });
  const pipeline = new Pipeline({
    correlator,
    onReject: (_sender, reason) => rejects.push(reason),
  });
  return { docs, ids, jsons, rejects, correlator, pipeline };
}

/**
 * Replays a shared capture in-process and returns what came out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const run = await replayShared("read_single.ndjson");
 * assert.deepEqual(run.docs.length, 3);
 * ```
 */
export async function replayShared(name: string, overrides: Partial<CorrelatorOptions> = {}) {
  const run = memoryPipeline(overrides);
  await replayCapture(capturePath(name), run.pipeline);
  await run.correlator.drain();
  return run;
}

/**
 * Documents of one `xrd_msg_type`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(ofType([{ xrd_msg_type: "fstream_open" }], "fstream_open").length, 1);
 * ```
 */
export function ofType(docs: Record<string, unknown>[], type: string): Record<string, unknown>[] {
  return docs.filter((doc) => doc.xrd_msg_type === type);
}

/** A loopback sender for hand-made packets. */
export const LOCAL: Sender = { hostname: "127.0.0.1", port: 40000 };

/**
 * The datagrams of a real capture of `testdata/xrootd/`, with sender and arrival time.
 *
 * @example
 * ```ts
 * (await captureItems("read_single.ndjson")).length; // 4
 * ```
 */
export async function captureItems(name: string): Promise<CapturedPacket[]> {
  const out: CapturedPacket[] = [];
  for await (const item of readCapture(capturePath(name))) {
    if ("error" in item) throw new Error(item.error);
    out.push(item);
  }
  return out;
}
