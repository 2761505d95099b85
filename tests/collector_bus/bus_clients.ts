/**
 * Test-side broker clients: declare queues, publish shoveler envelopes, and read back every
 * message of a queue (AMQP through amqplib, STOMP through the project's own client).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as amqp from "amqplib";
import { StompClient } from "../../lib/bus/mod.ts";
import { encodeShovelerMessage } from "../../collector/listen/shoveler.ts";
import type { Sender } from "../../collector/listen/sender.ts";
import { readCapture } from "../../collector/listen/capture.ts";
import { testDataPath } from "../harness/test_data.ts";

/** One consumed message. */
export interface Consumed {
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects to the RabbitMQ test broker as guest. */
export function amqpConnect(port: number): Promise<amqp.ChannelModel> {
  return amqp.connect(`amqp://guest:guest@127.0.0.1:${port}/`);
}

/** Declares a durable queue bound to `exchange` (declared as `type`) with `key`. */
export async function bindQueue(
  port: number,
  exchange: string,
  type: string,
  queue: string,
  key = "#",
  args: Record<string, unknown> = {},
): Promise<void> {
  const conn = await amqpConnect(port);
  try {
    const ch = await conn.createChannel();
    await ch.assertExchange(exchange, type, { durable: true, arguments: args });
    await ch.assertQueue(queue, { durable: true });
    await ch.bindQueue(queue, exchange, key);
  } finally {
    await conn.close();
  }
}

/**
 * Reads messages of an AMQP queue until `count` arrived (or `timeoutMs`), acknowledging them;
 * then waits `settleMs` more for unexpected extra ones.
 */
export async function drainAmqp(
  port: number,
  queue: string,
  count: number,
  timeoutMs = 60_000,
  settleMs = 1000,
): Promise<Consumed[]> {
  const conn = await amqpConnect(port);
  const out: Consumed[] = [];
  try {
    const ch = await conn.createChannel();
    await ch.consume(queue, (m) => {
      if (m === null) return;
      out.push({
        body: JSON.parse(m.content.toString()),
        headers: { ...m.properties.headers, messageId: m.properties.messageId },
      });
      ch.ack(m);
    });
    const deadline = Date.now() + timeoutMs;
    while (out.length < count && Date.now() < deadline) await sleep(100);
    await sleep(settleMs);
  } finally {
    await conn.close();
  }
  return out;
}

/** Same as {@linkcode drainAmqp} for a STOMP destination. */
export async function drainStomp(
  port: number,
  destination: string,
  count: number,
  timeoutMs = 60_000,
  settleMs = 1000,
): Promise<Consumed[]> {
  const client = await StompClient.connect({ hostname: "127.0.0.1", port });
  const out: Consumed[] = [];
  try {
    await client.subscribe(destination, (m) => {
      out.push({ body: JSON.parse(new TextDecoder().decode(m.body)), headers: m.headers });
      void m.ack();
    });
    const deadline = Date.now() + timeoutMs;
    while (out.length < count && Date.now() < deadline) await sleep(100);
    await sleep(settleMs);
  } finally {
    await client.close();
  }
  return out;
}

/** Publishes each datagram as a shoveler envelope to an AMQP exchange (confirmed). */
export async function publishEnvelopesAmqp(
  port: number,
  exchange: string,
  datagrams: readonly { bytes: Uint8Array; sender: Sender }[],
  routingKey: (sender: Sender) => string = () => "",
): Promise<void> {
  const conn = await amqpConnect(port);
  try {
    const ch = await conn.createConfirmChannel();
    for (const d of datagrams) {
      ch.publish(
        exchange,
        routingKey(d.sender),
        Buffer.from(encodeShovelerMessage(d.bytes, d.sender)),
        {
          contentType: "text/plain",
          persistent: true,
        },
      );
    }
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

/** Publishes each datagram as a shoveler envelope to a STOMP destination (one transaction). */
export async function publishEnvelopesStomp(
  port: number,
  destination: string,
  datagrams: readonly { bytes: Uint8Array; sender: Sender }[],
): Promise<void> {
  const client = await StompClient.connect({ hostname: "127.0.0.1", port });
  try {
    await client.sendBatch(datagrams.map((d) => ({
      destination,
      body: new TextEncoder().encode(encodeShovelerMessage(d.bytes, d.sender)),
      headers: { persistent: "true" },
    })));
  } finally {
    await client.close();
  }
}

/** The datagrams of a capture with their senders, in order. */
export async function captureWithSenders(
  name: string,
): Promise<{ bytes: Uint8Array; sender: Sender }[]> {
  const out: { bytes: Uint8Array; sender: Sender }[] = [];
  for await (const item of readCapture(testDataPath("xrootd", name))) {
    if ("error" in item) throw new Error(`${name}: ${item.error}`);
    out.push({ bytes: item.bytes, sender: item.from });
  }
  return out;
}
