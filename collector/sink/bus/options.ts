/**
 * The message-bus options (`--bus`, `--bus-input`, the WLCG record labels), their help text and
 * their conversion into {@linkcode BusSinkOptions}.
 *
 * @module
 */
import type { BusSinkOptions } from "./bus_sink.ts";
import { type BusTarget, parseBusTarget } from "../../../lib/bus/mod.ts";

/** `node:util` parseArgs specs of the bus options, to merge into the collector's. */
export const BUS_ARG_SPEC = {
  bus: { type: "string", multiple: true },
  "bus-input": { type: "string" },
  "bus-spool-dir": { type: "string" },
  "bus-batch-size": { type: "string" },
  "wlcg-producer": { type: "string" },
  "wlcg-type": { type: "string" },
  "wlcg-site": { type: "string" },
} as const;

/** Help lines for the bus options. */
export const BUS_USAGE = `Message bus options (WLCG file-access records; shoveler input):
  --bus=URL             publish WLCG records to URL; repeat for several brokers. URL is
                        stomp[s]://[USER[:PASS]@]HOST[:PORT]/topic/NAME (or /queue/NAME) or
                        amqp[s]://[USER[:PASS]@]HOST[:PORT][/VHOST]?exchange=X&routing_key=K;
                        parameters ca=FILE, cert=FILE&key=FILE, spool=DIR; TLS always
                        verified; a missing password comes from XRD_BUS_PASSWORD
  --bus-spool-dir=DIR   spool folder of the bus sinks (one sub-folder each, unless spool=)
  --bus-batch-size=N    messages per publish (default 500)
  --wlcg-producer=NAME  MONIT metadata producer (default cms)
  --wlcg-type=NAME      MONIT metadata type (default aaa-ng)
  --wlcg-site=NAME      site_name/server_site of the records (default empty)
  --bus-input=URL       read shoveler messages instead of UDP: stomp[s]://…/queue/NAME or
                        amqp[s]://…?queue=NAME; acknowledged once their documents are spooled
`;

/** Raw values as parseArgs returns them for {@linkcode BUS_ARG_SPEC}. */
export interface BusArgValues {
  readonly bus?: string[];
  readonly "bus-input"?: string;
  readonly "bus-spool-dir"?: string;
  readonly "bus-batch-size"?: string;
  readonly "wlcg-producer"?: string;
  readonly "wlcg-type"?: string;
  readonly "wlcg-site"?: string;
}

/** What {@linkcode busSinkOptions} combines. */
export interface BusOptionInput {
  readonly values: BusArgValues;
  /** `-t`, seconds. */
  readonly time: number;
  /** `metadata.host` (the collector's host name). */
  readonly host: string;
  /** Environment lookup (default `Deno.env.get`). */
  readonly env?: (name: string) => string | undefined;
}

function withPassword(target: BusTarget, env: (name: string) => string | undefined): BusTarget {
  if (target.username === undefined || target.password !== undefined) return target;
  const password = env("XRD_BUS_PASSWORD");
  return password === undefined ? target : { ...target, password };
}

/** Parses `--bus-input` (throws one line on a mistake). */
export function busInputTarget(
  values: BusArgValues,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): BusTarget | undefined {
  const text = values["bus-input"];
  if (text === undefined) return undefined;
  const target = withPassword(parseBusTarget(text), env);
  if (target.protocol === "amqp" && target.queue === undefined) {
    throw new Error("--bus-input amqp URL needs ?queue=NAME");
  }
  return target;
}

/**
 * One {@linkcode BusSinkOptions} per `--bus` URL; throws an Error with one line on a mistake.
 *
 * @example
 * ```ts
 * import { busSinkOptions } from "./options.ts";
 * const [one] = busSinkOptions({
 *   values: { bus: ["stomp://127.0.0.1:61613/topic/xrootd"], "bus-spool-dir": "/var/spool/xrd" },
 *   time: 10,
 *   host: "collector",
 * });
 * one.spoolDir; // "/var/spool/xrd/bus-0-stomp"
 * ```
 */
export function busSinkOptions(input: BusOptionInput): BusSinkOptions[] {
  const v = input.values;
  const env = input.env ?? ((n: string) => Deno.env.get(n));
  const batch = v["bus-batch-size"] === undefined ? 500 : Number(v["bus-batch-size"]);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
    throw new Error(`--bus-batch-size must be an integer from 1 to 100000`);
  }
  return (v.bus ?? []).map((text, i) => {
    const target = withPassword(parseBusTarget(text), env);
    const base = v["bus-spool-dir"];
    return {
      target,
      record: {
        producer: v["wlcg-producer"] ?? "cms",
        type: v["wlcg-type"] ?? "aaa-ng",
        host: input.host,
        site: v["wlcg-site"],
      },
      flushIntervalMs: input.time * 1000,
      batchSize: batch,
      spoolDir: target.spool ??
        (base === undefined ? undefined : `${base}/bus-${i}-${target.protocol}`),
      spoolMaxBytes: 1 << 30,
    };
  });
}
