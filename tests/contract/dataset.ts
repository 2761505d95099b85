/**
 * The data set of the esmond REST contract (`esmond_contract.ts`): a few metadata of each
 * event-type family (throughput in IPv4 and IPv6, latency histograms, NTP, packet traces,
 * rtt), generated from fixed seeds, and the writer that posts it as legacy writers do.
 *
 * @module
 */
import { assertEquals } from "../harness/mod.ts";

/** A running archive under test. */
export interface ContractBackend {
  /** For messages. */
  readonly name: string;
  /** The archive root, `http://host:port/esmond/perfsonar/archive/`. */
  readonly archiveUrl: string;
  /** A write token. */
  readonly token: string;
}

/** One metadata of the data set: its `POST` body and its `PUT` items. */
interface Series {
  readonly metadata: Record<string, unknown>;
  readonly data: { ts: number; val: { "event-type": string; val: unknown }[] }[];
}

/** The first run of the data set (epoch seconds). */
export const T0 = 1_700_000_000;

const et = (name: string, ...summaries: [string, number][]) => ({
  "event-type": name,
  summaries: summaries.map(([t, w]) => ({ "summary-type": t, "summary-window": w })),
});

const p2p = (source: string, destination: string, tool: string, extra = {}) => ({
  "subject-type": "point-to-point",
  source,
  destination,
  "tool-name": tool,
  "measurement-agent": source,
  "input-source": `${source.replaceAll(/[.:]/g, "-")}.example.net`,
  "input-destination": `${destination.replaceAll(/[.:]/g, "-")}.example.net`,
  ...extra,
});

