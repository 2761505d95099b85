/**
 * Message-bus transport shared by the collector's bus sinks and its shoveler input: bus URLs
 * (`target.ts`), a STOMP 1.2 frame codec and client (`stomp_frame.ts`, `stomp_client.ts`), and
 * connection arguments for AMQP 0-9-1 through amqplib (`connect.ts`).
 *
 * @example
 * ```ts
 * import { encodeFrame, parseBusTarget } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseBusTarget("stomp://127.0.0.1/queue/a").port, 61613);
 * assert.equal(new TextDecoder().decode(encodeFrame("ACK", { id: "1" })), "ACK\nid:1\n\n\0");
 * ```
 *
 * @module
 */
export * from "./target.ts";
export * from "./stomp_frame.ts";
export * from "./stomp_client.ts";
export * from "./connect.ts";
export * from "./describe.ts";
