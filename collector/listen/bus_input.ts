/**
 * Input from the message bus: shoveler envelopes consumed from a STOMP destination or an AMQP
 * queue, each datagram handed to the pipeline exactly as if it had arrived over UDP from the
 * envelope's `remote`. Messages are taken in batches; a batch is acknowledged only after
 * `settle()` resolved, i.e. after the documents it produced are durably spooled by the sinks,
 * and only once none of its datagrams is still held back for resequencing (`heldSince`): a held
 * datagram has produced nothing yet, so acknowledging it would lose it in a crash.
 * A lost connection is retried with back-off; what was not acknowledged the broker delivers
 * again.
 *
 * @module
 */
import * as amqp from "amqplib";
import {
  amqpConnectArgs,
  type BusTarget,
  connectStomp,
  describeError,
  readTlsMaterial,
  type StompClient,
} from "../../lib/bus/mod.ts";
import type { PacketHandler } from "./listen.ts";
import { decodeShovelerMessage, shardOf } from "./shoveler.ts";

/** Options of {@linkcode runBusInput}. */
export interface BusInputOptions {
  readonly target: BusTarget;
  /** Where each datagram goes (the pipeline). */
  readonly handle: PacketHandler;
  /** Resolves once everything handled so far is durably spooled (the sinks' flush). */
  readonly settle: () => Promise<void>;
  /**
   * The arrival time (the `now` handed to `handle`) of the oldest datagram still held back, not
   * yet passed on; `Infinity` when none is (the default: nothing is ever held).
   */
  readonly heldSince?: () => number;
  /** Passes on everything still held (called once when stopping, before the last settle). */
  readonly releaseHeld?: () => void;
  /** Told about each refused envelope (reason only; the envelope is acknowledged). */
  readonly onReject?: (reason: string) => void;
  /** Told about connection problems. */
  readonly onError?: (message: string) => void;
  /** Told once connected. */
  readonly onConnected?: () => void;
  /** Stops consuming (after the batch in hand is settled and acknowledged). */
  readonly signal: AbortSignal;
  /** Most messages per batch (default 1000). */
  readonly batchMax?: number;
  /**
   * Unacknowledged messages the broker may send ahead (default 8 × `batchMax`): acknowledgement
   * waits for held datagrams (up to the reorder timeout), and a prefetch of one batch would
   * then throttle the input to one batch per timeout.
   */
  readonly prefetch?: number;
  /** Longest wait to fill a batch, ms (default 100). */
  readonly batchMs?: number;
}

/** Counts of a {@linkcode runBusInput} run. */
export interface BusInputStats {
  messages: number;
  datagrams: number;
  rejected: number;
  otherShard: number;
  reconnects: number;
}

interface Delivery {
  readonly text: string;
  readonly ack: () => void;
}

interface Session {
  readonly closed: Promise<unknown>;
  close(): Promise<void>;
}

const decoder = new TextDecoder();

async function openSession(
  target: BusTarget,
  prefetch: number,
  push: (d: Delivery) => void,
): Promise<Session> {
  const tls = await readTlsMaterial(target);
  if (target.protocol === "stomp") {
    const client: StompClient = await connectStomp(target, tls);
    await client.subscribe(
      target.destination!,
      (m) => push({ text: decoder.decode(m.body), ack: () => void m.ack().catch(() => {}) }),
      {
        "activemq.prefetchSize": String(prefetch),
        "prefetch-count": String(prefetch),
      },
    );
    return { closed: client.done, close: () => client.close() };
  }
  const [url, socket] = amqpConnectArgs(target, tls);
  const connection = await amqp.connect(url, socket);
  const closed = new Promise((resolve) => {
    connection.on("close", resolve);
    connection.on("error", resolve);
  });
  const channel = await connection.createChannel();
  channel.on("error", () => {});
  await channel.prefetch(prefetch);
  await channel.consume(target.queue!, (m) => {
    if (m === null) return;
    push({ text: decoder.decode(m.content), ack: () => channel.ack(m) });
  }, { noAck: false });
  return { closed, close: async () => void await connection.close().catch(() => {}) };
}

