/**
 * `xrootd-fstream-collector`: receives XRootD monitoring UDP packets and writes transfer
 * documents. This entry point only wires the parts together.
 *
 * @module
 */
import { escapeControl, getLogger, setupLogging } from "../lib/log/mod.ts";
import {
  allowList,
  CaptureWriter,
  type Listener,
  replayCapture,
  type Sender,
  startListener,
} from "./listen/mod.ts";
import {
  Correlator,
  type DocumentSink,
  type OlderEventsLookup,
  Pipeline,
} from "./correlate/mod.ts";
import type { BusTarget } from "../lib/bus/mod.ts";
import { runBusInput } from "./listen/bus_input.ts";
import { busInputTarget } from "./sink/bus/options.ts";
import { createSink, serveMetrics } from "./sink/mod.ts";
import { type CollectorOptions, parseOptions, USAGE, UsageError } from "./options.ts";

const log = getLogger("xrootd-fstream-collector");

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function build(options: CollectorOptions, sink: DocumentSink, lookup?: OlderEventsLookup) {
  const correlator = createCorrelator(options, sink, lookup);
  const pipeline = new Pipeline({
    correlator,
    onReject: (sender, reason, suppressed) =>
      log.warn("rejected packet from {sender}: {reason}", {
        sender: `${sender.hostname}:${sender.port}`,
        reason,
        suppressedSinceLastLog: suppressed,
      }),
    onGap: (server, lost) => log.info("{lost} packet(s) missing from {server}", { lost, server }),
    reorderWindow: options.reorderWindow,
    reorderTimeout: options.reorderTimeout,
    maxServers: options.maxServers,
    allow: options.allow.length === 0 ? undefined : allowList(options.allow),
    onServerEvicted: (server, max) =>
      log.warn(
        "tracking {max} server processes: evicting the idlest ({server}); further evictions are only counted",
        { max, server },
      ),
  });
  return { correlator, pipeline };
}

function createCorrelator(
  options: CollectorOptions,
  sink: DocumentSink,
  lookup: OlderEventsLookup | undefined,
): Correlator {
  return new Correlator({
    emit: (doc) => sink.write(doc),
    evtType: options.evtType,
    cacheSeconds: options.cacheTime,
    openTimeoutSeconds: options.openTimeout,
    maxEntries: options.cacheMaxEntries,
    lookup,
    onServerCollision: (prefix, servers) =>
      log.info(
        "servers {servers} share sender address and start time {prefix}: ids keep them apart by port",
        { prefix, servers: servers.join(" ") },
      ),
    onLookupError: (error) =>
      log.warn("older-events lookup failed: {error}", { error: describe(error) }),
  });
}

async function runReplay(options: CollectorOptions, path: string): Promise<number> {
  try {
    await Deno.stat(path);
  } catch (error) {
    log.error("cannot read replay file {path}: {error}", { path, error: describe(error) });
    return 1;
  }
  const { sink, lookup } = await createSink({ ...options, onError: sinkError });
  const { correlator, pipeline } = build(options, sink, lookup);
  // Progress only for a person watching: never into a log file or pipe.
  const progress = Deno.stderr.isTerminal()
    ? (packets: number) => Deno.stderr.writeSync(new TextEncoder().encode(`\r${packets} packets`))
    : undefined;
  const result = await replayCapture(
    path,
    pipeline,
    (line, error) => log.warn("{path} line {line} skipped: {error}", { path, line, error }),
    progress,
  );
  if (progress !== undefined && result.packets >= 10_000) {
    Deno.stderr.writeSync(new TextEncoder().encode("\n"));
  }
  await correlator.drain();
  await sink.close();
  const m = pipeline.metrics;
  log.info(
    "replayed {packets} packets, {documents} documents, {rejected} rejected, {lost} missing",
    {
      packets: result.packets,
      documents: correlator.emitted,
      rejected: m.decodeErrors,
      badLines: result.badLines,
      ...pipeline.sequenceTotals(),
    },
  );
  if (result.packets === 0) {
    log.error("nothing in {path} could be read as a capture record ({badLines} bad lines)", {
      path,
      badLines: result.badLines,
    });
    return 1;
  }
  return 0;
}

