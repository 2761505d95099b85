/**
 * The UDP listener: a worker thread receives (see `listen_worker.ts`) into a shared ring; this
 * side drains the ring on the main thread and hands each datagram, with its sender, to the
 * pipeline synchronously.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { Sender } from "./sender.ts";
import { createRing, RingReader } from "./ring.ts";
import type { ReceiveBufferResult } from "./socket_buffer.ts";

/** Called for each datagram; must not keep `bytes` after returning. */
export type PacketHandler = (bytes: Uint8Array, sender: Sender, now: number) => void;

/** Options for {@linkcode startListener}. */
export interface ListenOptions {
  readonly hostname: string;
  readonly port: number;
  /** Bytes of datagrams that may wait for decoding (default 64 MiB). */
  readonly ringBytes?: number;
  /** Kernel receive buffer to ask for, bytes (0: leave the system default; default 32 MiB). */
  readonly receiveBuffer?: number;
  /** Receive with batched `recvmmsg` when possible (default true; false: Deno's `receive`). */
  readonly batched?: boolean;
  /** Hears about receive errors in the worker. */
  readonly onError?: (message: string) => void;
}

/** A running listener. */
export interface Listener {
  /** The bound address. */
  readonly addr: { readonly hostname: string; readonly port: number };
  /** What became of the receive-buffer request (undefined when none was made). */
  readonly receiveBuffer?: ReceiveBufferResult;
  /** Whether the worker receives with batched `recvmmsg`. */
  readonly batched: boolean;
  /** Datagrams dropped because the ring was full. */
  readonly dropped: number;
  /**
   * Drains datagrams into `handle` until {@linkcode Listener.stop} was called and all are read;
   * rejects if the receiving thread died.
   */
  run(handle: PacketHandler): Promise<void>;
  /** Stops receiving; `run` resolves once what was received is handled. */
  stop(): void;
}

const BATCH = 4096;

/**
 * Binds the socket (in a worker) and resolves once it listens; rejects if it cannot bind.
 *
 * @example
 * ```ts
 * import { startListener } from "./listen.ts";
 * const listener = await startListener({ hostname: "127.0.0.1", port: 0 });
 * const done = listener.run((bytes, sender) => console.log(sender, bytes.length));
 * listener.stop();
 * await done;
 * ```
 */
export function startListener(options: ListenOptions): Promise<Listener> {
  const memory = createRing(options.ringBytes ?? 64 << 20);
  const reader = new RingReader(memory);
  const worker = new Worker(new URL("./listen_worker.ts", import.meta.url).href, {
    type: "module",
  });
  return new Promise((resolve, reject) => {
    let stopped: () => void = () => {};
    const workerDone = new Promise<void>((r) => (stopped = r));
    let crashed: Error | undefined;
    worker.onerror = (event) => {
      event.preventDefault();
      options.onError?.(event.message);
      // Before listening this rejects the start; after, `run` ends with this error.
      crashed = new Error(`receiving thread failed: ${event.message}`);
      reject(crashed);
      stopped();
    };
    worker.onmessage = (event: MessageEvent) => {
      const message = event.data;
      if (message.type === "listening") {
        resolve({
          addr: { hostname: message.hostname, port: message.port },
          receiveBuffer: message.buffer,
          batched: message.batched === true,
          get dropped() {
            return reader.dropped;
          },
          async run(handle: PacketHandler) {
            const guarded: PacketHandler = (bytes, sender, now) => {
              try {
                handle(bytes, sender, now);
              } catch (error) {
                // One datagram that trips a bug must not stop the collector.
                options.onError?.(
                  error instanceof Error ? error.stack ?? error.message : String(error),
                );
              }
            };
            while (true) {
              const n = reader.drain(guarded, BATCH);
              if (n === BATCH) {
                // Let timers, signals and the metrics server run between batches. Not
                // `setTimeout(0)`: nested timers are clamped to ≥ 1-4 ms, which left the
                // decoding thread idle ~20 % of the time while the ring overflowed.
                await new Promise((r) => setImmediate(r));
              } else if (reader.finished || crashed !== undefined) {
                // After a crash, what the ring still holds is handled first.
                while (reader.drain(guarded, BATCH) > 0);
                break;
              } else if (n === 0) {
                await reader.wait();
              }
            }
            await workerDone;
            worker.terminate();
            if (crashed !== undefined) throw crashed;
          },
          stop() {
            reader.requestStop();
            worker.postMessage({ type: "stop" });
          },
        });
      } else if (message.type === "error" && message.fatal) {
        worker.terminate();
        reject(new Error(message.message));
      } else if (message.type === "error") {
        options.onError?.(message.message);
      } else if (message.type === "stopped") {
        stopped();
      }
    };
    worker.postMessage({
      type: "start",
      hostname: options.hostname,
      port: options.port,
      memory,
      receiveBuffer: options.receiveBuffer ?? 32 << 20,
      batched: options.batched ?? true,
    });
  });
}