/**
 * Consumes until `signal` aborts; resolves the counts.
 *
 * @example
 * ```ts ignore
 * import { runBusInput } from "./bus_input.ts";
 * import { parseBusTarget } from "../../lib/bus/mod.ts";
 * const stop = new AbortController();
 * await runBusInput({
 *   target: parseBusTarget("amqp://127.0.0.1/?queue=shoveler"),
 *   handle: (bytes, sender, now) => {},
 *   settle: () => Promise.resolve(),
 *   signal: stop.signal,
 * });
 * ```
 */
export async function runBusInput(options: BusInputOptions): Promise<BusInputStats> {
  const stats: BusInputStats = {
    messages: 0,
    datagrams: 0,
    rejected: 0,
    otherShard: 0,
    reconnects: 0,
  };
  const batchMax = options.batchMax ?? 1000;
  const batchMs = options.batchMs ?? 100;
  const prefetch = options.prefetch ?? batchMax * 8;
  const heldSince = options.heldSince ?? (() => Infinity);
  const shard = options.target.shard;
  const { signal } = options;
  let backoff = 0;
  while (!signal.aborted) {
    let queue: Delivery[] = [];
    let wake: () => void = () => {};
    let session: Session;
    try {
      session = await openSession(options.target, prefetch, (d) => {
        queue.push(d);
        if (queue.length >= batchMax) wake();
      });
    } catch (error) {
      options.onError?.(`cannot consume from ${options.target.label}: ${describeError(error)}`);
      backoff = Math.min(15_000, Math.max(500, backoff * 2));
      stats.reconnects++;
      await sleep(backoff, signal);
      continue;
    }
    backoff = 0;
    options.onConnected?.();
    let lost = false;
    session.closed.then(() => {
      lost = true;
      wake();
    });
    const aborted = () => wake();
    signal.addEventListener("abort", aborted);
    // Handled batches not yet acknowledged, oldest first, with the time they were handled at.
    const unacked: { deliveries: Delivery[]; handledAt: number }[] = [];
    while (true) {
      if (queue.length < batchMax && !lost && !signal.aborted) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, batchMs);
        });
      }
      const batch = queue;
      queue = [];
      if (batch.length > 0) {
        // Strictly later than any earlier batch, so "held since" tells batches apart.
        const now = Math.max(Date.now() / 1000, (unacked.at(-1)?.handledAt ?? 0) + 1e-6);
        for (const d of batch) {
          stats.messages++;
          const out = decodeShovelerMessage(d.text);
          if (typeof out === "string") {
            stats.rejected++;
            options.onReject?.(out);
            continue;
          }
          if (shard !== undefined && shardOf(out.sender, shard.count) !== shard.index) {
            stats.otherShard++;
            continue;
          }
          stats.datagrams++;
          options.handle(out.bytes, out.sender, now);
        }
        unacked.push({ deliveries: batch, handledAt: now });
      }
      const stopping = signal.aborted && !lost;
      if (stopping) options.releaseHeld?.();
      if (unacked.length > 0 && !lost) {
        // Read before settling: what is not held now has been passed on, so the settle spools it.
        const oldestHeld = heldSince();
        try {
          await options.settle();
          while (unacked.length > 0 && unacked[0].handledAt < oldestHeld) {
            for (const d of unacked.shift()!.deliveries) d.ack();
          }
        } catch (error) {
          // Not spooled: leave the batches unacknowledged, the broker delivers them again.
          options.onError?.(`spooling failed, batch not acknowledged: ${describeError(error)}`);
          lost = true;
        }
      }
      if (lost || signal.aborted) break;
    }
    signal.removeEventListener("abort", aborted);
    await session.close().catch(() => {});
    if (lost && !signal.aborted) {
      options.onError?.(`connection to ${options.target.label} lost; reconnecting`);
      stats.reconnects++;
      await sleep(500, signal);
    }
  }
  return stats;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
