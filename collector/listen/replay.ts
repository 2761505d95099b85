/**
 * `--replay FILE`: feeds a capture file through the pipeline at full speed, using each
 * packet's recorded arrival time as "now" so the cache ages as it did live.
 *
 * @module
 */
import { readCapture } from "./capture.ts";
import type { PacketHandler } from "./listen.ts";

/** What a replay went through. */
export interface ReplayResult {
  /** Datagrams fed to the pipeline. */
  readonly packets: number;
  /** Lines that were not capture records. */
  readonly badLines: number;
}

/**
 * Replays `path` into `pipeline` (then calls its `finish`, if any); `onBadLine` hears about lines that are not capture records,
 * `onProgress` gets the packet count every 10,000 packets.
 *
 * @example
 * ```ts
 * import { replayCapture } from "./replay.ts";
 * // const result = await replayCapture("capture.ndjson", pipeline);
 * ```
 */
export async function replayCapture(
  path: string,
  pipeline: { readonly handle: PacketHandler; finish?(): void },
  onBadLine?: (line: number, error: string) => void,
  onProgress?: (packets: number) => void,
): Promise<ReplayResult> {
  let packets = 0;
  let badLines = 0;
  for await (const item of readCapture(path)) {
    if ("error" in item) {
      badLines++;
      onBadLine?.(item.line, item.error);
      continue;
    }
    packets++;
    pipeline.handle(item.bytes, item.from, item.t);
    if (onProgress !== undefined && packets % 10_000 === 0) onProgress(packets);
  }
  // What still waits in a reorder window goes out at the end of the capture.
  pipeline.finish?.();
  return { packets, badLines };
}
