/**
 * The Prometheus text exposition of the collector's counters (`correlate/counters.ts`), which
 * `/metrics` serves (`metrics_server.ts`).
 *
 * @module
 */
import type { MetricsSnapshot, ServerSequenceCounts } from "../correlate/counters.ts";

/** Servers with series of their own; the rest are summed under `server="_other"`. */
export const MAX_SERVER_SERIES = 512;

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

/** The busiest servers by datagrams received, the rest summed as `_other`. */
function serverSeries(
  all: Iterable<readonly [string, ServerSequenceCounts]>,
): [string, ServerSequenceCounts][] {
  const list = [...all];
  if (list.length <= MAX_SERVER_SERIES) return list.map(([s, c]) => [s, c]);
  list.sort((a, b) => b[1].received - a[1].received);
  const other = { received: 0, reordered: 0, duplicate: 0, late: 0, lost: 0 };
  for (const [, c] of list.slice(MAX_SERVER_SERIES - 1)) {
    other.received += c.received;
    other.reordered += c.reordered;
    other.duplicate += c.duplicate;
    other.late += c.late;
    other.lost += c.lost;
  }
  return [
    ...list.slice(0, MAX_SERVER_SERIES - 1).map(([s, c]) =>
      [s, c] as [string, ServerSequenceCounts]
    ),
    ["_other", other],
  ];
}

/**
 * Renders the metrics in the Prometheus text format (version 0.0.4).
 *
 * @example
 * ```ts
 * import { CollectorMetrics } from "../correlate/counters.ts";
 * import { renderPrometheus } from "./metrics.ts";
 * const text = renderPrometheus({ counters: new CollectorMetrics(), sequenceByServer: [],
 *   cacheSize: 0, cacheEvictions: 0, cacheExpirations: 0, documents: 0, pendingLookups: 0 });
 * if (!text.includes("xrootd_collector_packets_total 0")) throw new Error(text);
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
  const servers = serverSeries(snapshot.sequenceByServer);
  const perServer = (name: string, help: string, pick: (c: ServerSequenceCounts) => number) =>
    metric(
      lines,
      `${p}${name}`,
      "counter",
      help,
      servers.map(([server, c]) => [`{server="${label(server)}"}`, pick(c)] as const),
    );
  perServer(
    "sequence_received_total",
    "Datagrams resequenced, per server process.",
    (c) => c.received,
  );
  perServer(
    "sequence_reordered_total",
    "Datagrams put back in order, per server process.",
    (c) => c.reordered,
  );
  perServer(
    "sequence_duplicates_total",
    "Duplicate datagrams dropped, per server process.",
    (c) => c.duplicate,
  );
  perServer("sequence_late_total", "Datagrams older than the reorder window.", (c) => c.late);
  perServer(
    "sequence_gaps_total",
    "Packets missing according to pseq (never came), per server process.",
    (c) => c.lost,
  );
  metric(lines, `${p}denied_total`, "counter", "Datagrams from senders outside --allow.", [[
    "",
    c.denied,
  ]]);
  for (
    const [name, kind, help, value] of [
      ["open_expired_total", "counter", "Opens expired without a close.", snapshot.openExpired],
      ["servers_tracked", "gauge", "Server processes tracked.", snapshot.serversTracked],
      [
        "servers_evicted_total",
        "counter",
        "Servers evicted (table full).",
        snapshot.serversEvicted,
      ],
      [
        "gstream_unknown_total",
        "counter",
        "g-stream events of unknown providers skipped.",
        snapshot.gstreamUnknown,
      ],
    ] as const
  ) {
    if (value !== undefined) metric(lines, `${p}${name}`, kind, help, [["", value]]);
  }
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