// A tiny deterministic generator, so both backends get the same values.
function sequence(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function throughput(source: string, destination: string, runs: number): Series {
  const rnd = sequence(7);
  const interval = (i: number, val: number) => ({ start: i, duration: 1.0, val });
  return {
    metadata: {
      ...p2p(source, destination, "bwctl/iperf3", {
        "ip-transport-protocol": "tcp",
        "time-duration": 20,
        "bw-parallel-streams": 2,
      }),
      "event-types": [
        et("failures"),
        et("throughput", ["average", 86400], ["aggregation", 3600]),
        et("packet-retransmits"),
        et("throughput-subintervals"),
        et("streams-throughput"),
        et("streams-throughput-subintervals"),
        et("streams-packet-retransmits"),
      ],
    },
    data: Array.from({ length: runs }, (_, i) => {
      const ts = T0 + i * 3600 + 17;
      const s = [Math.round(2e9 + rnd() * 1e9), Math.round(2e9 + rnd() * 1e9)];
      const val: Series["data"][number]["val"] = [
        { "event-type": "throughput", val: s[0] + s[1] },
        { "event-type": "packet-retransmits", val: i % 3 },
        {
          "event-type": "throughput-subintervals",
          val: [interval(0, s[0] + s[1]), interval(1, s[0] + s[1] - 1000)],
        },
        { "event-type": "streams-throughput", val: s },
        {
          "event-type": "streams-throughput-subintervals",
          val: s.map((v) => [interval(0, v), interval(1, v - 500)]),
        },
        { "event-type": "streams-packet-retransmits", val: [i % 3, 0] },
      ];
      if (i === 5) val.push({ "event-type": "failures", val: { error: "iperf3 timed out" } });
      return { ts, val };
    }),
  };
}

function latency(runs: number): Series {
  const rnd = sequence(11);
  return {
    metadata: {
      ...p2p("10.0.0.1", "10.0.0.3", "pscheduler/powstream", {
        "time-duration": 60,
        "sample-bucket-width": "0.0001",
      }),
      "event-types": [
        et("failures"),
        et(
          "histogram-owdelay",
          ["aggregation", 3600],
          ["statistics", 0],
          ["statistics", 3600],
        ),
        et("histogram-ttl", ["statistics", 0]),
        et("packet-count-sent", ["aggregation", 3600]),
        et("packet-count-lost", ["aggregation", 3600]),
        et("packet-loss-rate", ["aggregation", 3600], ["aggregation", 86400]),
        et("packet-duplicates"),
        et("time-error-estimates", ["average", 3600], ["aggregation", 3600]),
      ],
    },
    data: Array.from({ length: runs }, (_, i) => {
      const lost = rnd() < 0.8 ? 0 : Math.floor(rnd() * 5);
      const centre = 20 + Math.floor(rnd() * 5) / 10;
      const histogram: Record<string, number> = {};
      histogram[(centre - 0.05).toFixed(2)] = 100;
      histogram[centre.toFixed(2)] = 400 - lost;
      histogram[(centre + 0.05).toFixed(2)] = 100;
      return {
        ts: T0 + i * 60 + 3,
        val: [
          { "event-type": "histogram-owdelay", val: histogram },
          { "event-type": "histogram-ttl", val: { "252": 600 - lost } },
          { "event-type": "packet-count-sent", val: 600 },
          { "event-type": "packet-count-lost", val: lost },
          { "event-type": "packet-loss-rate", val: { numerator: lost, denominator: 600 } },
          { "event-type": "packet-duplicates", val: i % 50 === 0 ? 1 : 0 },
          // 0.0003 and the like: esmond's int(v × 10000) gives 2 units, on both backends.
          { "event-type": "time-error-estimates", val: [0.0003, 0.00031, 0.0007, 0.0029][i % 4] },
        ],
      };
    }),
  };
}

function ntp(points: number): Series {
  return {
    metadata: {
      "subject-type": "network-element",
      source: "10.0.0.9",
      "measurement-agent": "10.0.0.9",
      "tool-name": "ntpd",
      "input-source": "ntp.example.net",
      "event-types": [et("ntp-offset", ["average", 3600]), et("ntp-stratum")],
    },
    data: Array.from({ length: points }, (_, i) => ({
      ts: T0 + i * 10,
      val: [
        { "event-type": "ntp-offset", val: ((i % 40) - 20) / 1000 },
        { "event-type": "ntp-stratum", val: 2 },
      ],
    })),
  };
}

function trace(runs: number): Series {
  return {
    metadata: {
      ...p2p("10.0.0.1", "10.0.0.4", "bwctl/tracepath,traceroute", { "time-interval": 600 }),
      "event-types": [et("failures"), et("packet-trace"), et("path-mtu")],
    },
    data: Array.from({ length: runs }, (_, i) => ({
      ts: T0 + i * 600 + 30,
      val: [
        {
          "event-type": "packet-trace",
          val: [1, 2, 3].map((ttl) => ({
            ttl,
            query: 1,
            success: 1,
            ip: ttl === 3 ? "10.0.0.4" : `192.0.2.${ttl + i % 2}`,
            rtt: ttl * 1.5,
            mtu: 9000,
          })),
        },
        { "event-type": "path-mtu", val: 9000 },
      ],
    })),
  };
}

function rtt(runs: number): Series {
  return {
    metadata: {
      ...p2p("10.0.0.1", "10.0.0.5", "pscheduler/ping", { "ip-packet-interval": 1 }),
      "event-types": [
        et("histogram-rtt", ["statistics", 0], ["aggregation", 3600], ["statistics", 3600]),
        et("packet-count-sent", ["aggregation", 3600]),
        et("packet-count-lost-bidir", ["aggregation", 3600]),
        et("packet-loss-rate-bidir", ["aggregation", 3600]),
      ],
    },
    data: Array.from({ length: runs }, (_, i) => ({
      ts: T0 + i * 300 + 9,
      val: [
        { "event-type": "histogram-rtt", val: { "10.25": 5, "10.50": 3 + (i % 2), "11.00": 1 } },
        { "event-type": "packet-count-sent", val: 10 },
        { "event-type": "packet-count-lost-bidir", val: 1 - (i % 2) },
        {
          "event-type": "packet-loss-rate-bidir",
          val: { numerator: 1 - (i % 2), denominator: 10 },
        },
      ],
    })),
  };
}

/** The data set: one metadata per family the archive tests use, IPv4 and IPv6. */
export const DATASET: readonly Series[] = [
  throughput("10.0.0.1", "10.0.0.2", 30),
  throughput("2001:db8::1", "2001:db8::2", 4),
  latency(200),
  ntp(2000),
  trace(12),
  rtt(40),
];

async function send(
  backend: ContractBackend,
  path: string,
  body: unknown,
  method = "POST",
): Promise<Response> {
  return await fetch(`${backend.archiveUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Token ${backend.token}` },
    body: JSON.stringify(body),
  });
}

/**
 * Writes {@linkcode DATASET} as a legacy writer does (one `PUT` per run, as esmond-ps-pipe and
 * pScheduler's esmond archiver send them) and returns the metadata keys in data set order.
 */
export async function writeDataset(backend: ContractBackend): Promise<string[]> {
  const keys: string[] = [];
  for (const series of DATASET) {
    const created = await send(backend, "", series.metadata);
    assertEquals(created.status, 201, `${backend.name}: ${await created.clone().text()}`);
    const key = (await created.json())["metadata-key"] as string;
    keys.push(key);
    for (let i = 0; i < series.data.length; i += 500) {
      const put = await send(backend, `${key}/`, { data: series.data.slice(i, i + 500) }, "PUT");
      assertEquals(put.status, 201, `${backend.name}: ${await put.text()}`);
    }
  }
  return keys;
}
