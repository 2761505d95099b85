/**
 * Publishers: one batch of messages to a STOMP destination (one transaction, committed with a
 * receipt) or an AMQP exchange (persistent messages on a confirm channel). `publish` resolves
 * only when the broker has taken every message of the batch, so the caller may then forget it;
 * otherwise it rejects with a {@linkcode PublishFailure} saying which messages the broker did
 * confirm and how many it may hold without having said so.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as amqp from "amqplib";
import {
  amqpConnectArgs,
  type BusTarget,
  connectStomp,
  readTlsMaterial,
  type StompClient,
  StompUnconfirmedError,
  type TlsMaterial,
} from "../../../lib/bus/mod.ts";

export { readTlsMaterial, type TlsMaterial };

/** One message to publish. */
export interface BusMessage {
  /** JSON text. */
  readonly body: string;
  /** Broker-side id (`unique_id`): AMQP `message-id`, STOMP header `unique_id`. */
  readonly id: string;
  /** Extra headers (MONIT's `producer`/`type`). */
  readonly headers: Record<string, string>;
}

/**
 * A batch that was not wholly confirmed. `confirmed[i]` is true for each message the broker
 * confirmed (it may be forgotten); `inDoubt` counts the messages that reached the connection
 * but got neither a confirmation nor a refusal before it ended: the broker may hold them, so
 * sending them again may deliver them twice.
 *
 * @example
 * ```ts
 * import { PublishFailure } from "./publisher.ts";
 * import assert from "node:assert/strict";
 * const failure = new PublishFailure("channel closed", [true, false], 1);
 * assert.equal(failure.confirmed.filter(Boolean).length, 1);
 * ```
 */
export class PublishFailure extends Error {
  /** Builds the failure; the fields as above. */
  constructor(
    message: string,
    readonly confirmed: readonly boolean[],
    readonly inDoubt: number,
  ) {
    super(message);
    this.name = "PublishFailure";
  }
}

/** A connected publisher. */
export interface Publisher {
  /**
   * Publishes the batch; resolves once the broker confirmed all of it, rejects with a
   * {@linkcode PublishFailure} otherwise.
   */
  publish(messages: readonly BusMessage[]): Promise<void>;
  /** True once the connection is known to be broken (the sink reconnects). */
  readonly broken: boolean;
  close(): Promise<void>;
}

const encoder = new TextEncoder();

class StompPublisher implements Publisher {
  constructor(readonly client: StompClient, readonly destination: string) {}
  get broken(): boolean {
    return this.client.error !== undefined;
  }
  async publish(messages: readonly BusMessage[]): Promise<void> {
    // One transaction: the broker commits all of it or none, so nothing is confirmed alone.
    await this.client.sendBatch(messages.map((m) => ({
      destination: this.destination,
      body: encoder.encode(m.body),
      headers: {
        ...m.headers,
        "content-type": "application/json",
        persistent: "true",
        unique_id: m.id,
      },
    }))).catch((error) => {
      const written = error instanceof StompUnconfirmedError && error.written;
      throw new PublishFailure(
        error instanceof Error ? error.message : String(error),
        messages.map(() => false),
        written ? messages.length : 0,
      );
    });
  }
  close(): Promise<void> {
    return this.client.close();
  }
}

class AmqpPublisher implements Publisher {
  #broken = false;
  constructor(
    readonly connection: amqp.ChannelModel,
    readonly channel: amqp.ConfirmChannel,
    readonly exchange: string,
    readonly routingKey: string,
  ) {
    const mark = () => (this.#broken = true);
    connection.on("error", mark);
    connection.on("close", mark);
    channel.on("error", mark);
    channel.on("close", mark);
  }
  get broken(): boolean {
    return this.#broken;
  }
  async publish(messages: readonly BusMessage[]): Promise<void> {
    const none = messages.map(() => false);
    if (this.#broken) throw new PublishFailure("AMQP connection lost", none, 0);
    // Each message's own confirmation: when the connection ends half-way, the ones confirmed
    // before are not sent again.
    const answers: Promise<Error | null>[] = [];
    let unsent: unknown;
    for (const m of messages) {
      let answer!: (error: Error | null) => void;
      const answered = new Promise<Error | null>((resolve) => (answer = resolve));
      try {
        this.channel.publish(this.exchange, this.routingKey, Buffer.from(m.body), {
          persistent: true,
          contentType: "application/json",
          messageId: m.id,
          headers: m.headers,
        }, (error: Error | null) => answer(error ?? null));
      } catch (error) {
        unsent = error; // the channel is closed: this message and the rest never left
        break;
      }
      answers.push(answered);
    }
    const results = await Promise.all(answers);
    const confirmed = messages.map((_, i) => i < results.length && results[i] === null);
    const failed = results.find((error) => error !== null);
    if (failed === undefined && unsent === undefined) return;
    const inDoubt = results.filter((error) => error !== null && !/nack/i.test(error.message))
      .length;
    const reason = failed ?? unsent;
    throw new PublishFailure(
      reason instanceof Error ? reason.message : String(reason),
      confirmed,
      inDoubt,
    );
  }
  async close(): Promise<void> {
    await this.connection.close().catch(() => {});
  }
}

/**
 * Connects a publisher for a target.
 *
 * @example
 * ```ts ignore
 * import { connectPublisher } from "./publisher.ts";
 * import { parseBusTarget } from "../../../lib/bus/mod.ts";
 * const target = parseBusTarget("stomp://127.0.0.1:61613/topic/xrootd");
 * const publisher = await connectPublisher(target, {});
 * await publisher.publish([{ body: "{}", id: "1", headers: {} }]);
 * await publisher.close();
 * ```
 */
export async function connectPublisher(target: BusTarget, tls: TlsMaterial): Promise<Publisher> {
  if (target.protocol === "stomp") {
    return new StompPublisher(await connectStomp(target, tls), target.destination!);
  }
  const [url, socket] = amqpConnectArgs(target, tls);
  const connection = await amqp.connect(url, socket);
  try {
    const channel = await connection.createConfirmChannel();
    const exchange = target.exchange ?? "amq.topic";
    if (target.exchange !== undefined && !target.exchange.startsWith("amq.")) {
      // Declared durable topic if missing; an existing exchange of another type is refused by
      // the broker and reported as the connection error.
      await channel.assertExchange(exchange, "topic", { durable: true });
    }
    return new AmqpPublisher(connection, channel, exchange, target.routingKey ?? "file-close");
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
}
