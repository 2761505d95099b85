/**
 * The output thread of {@linkcode OutputRing}: writes what the main thread put in the shared
 * byte ring to a file or stdout with blocking writes, in order, and moves the ring's head
 * past what was written. A failed write keeps its bytes in the ring and is tried again at the
 * next flush (or at stop), as the in-process writer does.
 *
 * With `frames`, the ring holds frames (`correlate/frames.ts`) that are rendered into NDJSON
 * here first.
 *
 * Message in: `{ path?, data, control, frames? }` (once). Messages out: `{ type: "ready" }`,
 * `{ type: "error", message, fatal? }`, `{ type: "stopped" }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { ERRORS, FAILING, FLUSH, HEAD, STOP, TAIL } from "./output_ring_layout.ts";
import { FrameRenderer } from "./frame_render.ts";

/** Frame bytes rendered per round: the output of one round is one write. */
const FRAME_BYTES_PER_ROUND = 1 << 20;

interface Output {
  writeSync(bytes: Uint8Array): number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reports a failed write to the main thread and waits for its next flush, when the write is
 * tried again; false when the ring is stopping (nothing more is tried).
 */
function failedWrite(control: Int32Array, error: unknown): boolean {
  const flushes = Atomics.load(control, FLUSH);
  Atomics.store(control, FAILING, 1);
  Atomics.add(control, ERRORS, 1);
  Atomics.notify(control, HEAD);
  self.postMessage({ type: "error", message: describe(error) });
  if (Atomics.load(control, STOP) !== 0) return false;
  // The main thread notifies FLUSH when it flushes again, also on stop.
  Atomics.wait(control, FLUSH, flushes);
  return true;
}

function run(out: Output, data: Uint8Array, control: Int32Array): void {
  const mask = data.length - 1;
  for (;;) {
    const head = Atomics.load(control, HEAD);
    const tail = Atomics.load(control, TAIL);
    if (head === tail) {
      if (Atomics.load(control, STOP) !== 0) return;
      // The main thread notifies TAIL when it adds bytes or asks to stop.
      Atomics.wait(control, TAIL, tail, 1000);
      continue;
    }
    const at = head & mask;
    // Up to the ring's physical end; the wrapped rest is the next write.
    const n = Math.min((tail - head) >>> 0, data.length - at);
    try {
      const written = out.writeSync(data.subarray(at, at + n));
      Atomics.store(control, HEAD, (head + written) | 0);
      Atomics.store(control, FAILING, 0);
      Atomics.notify(control, HEAD);
    } catch (error) {
      if (!failedWrite(control, error)) return;
    }
  }
}

/**
 * The ring holds frames (`correlate/frames.ts`): rendered here, written, and only then is
 * `HEAD` moved past them, so a flush still means "written". A failed write keeps the rendered
 * bytes for the retry at the next flush.
 */
function runFrames(out: Output, data: Uint8Array, control: Int32Array): void {
  const mask = data.length - 1;
  const renderer = new FrameRenderer();
  let read = Atomics.load(control, HEAD);
  let done = 0;
  for (;;) {
    const pending = renderer.output;
    if (pending.length > 0) {
      try {
        while (done < pending.length) done += out.writeSync(pending.subarray(done));
      } catch (error) {
        if (!failedWrite(control, error)) return;
        continue;
      }
      renderer.taken();
      done = 0;
      Atomics.store(control, FAILING, 0);
    }
    if (Atomics.load(control, HEAD) !== read) {
      Atomics.store(control, HEAD, read);
      Atomics.notify(control, HEAD);
    }
    const tail = Atomics.load(control, TAIL);
    if (read === tail) {
      if (Atomics.load(control, STOP) !== 0) return;
      Atomics.wait(control, TAIL, tail, 1000);
      continue;
    }
    const at = read & mask;
    const n = Math.min((tail - read) >>> 0, data.length - at, FRAME_BYTES_PER_ROUND);
    renderer.add(data.subarray(at, at + n));
    read = (read + n) | 0;
  }
}

self.onmessage = (event: MessageEvent) => {
  const { path, data, control, frames } = event.data as {
    path?: string;
    data: SharedArrayBuffer;
    control: SharedArrayBuffer;
    frames?: boolean;
  };
  let file: Deno.FsFile | undefined;
  try {
    if (path !== undefined) {
      file = Deno.openSync(path, { append: true, create: true, write: true });
    }
  } catch (error) {
    self.postMessage({ type: "error", fatal: true, message: describe(error) });
    return;
  }
  self.postMessage({ type: "ready" });
  (frames ? runFrames : run)(file ?? Deno.stdout, new Uint8Array(data), new Int32Array(control));
  file?.close();
  self.postMessage({ type: "stopped" });
};
