/**
 * Command-line options: the original collector's names and defaults (`-p -b -s -c -e -t -i`)
 * plus this rewrite's additions.
 *
 * @module
 */
import { parseCommandLine, UsageError } from "../lib/args/mod.ts";
import { parseCidr } from "./listen/allow.ts";
import { BUS_ARG_SPEC, BUS_USAGE, type BusArgValues } from "./sink/bus/options.ts";
import { SEARCH_ARG_SPEC, SEARCH_USAGE, type SearchArgValues } from "./sink/search/options.ts";

/** Parsed collector options. */
export interface CollectorOptions {
  readonly port: number;
  readonly bind: string;
  readonly servers: string[];
  readonly cacheTime: number;
  readonly evtType: string;
  readonly time: number;
  readonly insecure: boolean;
  readonly cacheMaxEntries: number;
  readonly output?: string;
  readonly replay?: string;
  readonly capture?: string;
  readonly metricsPort?: number;
  readonly metricsBind: string;
  readonly receiveBuffer: number;
  /** `--reorder-window`: datagrams held per server and counter (default 256). */
  readonly reorderWindow: number;
  /** `--reorder-timeout`: seconds a held datagram waits (default 1; 0: no resequencing). */
  readonly reorderTimeout: number;
  /** `--open-timeout`: seconds an open waits for its close (default: the cache time). */
  readonly openTimeout: number;
  /** `--max-servers`: server processes tracked (default 4096). */
  readonly maxServers: number;
  /** `--allow`: sender networks accepted (all when empty). */
  readonly allow: string[];
  /** `--stats-interval`: seconds between the counters' log lines (default 60; 0: none). */
  readonly statsInterval: number;
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly help: boolean;
  /** The search sink's own options (`--spool-dir`, `--index`, …). */
  readonly search: SearchArgValues;
  /** The bus options (`--bus`, `--bus-input`, `--wlcg-*`). */
  readonly bus: BusArgValues;
}

/** The `--help` text. */
export const USAGE = `Usage: xrootd-fstream-collector [options]

Options:
  -h, --help            show this help message and exit
  -p PORT, --port=PORT  UDP Port to listen on for messages (default 9930).
  -b BIND, --bind=BIND  Listen for messages on a specific address; defaults to
                        0.0.0.0.
  -s ES_SERVERS, --servers=ES_SERVERS
                        ES servers to send events to. Can specify multiple
                        times, one working server will be used.
  -c CACHE_TIME, --cache-time=CACHE_TIME
                        how long to keep events in memory (seconds, default 3600).
  -e DOC_TYPE, --evt-type=DOC_TYPE
                        ES type field for the events (default xrd_fstream)
  -t SLEEP_TIME, --time=SLEEP_TIME
                        Time to collect messages before sending (seconds, default 10)
  -i, --insecure        Disable SSL verification when connecting to ES
  --cache-max-entries=N most entries in each cache (logins, opens, paths, app info;
                        default 1000000)
  --output=FILE         append NDJSON documents to FILE instead of stdout (not with -s)
  --replay=FILE         decode a capture file offline, print every document, exit
                        (status 1 when no line of FILE is a capture record)
  --capture=FILE        append every received datagram to FILE (capture format)
  --metrics-port=PORT   serve Prometheus metrics on http://METRICS_BIND:PORT/metrics
  --metrics-bind=ADDR   address for the metrics endpoint (default 127.0.0.1)
  --receive-buffer=BYTES
                        kernel UDP receive buffer to ask for (default 33554432;
                        capped by net.core.rmem_max; 0 keeps the system default)
  --reorder-window=N    datagrams held per server and sequence counter to put them
                        back in order (default 256, at most 255 are distinct)
  --reorder-timeout=S   seconds the oldest held datagram waits for a gap to fill
                        (default 1; 0 turns resequencing off)
  --open-timeout=S      seconds an open waits for its close before it expires into an
                        fstream_open_expired document (default: the cache time)
  --max-servers=N       server processes tracked; the idlest is evicted (default 4096)
  --allow=CIDR          accept datagrams only from this network (repeatable)
  --stats-interval=S    seconds between the per-server counter log lines (default 60;
                        0: none)
  -v, --verbose         log debug lines
  -q, --quiet           log errors only

${SEARCH_USAGE}
${BUS_USAGE}`;