/** Servers named in the periodic counter line (those with the most datagrams lost). */
const STATS_SERVERS = 20;

function logStats(pipeline: Pipeline): void {
  const servers = [...pipeline.sequences.entries()]
    .sort((a, b) => b[1].lost - a[1].lost || b[1].received - a[1].received)
    .slice(0, STATS_SERVERS)
    .map(([server, c]) =>
      `${server} received=${c.received} reordered=${c.reordered} duplicate=${c.duplicate} late=${c.late} lost=${c.lost}`
    );
  const t = pipeline.sequenceTotals();
  log.info(
    "datagrams: {received} received, {reordered} reordered, {duplicate} duplicate, {late} late, {lost} lost",
    { ...t, servers: pipeline.serversTracked, perServer: servers },
  );
}

function sinkError(error: unknown): void {
  log.error("sink write failed (documents kept for the next flush): {error}", {
    error: describe(error),
  });
}

async function runBusConsumer(options: CollectorOptions, target: BusTarget): Promise<number> {
  const { sink, lookup, renderMetrics } = await createSink({ ...options, onError: sinkError });
  const { correlator, pipeline } = build(options, sink, lookup);
  const metricsServer = options.metricsPort === undefined ? undefined : serveMetrics({
    hostname: options.metricsBind,
    port: options.metricsPort,
    snapshot: () => pipeline.snapshot(),
    extra: renderMetrics,
    onListen: (a) =>
      log.info("metrics on http://{host}:{port}/metrics", { host: a.hostname, port: a.port }),
  });
  const stop = new AbortController();
  const onSignal = (signal: string) => () => {
    if (stop.signal.aborted) return;
    log.info("{signal}: stopping", { signal });
    stop.abort();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  let rejected = 0;
  // Held datagrams leave by the reorder timeout even when no further message arrives.
  const tickTimer = setInterval(() => pipeline.tick(Date.now() / 1000), 100);
  // What the tick releases between messages is written out like the UDP path's output.
  const flushTimer = setInterval(() => void sink.flush(), options.time * 1000);
  const stats = await runBusInput({
    target,
    handle: pipeline.handle.bind(pipeline),
    settle: () => sink.flush(),
    heldSince: () => pipeline.heldSince(),
    releaseHeld: () => pipeline.finish(),
    signal: stop.signal,
    onConnected: () => log.info("consuming shoveler messages from {url}", { url: target.label }),
    onError: (message) => log.warn("{message}", { message }),
    onReject: (reason) => {
      if (rejected++ % 1000 === 0) {
        log.warn("shoveler message refused: {reason}", { reason, refusedSoFar: rejected });
      }
    },
  });
  clearInterval(tickTimer);
  clearInterval(flushTimer);
  pipeline.finish();
  Deno.removeSignalListener("SIGINT", onInt);
  Deno.removeSignalListener("SIGTERM", onTerm);
  await correlator.drain();
  await sink.close();
  await metricsServer?.shutdown();
  log.info("stopped after {messages} messages, {documents} documents", {
    ...stats,
    documents: correlator.emitted,
  });
  return 0;
}

async function runListener(options: CollectorOptions): Promise<number> {
  const { sink, lookup, renderMetrics } = await createSink({ ...options, onError: sinkError });
  const { correlator, pipeline } = build(options, sink, lookup);
  const capture = options.capture === undefined
    ? undefined
    : await CaptureWriter.open(options.capture);
  let listener: Listener;
  try {
    listener = await startListener({
      hostname: options.bind,
      port: options.port,
      receiveBuffer: options.receiveBuffer,
      onError: (message) => log.error("receive failed: {error}", { error: message }),
    });
  } catch (error) {
    log.error("cannot listen on udp {bind}:{port}: {error}", {
      bind: options.bind,
      port: options.port,
      error: describe(error),
    });
    await sink.close();
    await capture?.close();
    return 1;
  }
  const addr = listener.addr;
  const metricsServer = options.metricsPort === undefined ? undefined : serveMetrics({
    hostname: options.metricsBind,
    port: options.metricsPort,
    snapshot: () => ({ ...pipeline.snapshot(), ringDropped: listener.dropped }),
    extra: renderMetrics,
    onListen: (a) =>
      log.info("metrics on http://{host}:{port}/metrics", { host: a.hostname, port: a.port }),
  });
  // Held datagrams leave by the reorder timeout even when no further datagram arrives.
  const tickTimer = setInterval(() => pipeline.tick(Date.now() / 1000), 100);
  const statsTimer = options.statsInterval > 0
    ? setInterval(() => logStats(pipeline), options.statsInterval * 1000)
    : undefined;
  const flushTimer = setInterval(() => {
    void sink.flush();
    void capture?.flush().catch((error) =>
      log.error("capture write failed: {error}", { error: describe(error) })
    );
  }, options.time * 1000);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("{signal}: stopping", { signal });
    listener.stop();
  };
  const onInt = () => stop("SIGINT");
  const onTerm = () => stop("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  const buffer = listener.receiveBuffer;
  if (buffer !== undefined && !buffer.ok) {
    log.warn("could not enlarge the UDP receive buffer ({reason}); bursts may be dropped", {
      reason: buffer.reason,
    });
  } else if (buffer?.ok && buffer.bytes < options.receiveBuffer) {
    log.warn(
      "UDP receive buffer is {bytes} bytes, less than asked: raise net.core.rmem_max",
      { bytes: buffer.bytes },
    );
  }
  log.info("listening on udp {host}:{port}", {
    host: addr.hostname,
    port: addr.port,
    receiveBufferBytes: buffer?.ok ? buffer.bytes : undefined,
    batchedReceive: listener.batched,
  });
  const handle = capture === undefined
    ? pipeline.handle.bind(pipeline)
    : (bytes: Uint8Array, sender: Sender, now: number) => {
      capture.record(bytes, sender, now);
      pipeline.handle(bytes, sender, now);
    };
  let status = 0;
  try {
    await listener.run(handle);
  } catch (error) {
    // Whatever was accepted still goes out before the non-zero exit.
    log.error("{error}", { error: describe(error) });
    status = 1;
  }
  clearInterval(flushTimer);
  clearInterval(tickTimer);
  if (statsTimer !== undefined) clearInterval(statsTimer);
  pipeline.finish();
  logStats(pipeline);
  Deno.removeSignalListener("SIGINT", onInt);
  Deno.removeSignalListener("SIGTERM", onTerm);
  await correlator.drain();
  await sink.close();
  await capture?.close();
  await metricsServer?.shutdown();
  log.info("stopped after {packets} packets, {documents} documents", {
    packets: pipeline.metrics.packets,
    droppedInRing: listener.dropped,
    documents: correlator.emitted,
  });
  return status;
}

async function main(args: string[]): Promise<number> {
  let options: CollectorOptions;
  try {
    options = parseOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`xrootd-fstream-collector: ${escapeControl(error.message)}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.output !== undefined && options.servers.length > 0) {
    console.error(
      "xrootd-fstream-collector: --output and -s do not go together (documents go to a file or to the search engine)",
    );
    return 2;
  }
  await setupLogging({ verbose: options.verbose, quiet: options.quiet });
  try {
    if (options.replay !== undefined) return await runReplay(options, options.replay);
    const input = busInputTarget(options.bus);
    return input === undefined ? await runListener(options) : await runBusConsumer(options, input);
  } catch (error) {
    log.error("{error}", { error: describe(error) });
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
