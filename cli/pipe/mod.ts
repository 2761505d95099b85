/**
 * `esmond-ps-pipe`: stores one bwctl/iperf3 result read from a pipe or a file in an esmond
 * archive. The pure parts (header scan, JSON locator, iperf3 mapping) are usable on their own.
 *
 * @example
 * ```ts
 * import { extractInput, mapIperf3 } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const input = new URL("../../testdata/pipe/tcp-1stream.bwctl.txt", import.meta.url);
 * const extracted = extractInput(await Deno.readTextFile(input), {});
 * assert.ok(extracted.ok);
 * if (extracted.ok) {
 *   const payload = mapIperf3(extracted.json, {
 *     toolName: extracted.toolName,
 *     inputSource: extracted.inputSource,
 *     inputDestination: extracted.inputDestination,
 *     measurementAgent: "10.0.0.1",
 *     fallbackTs: 0,
 *   });
 *   assert.ok(payload.eventTypes.includes("throughput"));
 * }
 * ```
 *
 * @module
 */
export type { ClientOptions } from "../../lib/esmond/mod.ts";
export * from "./types.ts";
export * from "./bwctl_header.ts";
export * from "./json_block.ts";
export * from "./extract.ts";
export * from "./iperf3_map.ts";
export * from "./route_choice.ts";
export * from "./measurement_agent.ts";
export * from "./options.ts";
export * from "./spool.ts";
export * from "./post.ts";
export * from "./replay.ts";
export * from "./run.ts";
export * from "./main.ts";
