/**
 * Seeds a running archive (through its real write API) with a small, known set of
 * measurements for the query tools' end-to-end tests.
 *
 * @module
 */

/** What was written, so tests can derive their expectations. */
export interface Seeded {
  /** First data timestamp (epoch seconds, a whole hour). */
  readonly base: number;
  /** Metadata keys by name. */
  readonly keys: Record<"iperf" | "owamp" | "trace", string>;
  /** Number of points per numeric series. */
  readonly points: number;
}

async function call(url: string, token: string, method: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json", authorization: `Token ${token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text === "" ? null : JSON.parse(text);
}

const et = (name: string, summaries: Array<[string, number]> = []) => ({
  "event-type": name,
  summaries: summaries.map(([type, window]) => ({
    "summary-type": type,
    "summary-window": window,
  })),
});

/**
 * Writes three metadata (iperf3 throughput family, owamp histograms, IPv6 traceroute) and
 * `points` points per series, one per minute from `base`.
 *
 * @example
 * ```ts
 * // const seeded = await seedArchive(archive.archiveUrl, archive.token, { points: 5 });
 * ```
 */
export async function seedArchive(
  archiveUrl: string,
  token: string,
  options: { points?: number; base?: number } = {},
): Promise<Seeded> {
  const points = options.points ?? 5;
  const base = options.base ?? Math.floor(Date.now() / 1000 / 3600) * 3600 - 6 * 3600;
  const post = async (body: Record<string, unknown>) =>
    ((await call(archiveUrl, token, "POST", body)) as Record<string, string>)["metadata-key"];
  const iperf = await post({
    "subject-type": "point-to-point",
    "source": "198.129.254.30",
    "destination": "198.124.252.141",
    "measurement-agent": "198.129.254.30",
    "tool-name": "bwctl/iperf3",
    "input-source": "lbl-pt1.es.net",
    "input-destination": "chic-pt1.es.net",
    "ip-transport-protocol": "tcp",
    "time-duration": "20",
    "event-types": [
      et("throughput", [["average", 86400]]),
      et("failures"),
      et("packet-retransmits"),
      et("throughput-subintervals"),
      et("streams-throughput"),
      et("streams-throughput-subintervals"),
      et("pscheduler-raw"),
    ],
  });
  const owamp = await post({
    "subject-type": "point-to-point",
    "source": "198.129.252.142",
    "destination": "198.124.252.154",
    "measurement-agent": "198.129.252.142",
    "tool-name": "owamp/powstream",
    "input-source": "lbl-owamp.es.net",
    "input-destination": "chic-owamp.es.net",
    "sample-bucket-width": ".0001",
    "event-types": [
      et("histogram-owdelay", [["statistics", 0], ["aggregation", 3600]]),
      et("packet-loss-rate"),
      et("packet-count-sent"),
    ],
  });
  const trace = await post({
    "subject-type": "point-to-point",
    "source": "2001:400:201:1150::3",
    "destination": "2001:400:210:151::2",
    "measurement-agent": "2001:400:201:1150::3",
    "tool-name": "bwctl/tracepath,traceroute",
    "input-source": "albq-pt1-v6.es.net",
    "input-destination": "lbl-pt1-v6.es.net",
    "event-types": [et("packet-trace"), et("path-mtu")],
  });
  const series = (i: number) => base + i * 60;
  const iperfData = [];
  const owampData = [];
  const traceData = [];
  for (let i = 0; i < points; i++) {
    const ts = series(i);
    iperfData.push({
      ts,
      val: [
        { "event-type": "throughput", val: 9000000000 + i },
        { "event-type": "packet-retransmits", val: i },
        {
          "event-type": "throughput-subintervals",
          val: [{ start: 0, duration: 1.0, val: 900 + i }, {
            start: 1,
            duration: 1.0,
            val: 901 + i,
          }],
        },
        { "event-type": "streams-throughput", val: [4.5e9, 4.5e9 + i] },
        {
          "event-type": "streams-throughput-subintervals",
          val: [[{ start: 0, duration: 1, val: 1 }], [{ start: 0, duration: 1, val: 2 }]],
        },
        { "event-type": "pscheduler-raw", val: { succeeded: true, "run": i } },
        ...(i === 0
          ? [{ "event-type": "failures", val: { error: "Unable to connect, refused" } }]
          : []),
      ],
    });
    owampData.push({
      ts,
      val: [
        {
          "event-type": "histogram-owdelay",
          val: { "41.00": 98, "41.10": 98, "41.20": 3, "50.0": 1 },
        },
        { "event-type": "packet-loss-rate", val: { numerator: i, denominator: 600 } },
        { "event-type": "packet-count-sent", val: 600 },
      ],
    });
    traceData.push({
      ts,
      val: [
        {
          "event-type": "packet-trace",
          val: [
            {
              ttl: "1",
              query: "1",
              success: 1,
              ip: "2001:400:201:1150::1",
              rtt: "0.246",
              mtu: "9000",
              error_message: null,
            },
            {
              ttl: "2",
              query: "1",
              success: 0,
              ip: null,
              rtt: null,
              mtu: null,
              error_message: "timeout",
            },
          ],
        },
        { "event-type": "path-mtu", val: 9000 },
      ],
    });
  }
  await call(`${archiveUrl}${iperf}/`, token, "PUT", { data: iperfData });
  await call(`${archiveUrl}${owamp}/`, token, "PUT", { data: owampData });
  await call(`${archiveUrl}${trace}/`, token, "PUT", { data: traceData });
  return { base, keys: { iperf, owamp, trace }, points };
}
