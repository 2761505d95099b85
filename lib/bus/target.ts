/**
 * Message-bus endpoints from URLs, for the bus sinks (`--bus`) and the shoveler input
 * (`--bus-input`):
 *
 * - `stomp://[user:pass@]host[:port]/topic/NAME` (or `/queue/NAME`); `stomp+ssl://` or
 *   `stomps://` for TLS (default port 61613, 61614 with TLS);
 * - `amqp://[user:pass@]host[:port][/VHOST]?exchange=NAME&routing_key=KEY` (publish), or
 *   `…?queue=NAME` (consume); `amqps://` for TLS (default port 5672, 5671 with TLS).
 *
 * Query parameters for every scheme: `ca=FILE` (PEM CAs to trust instead of the system roots),
 * `cert=FILE` + `key=FILE` (client certificate), `spool=DIR` (this sink's own spool); STOMP
 * also `vhost=NAME` (the CONNECT `host` header; RabbitMQ maps it to a virtual host). TLS is
 * always verified. Input only: `shard=I/N` (this collector takes the servers of shard I of N).
 * Pure: reading the files named is the caller's job.
 *
 * @module
 */

/** One parsed endpoint. */
export interface BusTarget {
  readonly protocol: "stomp" | "amqp";
  readonly tls: boolean;
  readonly hostname: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  /** STOMP destination (`/topic/…`, `/queue/…`). */
  readonly destination?: string;
  /** Virtual host: AMQP from the path, STOMP from `vhost=` (its CONNECT `host`); default `/`. */
  readonly vhost: string;
  /** AMQP exchange to publish to (default: the `amq.topic` exchange). */
  readonly exchange?: string;
  /** AMQP routing key (default `file-close`). */
  readonly routingKey?: string;
  /** AMQP queue to consume (input). */
  readonly queue?: string;
  /** PEM file paths. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Spool directory of this sink. */
  readonly spool?: string;
  /** Input shard `I/N`: only servers whose stream hashes to I of N. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** The URL without its password (for logs and metric labels). */
  readonly label: string;
}

const KNOWN = new Set([
  "exchange",
  "routing_key",
  "queue",
  "ca",
  "cert",
  "key",
  "spool",
  "shard",
  "vhost",
]);

/**
 * Parses a bus URL; throws an Error with one line naming the mistake.
 *
 * @example
 * ```ts
 * import { parseBusTarget } from "./target.ts";
 * const t = parseBusTarget("stomps://u:p@mq.example.org/topic/xrootd.wlcg");
 * import assert from "node:assert/strict";
 * assert.equal(t.port, 61614);
 * assert.equal(t.destination, "/topic/xrootd.wlcg");
 * assert.equal(parseBusTarget("amqp://127.0.0.1/?exchange=xrd&routing_key=file-close").exchange, "xrd");
 * assert.throws(() => parseBusTarget("http://127.0.0.1/"));
 * ```
 */
export function parseBusTarget(text: string): BusTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`not a bus URL: ${JSON.stringify(text)}`);
  }
  const scheme = url.protocol.replace(/:$/, "");
  let protocol: "stomp" | "amqp";
  let tls: boolean;
  if (scheme === "stomp" || scheme === "stomp+ssl" || scheme === "stomps") {
    protocol = "stomp";
    tls = scheme !== "stomp";
  } else if (scheme === "amqp" || scheme === "amqps") {
    protocol = "amqp";
    tls = scheme === "amqps";
  } else {
    throw new Error(`bus URL scheme must be stomp, stomps, amqp or amqps: ${JSON.stringify(text)}`);
  }
  for (const name of url.searchParams.keys()) {
    if (!KNOWN.has(name)) throw new Error(`unknown bus URL parameter ${JSON.stringify(name)}`);
  }
  const q = (name: string) => url.searchParams.get(name) ?? undefined;
  const defaultPort = protocol === "stomp" ? (tls ? 61614 : 61613) : (tls ? 5671 : 5672);
  const path = decodeURIComponent(url.pathname);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (hostname === "") throw new Error(`bus URL without a host: ${JSON.stringify(text)}`);
  if (protocol === "stomp" && !/^\/(topic|queue)\/./.test(path) && !/^\/exchange\/./.test(path)) {
    throw new Error(`STOMP URL needs a destination path /topic/NAME or /queue/NAME: ${text}`);
  }
  let shard: { index: number; count: number } | undefined;
  const shardText = q("shard");
  if (shardText !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shardText);
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) {
      throw new Error(`bus URL shard must be I/N with 0 ≤ I < N, got ${JSON.stringify(shardText)}`);
    }
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const safe = new URL(url.href);
  if (safe.password !== "") safe.password = "***";
  return {
    protocol,
    tls,
    hostname,
    port: url.port === "" ? defaultPort : Number(url.port),
    username: url.username === "" ? undefined : decodeURIComponent(url.username),
    password: url.password === "" ? undefined : decodeURIComponent(url.password),
    destination: protocol === "stomp" ? path : undefined,
    vhost: protocol === "amqp" ? (path.length > 1 ? path.slice(1) : "/") : q("vhost") ?? "/",
    exchange: q("exchange"),
    routingKey: q("routing_key"),
    queue: q("queue"),
    ca: q("ca"),
    cert: q("cert"),
    key: q("key"),
    spool: q("spool"),
    shard,
    label: safe.href,
  };
}
