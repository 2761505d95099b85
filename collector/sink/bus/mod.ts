/**
 * The message-bus sinks of xrootd-fstream-collector: WLCG file-access records
 * (`wlcg_record.ts`, pure) published over STOMP 1.2 or AMQP 0-9-1 (transport in `lib/bus/`) by
 * {@linkcode BusSink}, each with its own durable spool.
 *
 * @example
 * ```ts
 * import { wlcgRecord } from "./mod.ts";
 * wlcgRecord({ xrd_msg_type: "user_connection" }, { producer: "p", type: "t", host: "h" }); // undefined
 * ```
 *
 * @module
 */
export * from "./wlcg_record.ts";
export * from "./publisher.ts";
export * from "./bus_sink.ts";
export * from "./options.ts";
