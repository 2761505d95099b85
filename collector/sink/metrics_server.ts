/**
 * The `/metrics` HTTP endpoint (Prometheus text format).
 *
 * @module
 */
import type { MetricsSnapshot } from "../correlate/counters.ts";
import { renderPrometheus } from "./metrics.ts";

/** Options for {@linkcode serveMetrics}. */
export interface MetricsServerOptions {
  readonly hostname: string;
  readonly port: number;
  /** Reads the current counters; called per scrape. */
  readonly snapshot: () => MetricsSnapshot;
  /** More metrics in Prometheus text (e.g. the search sink's), appended per scrape. */
  readonly extra?: () => string;
  /** Told the address once listening. */
  readonly onListen?: (addr: { hostname: string; port: number }) => void;
}

/**
 * Serves `GET /metrics` (and HEAD); another method on it is 405, any other path 404.
 *
 * @example
 * ```ts
 * import { serveMetrics } from "./metrics_server.ts";
 * import { CollectorMetrics } from "../correlate/counters.ts";
 * const server = serveMetrics({
 *   hostname: "127.0.0.1",
 *   port: 0,
 *   snapshot: () => ({ counters: new CollectorMetrics(), sequenceByServer: [], cacheSize: 0,
 *     cacheEvictions: 0, cacheExpirations: 0, documents: 0, pendingLookups: 0 }),
 * });
 * await server.shutdown();
 * ```
 */
export function serveMetrics(options: MetricsServerOptions): Deno.HttpServer {
  return Deno.serve(
    {
      hostname: options.hostname,
      port: options.port,
      onListen: (addr) => options.onListen?.(addr),
    },
    (request) => {
      let path: string;
      try {
        path = new URL(request.url).pathname;
      } catch {
        return new Response("bad request\n", { status: 400 });
      }
      if (path !== "/metrics") return new Response("not found\n", { status: 404 });
      if (request.method !== "GET" && request.method !== "HEAD") {
        return new Response("method not allowed\n", {
          status: 405,
          headers: { allow: "GET, HEAD" },
        });
      }
      return new Response(renderPrometheus(options.snapshot()) + (options.extra?.() ?? ""), {
        headers: { "content-type": "text/plain; version=0.0.4" },
      });
    },
  );
}
