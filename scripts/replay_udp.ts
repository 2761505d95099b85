/**
 * Sends a capture file (the shared NDJSON format) to a collector over UDP, at the recorded
 * pace or as fast as possible, from one socket per original sender so each server keeps its
 * own source port.
 *
 * Usage: `deno run -A scripts/replay_udp.ts [--max-speed] [--host H] --port P FILE`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type CapturedPacket, readCapture } from "../collector/listen/capture.ts";

/** Options for {@linkcode replayUdp}. */
export interface ReplayUdpOptions {
  /** Capture file. */
  readonly path: string;
  /** Collector address. */
  readonly hostname: string;
  readonly port: number;
  /** `recorded`: keep the gaps between arrivals; `max`: no waiting. */
  readonly pace: "recorded" | "max";
}

/** What was sent. */
export interface ReplayUdpResult {
  readonly packets: number;
  readonly seconds: number;
}

/**
 * Replays a capture to `hostname:port`.
 *
 * @example
 * ```ts
 * import { replayUdp } from "./replay_udp.ts";
 * import assert from "node:assert/strict";
 * const collector = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 * const { port } = collector.addr as Deno.NetAddr;
 * const path = new URL("../testdata/xrootd/read_single.ndjson", import.meta.url).pathname;
 * const sent = await replayUdp({ path, hostname: "127.0.0.1", port, pace: "max" });
 * assert.ok(sent.packets > 0);
 * const [first] = await collector.receive();
 * assert.ok(first.length > 0);
 * collector.close();
 * ```
 */
export async function replayUdp(options: ReplayUdpOptions): Promise<ReplayUdpResult> {
  const packets: CapturedPacket[] = [];
  for await (const item of readCapture(options.path)) {
    if ("error" in item) throw new Error(`${options.path} line ${item.line}: ${item.error}`);
    packets.push(item);
  }
  const sockets = new Map<string, Deno.DatagramConn>();
  const target: Deno.NetAddr = { transport: "udp", hostname: options.hostname, port: options.port };
  const started = performance.now();
  try {
    const t0 = packets[0]?.t ?? 0;
    for (const packet of packets) {
      const key = `${packet.from.hostname}:${packet.from.port}`;
      let socket = sockets.get(key);
      if (socket === undefined) {
        socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
        sockets.set(key, socket);
      }
      if (options.pace === "recorded") {
        const wait = (packet.t - t0) * 1000 - (performance.now() - started);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await socket.send(packet.bytes, target);
    }
  } finally {
    for (const socket of sockets.values()) socket.close();
  }
  return { packets: packets.length, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string" },
      "max-speed": { type: "boolean", default: false },
    },
  });
  if (values.port === undefined || positionals.length !== 1) {
    console.error("usage: replay_udp.ts [--max-speed] [--host H] --port P FILE");
    Deno.exit(2);
  }
  const result = await replayUdp({
    path: positionals[0],
    hostname: values.host!,
    port: Number(values.port),
    pace: values["max-speed"] ? "max" : "recorded",
  });
  console.error(`sent ${result.packets} packets in ${result.seconds.toFixed(2)} s`);
}