export { UsageError } from "../lib/args/mod.ts";

function integer(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(
      `${name} must be a positive number of seconds, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function nonNegative(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${name} must be a number of seconds ≥ 0, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Parses the command line; throws {@linkcode UsageError} with one clear line on a mistake.
 *
 * @example
 * ```ts
 * import { parseOptions } from "./options.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseOptions(["--port=9931", "-s", "https://a:9200", "-s", "https://b:9200"]).servers.length, 2);
 * ```
 */
export function parseOptions(args: readonly string[]): CollectorOptions {
  const parsed = parseCommandLine(args, {
    options: {
      help: { type: "boolean", short: "h" },
      port: { type: "string", short: "p" },
      bind: { type: "string", short: "b" },
      servers: { type: "string", short: "s", multiple: true },
      "cache-time": { type: "string", short: "c" },
      "evt-type": { type: "string", short: "e" },
      time: { type: "string", short: "t" },
      insecure: { type: "boolean", short: "i" },
      "cache-max-entries": { type: "string" },
      output: { type: "string" },
      replay: { type: "string" },
      capture: { type: "string" },
      "metrics-port": { type: "string" },
      "metrics-bind": { type: "string" },
      "receive-buffer": { type: "string" },
      "reorder-window": { type: "string" },
      "reorder-timeout": { type: "string" },
      "open-timeout": { type: "string" },
      "max-servers": { type: "string" },
      allow: { type: "string", multiple: true },
      "stats-interval": { type: "string" },
      verbose: { type: "boolean", short: "v" },
      quiet: { type: "boolean", short: "q" },
      ...SEARCH_ARG_SPEC,
      ...BUS_ARG_SPEC,
    },
  });
  const v = parsed.values;
  const metricsPort = v["metrics-port"] === undefined
    ? undefined
    : integer("--metrics-port", v["metrics-port"], 0, 0, 65535);
  const cacheTime = positive("--cache-time", v["cache-time"], 3600);
  const allow = v.allow ?? [];
  for (const cidr of allow) {
    if (parseCidr(cidr) === undefined) {
      throw new UsageError(
        `--allow must be a network like 10.0.0.0/8, got ${JSON.stringify(cidr)}`,
      );
    }
  }
  return {
    port: integer("--port", v.port, 9930, 0, 65535),
    bind: v.bind ?? "0.0.0.0",
    servers: v.servers ?? [],
    cacheTime,
    evtType: v["evt-type"] ?? "xrd_fstream",
    time: positive("--time", v.time, 10),
    insecure: v.insecure ?? false,
    cacheMaxEntries: integer("--cache-max-entries", v["cache-max-entries"], 1_000_000, 1, 1e9),
    output: v.output,
    replay: v.replay,
    capture: v.capture,
    metricsPort,
    metricsBind: v["metrics-bind"] ?? "127.0.0.1",
    receiveBuffer: integer("--receive-buffer", v["receive-buffer"], 32 << 20, 0, 0x7fffffff),
    reorderWindow: integer("--reorder-window", v["reorder-window"], 256, 1, 65535),
    reorderTimeout: nonNegative("--reorder-timeout", v["reorder-timeout"], 1),
    openTimeout: positive("--open-timeout", v["open-timeout"], cacheTime),
    maxServers: integer("--max-servers", v["max-servers"], 4096, 1, 1e7),
    allow,
    statsInterval: nonNegative("--stats-interval", v["stats-interval"], 60),
    verbose: v.verbose ?? false,
    quiet: v.quiet ?? false,
    help: v.help ?? false,
    search: Object.fromEntries(
      Object.keys(SEARCH_ARG_SPEC).map((key) => [key, v[key as keyof typeof SEARCH_ARG_SPEC]]),
    ) as SearchArgValues,
    bus: Object.fromEntries(
      Object.keys(BUS_ARG_SPEC).map((key) => [key, v[key as keyof typeof BUS_ARG_SPEC]]),
    ) as BusArgValues,
  };
}
