/**
 * The collector's counters and their Prometheus text exposition.
 *
 * @module
 */

/**
 * Counters the pipeline updates; gauges are read from their owners at render time.
 *
 * @example
 * ```ts
 * import { CollectorMetrics } from "./metrics.ts";
 * const metrics = new CollectorMetrics();
 * CollectorMetrics.bump(metrics.recordsByType, "open");
 * ```
 */
export class CollectorMetrics {
  /** Datagrams received. */
  packets = 0;
  /** Bytes received. */
  bytes = 0;
  /** Datagrams rejected (truncated, inconsistent, undecodable). */
  decodeErrors = 0;
  /** f-stream records of unknown type, skipped by their length. */
  unknownRecords = 0;
  /** Packets by code. */
  readonly packetsByCode: Map<string, number> = new Map();
  /** f-stream records by type. */
  readonly recordsByType: Map<string, number> = new Map();
  /** f-stream packets whose `nRecs[1]` disagreed with the records found. */
  recordCountMismatches = 0;

  /** Adds one to a keyed counter. */
  static bump(map: Map<string, number>, key: string, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }
}

/** Everything {@linkcode renderPrometheus} prints. */
export interface MetricsSnapshot {
  readonly counters: CollectorMetrics;
  readonly lostByServer: ReadonlyMap<string, number>;
  readonly cacheSize: number;
  readonly cacheEvictions: number;
  readonly cacheExpirations: number;
  readonly documents: number;
  readonly pendingLookups: number;
  /** Datagrams the receiving thread had to drop because decoding fell too far behind. */
  readonly ringDropped?: number;
}

function label(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function metric(
  lines: string[],
  name: string,
  kind: "counter" | "gauge",
  help: string,
  samples: Iterable<readonly [string, number]>,
): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${kind}`);
  for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
}

/**
 * Renders the metrics in the Prometheus text format (version 0.0.4).
 *
 * @example
 * ```ts
 * import { CollectorMetrics, renderPrometheus } from "./metrics.ts";
 * renderPrometheus({ counters: new CollectorMetrics(), lostByServer: new Map(), cacheSize: 0,
 *   cacheEvictions: 0, cacheExpirations: 0, documents: 0, pendingLookups: 0 });
 * ```
 */
export function renderPrometheus(snapshot: MetricsSnapshot): string {
  const c = snapshot.counters;
  const lines: string[] = [];
  const p = "xrootd_collector_";
  metric(lines, `${p}packets_total`, "counter", "Datagrams received.", [["", c.packets]]);
  metric(lines, `${p}bytes_total`, "counter", "Bytes received.", [["", c.bytes]]);
  metric(
    lines,
    `${p}packets_by_code_total`,
    "counter",
    "Datagrams by packet code.",
    [...c.packetsByCode].map(([code, n]) => [`{code="${label(code)}"}`, n] as const),
  );
  metric(
    lines,
    `${p}records_total`,
    "counter",
    "f-stream records by type.",
    [...c.recordsByType].map(([type, n]) => [`{type="${label(type)}"}`, n] as const),
  );
  metric(lines, `${p}decode_errors_total`, "counter", "Datagrams rejected whole.", [[
    "",
    c.decodeErrors,
  ]]);
  metric(lines, `${p}unknown_records_total`, "counter", "Records of unknown type skipped.", [[
    "",
    c.unknownRecords,
  ]]);
  metric(
    lines,
    `${p}sequence_gaps_total`,
    "counter",
    "Packets missing according to pseq, per server process.",
    [...snapshot.lostByServer].map(([server, n]) => [`{server="${label(server)}"}`, n] as const),
  );
  metric(lines, `${p}cache_entries`, "gauge", "Entries in the memory cache.", [[
    "",
    snapshot.cacheSize,
  ]]);
  metric(lines, `${p}cache_evictions_total`, "counter", "Entries evicted (cache full).", [[
    "",
    snapshot.cacheEvictions,
  ]]);
  metric(lines, `${p}cache_expirations_total`, "counter", "Entries expired.", [[
    "",
    snapshot.cacheExpirations,
  ]]);
  metric(lines, `${p}documents_total`, "counter", "Documents emitted.", [["", snapshot.documents]]);
  metric(lines, `${p}pending_lookups`, "gauge", "Older-event lookups in flight.", [[
    "",
    snapshot.pendingLookups,
  ]]);
  if (snapshot.ringDropped !== undefined) {
    metric(
      lines,
      `${p}receive_queue_dropped_total`,
      "counter",
      "Datagrams dropped: decode queue full.",
      [[
        "",
        snapshot.ringDropped,
      ]],
    );
  }
  return lines.join("\n") + "\n";
}
