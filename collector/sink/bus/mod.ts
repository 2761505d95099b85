/**
 * The message-bus sinks of xrootd-fstream-collector: WLCG file-access records
 * (`wlcg_record.ts`, pure) published over STOMP 1.2 (`stomp_frame.ts`, `stomp_client.ts`) or
 * AMQP 0-9-1 (amqplib) by {@linkcode BusSink}, each with its own durable spool.
 *
 * @example
 * ```ts
 * import { parseBusTarget, wlcgRecord } from "./mod.ts";
 * parseBusTarget("amqp://127.0.0.1/?exchange=xrd").protocol; // "amqp"
 * wlcgRecord({ xrd_msg_type: "user_connection" }, { producer: "p", type: "t", host: "h" }); // undefined
 * ```
 *
 * @module
 */
export * from "./wlcg_record.ts";
export * from "./target.ts";
export * from "./stomp_frame.ts";
export * from "./stomp_client.ts";
export * from "./publisher.ts";
export * from "./bus_sink.ts";
export * from "./options.ts";
