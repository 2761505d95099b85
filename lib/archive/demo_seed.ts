/**
 * `seed --demo`: realistic perfSONAR measurements for a few host pairs over the last hours,
 * written through the same path as the API (validation, summaries), so every query tool has
 * something to show. Deterministic for a given `now`.
 *
 * @module
 */
import { eventTypeInfo } from "../esmond/event_types.ts";
import { type EventTypeSpec, metadataChecksum, type MetadataDescription } from "./metadata_post.ts";
import { insertMetadata } from "./metadata_store.ts";
import { numberOf, PyNum, PyObject, type PyValue } from "../esmond/py_json/mod.ts";
import type { ArchiveDb } from "./schema.ts";
import { type PointWrite, writePoints } from "./series_store.ts";
import { validateValue } from "./values.ts";
import { inTransaction } from "./write_handlers.ts";

/** Options of {@linkcode seedDemo}. */
export interface SeedOptions {
  /** End of the seeded period, UNIX seconds (default now). */
  readonly now?: number;
  /** Length of the period in hours (default 48). */
  readonly hours?: number;
}

/** What was seeded. */
export interface SeedResult {
  /** Metadata created. */
  readonly metadata: number;
  /** Points written (base series). */
  readonly points: number;
}

const HOSTS = [
  { name: "ps-lbl.demo.example.net", ip: "198.51.100.10" },
  { name: "ps-chic.demo.example.net", ip: "203.0.113.20" },
  { name: "ps-ams.demo.example.net", ip: "2001:db8:100::30" },
];

// Small deterministic PRNG (mulberry32) so a seed is reproducible.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Summaries = [string, number][];

function spec(eventType: string, summaries: Summaries = []): EventTypeSpec[] {
  return [
    { eventType, summaryType: "base", summaryWindow: 0 },
    ...summaries.map(([type, window]) => ({
      eventType,
      summaryType: type as EventTypeSpec["summaryType"],
      summaryWindow: window,
    })),
  ];
}

const f = (n: number) => new PyNum(n, true);

function point(eventType: string, ts: number, val: PyValue): PointWrite {
  return { eventType, ts, value: validateValue(eventTypeInfo(eventType)!.dataType, val) };
}

function owampPoints(rnd: () => number, ts: number, baseMs: number): PointWrite[] {
  const sent = 600;
  const lost = rnd() < 0.85 ? 0 : Math.floor(rnd() * 12);
  const buckets = new PyObject();
  const received = sent - lost;
  const centre = baseMs + rnd() * 0.4;
  const weights = [-3, -2, -1, 0, 1, 2, 3].map((i) => Math.exp(-(i * i) / (1.5 + rnd())));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((received * w) / sum));
  counts[3] += received - counts.reduce((a, b) => a + b, 0);
  counts.forEach((count, i) => {
    if (count > 0) buckets.set((centre + (i - 3) * 0.1).toFixed(1), count);
  });
  const ttl = new PyObject([["252", sent - lost]]);
  const points = [
    point("histogram-owdelay", ts, buckets),
    point("histogram-ttl", ts, ttl),
    point("packet-count-sent", ts, sent),
    point("packet-count-lost", ts, lost),
    point("packet-duplicates", ts, rnd() < 0.97 ? 0 : 1),
    point("packet-loss-rate", ts, new PyObject([["numerator", lost], ["denominator", sent]])),
    point("time-error-estimates", ts, 0.0001 + rnd() * 0.0004),
  ];
  if (rnd() < 0.01) {
    points.push(
      point("failures", ts, new PyObject([["error", "Unable to contact remote owampd"]])),
    );
  }
  return points;
}

function throughputPoints(rnd: () => number, ts: number, streams: number): PointWrite[] {
  const perStream = Array.from({ length: streams }, () => 2e9 + rnd() * 2.5e9);
  const total = perStream.reduce((a, b) => a + b, 0);
  const retrans = perStream.map(() => (rnd() < 0.7 ? 0 : Math.floor(rnd() * 40)));
  const interval = (scale: number, i: number) =>
    new PyObject([["start", f(i)], ["duration", f(1.000012)], ["val", f(Math.round(scale))]]);
  const subintervals = Array.from(
    { length: 10 },
    (_, i) => interval(total * (0.9 + rnd() * 0.2), i),
  );
  const streamIntervals = perStream.map((s) =>
    Array.from({ length: 10 }, (_, i) => interval(s * (0.9 + rnd() * 0.2), i))
  );
  const points = [
    point("throughput", ts, Math.round(total)),
    point("packet-retransmits", ts, retrans.reduce((a, b) => a + b, 0)),
    point("throughput-subintervals", ts, subintervals),
    point("streams-throughput", ts, perStream.map((s) => f(Math.round(s)))),
    point("streams-packet-retransmits", ts, retrans),
    point("streams-throughput-subintervals", ts, streamIntervals),
  ];
  if (rnd() < 0.08) {
    points.push(
      point("failures", ts, new PyObject([["error", "iperf3 error: unable to connect to server"]])),
    );
  }
  return points;
}

function tracePoints(rnd: () => number, ts: number, dest: string): PointWrite[] {
  // The route flips between two paths every 12 hours; a hop stays silent now and then.
  const alternate = Math.floor(ts / 43200) % 2 === 1;
  const middle = alternate ? ["192.0.2.10", "192.0.2.60", "192.0.2.70"] : [
    "192.0.2.10",
    "192.0.2.20",
    "192.0.2.30",
    "192.0.2.40",
  ];
  const path = [...middle, dest];
  const trace = path.map((ip, i) => {
    const last = i === path.length - 1;
    const silent = !last && rnd() < 0.05;
    return new PyObject([
      ["ttl", String(i + 1)],
      ["query", "1"],
      ["success", silent ? 0 : 1],
      ["ip", silent ? null : ip],
      ["rtt", silent ? null : (0.2 + i * 3.1 + rnd()).toFixed(3)],
      ["mtu", i === 0 ? "9000" : null],
      ["error_message", silent ? "requestTimedOut" : null],
    ]);
  });
  return [point("packet-trace", ts, trace), point("path-mtu", ts, 9000)];
}

function pingPoints(rnd: () => number, ts: number, baseMs: number): PointWrite[] {
  const sent = 10;
  const lost = rnd() < 0.9 ? 0 : 1;
  const rtt = new PyObject();
  for (let i = 0; i < sent - lost; i++) {
    const bucket = (2 * baseMs + rnd() * 1.5).toFixed(2);
    rtt.set(bucket, (numberOf(rtt.get(bucket)) ?? 0) + 1);
  }
  return [
    point("histogram-rtt", ts, rtt),
    point("packet-count-sent", ts, sent),
    point("packet-count-lost-bidir", ts, lost),
    point("packet-loss-rate-bidir", ts, new PyObject([["numerator", lost], ["denominator", sent]])),
  ];
}

function ntpPoints(rnd: () => number, ts: number): PointWrite[] {
  return [
    point("ntp-offset", ts, (rnd() - 0.5) * 0.004),
    point("ntp-delay", ts, 0.01 + rnd() * 0.02),
    point("ntp-jitter", ts, rnd() * 0.002),
    point("ntp-dispersion", ts, 0.001 + rnd() * 0.01),
    point("ntp-stratum", ts, 2),
    point("ntp-reach", ts, 377),
  ];
}

interface Plan {
  readonly desc: MetadataDescription;
  readonly step: number;
  readonly points: (rnd: () => number, ts: number) => PointWrite[];
}

function p2p(
  src: typeof HOSTS[number],
  dst: typeof HOSTS[number],
  tool: string,
  parameters: [string, string][],
  eventTypes: EventTypeSpec[],
): MetadataDescription {
  return {
    subjectType: "point-to-point",
    subject: {
      "source": src.ip,
      "destination": dst.ip,
      "measurement-agent": src.ip,
      "tool-name": tool,
      "input-source": src.name,
      "input-destination": dst.name,
    },
    parameters,
    eventTypes,
  };
}

function plans(): Plan[] {
  const owampTypes = [
    ...spec("histogram-owdelay", [
      ["aggregation", 3600],
      ["aggregation", 86400],
      [
        "statistics",
        0,
      ],
      ["statistics", 3600],
      ["statistics", 86400],
    ]),
    ...spec("histogram-ttl", [["statistics", 0]]),
    ...spec("packet-loss-rate", [["aggregation", 3600], ["aggregation", 86400]]),
    ...spec("packet-count-lost"),
    ...spec("packet-count-sent"),
    ...spec("packet-duplicates"),
    ...spec("time-error-estimates"),
    ...spec("failures"),
  ];
  const bwTypes = [
    ...spec("throughput", [["average", 86400]]),
    ...spec("packet-retransmits"),
    ...spec("throughput-subintervals"),
    ...spec("streams-throughput"),
    ...spec("streams-packet-retransmits"),
    ...spec("streams-throughput-subintervals"),
    ...spec("failures"),
  ];
  const pingTypes = [
    ...spec("histogram-rtt", [["statistics", 0], ["statistics", 3600], ["statistics", 86400]]),
    ...spec("packet-count-sent"),
    ...spec("packet-count-lost-bidir"),
    ...spec("packet-loss-rate-bidir", [["aggregation", 3600], ["aggregation", 86400]]),
  ];
  const traceTypes = [...spec("packet-trace"), ...spec("path-mtu"), ...spec("failures")];
  const out: Plan[] = [];
  const pairs: [number, number][] = [[0, 1], [1, 0], [0, 2]];
  for (const [s, d] of pairs) {
    const src = HOSTS[s], dst = HOSTS[d];
    const baseMs = 20 + 15 * (s + d);
    out.push({
      desc: p2p(src, dst, "owamp/powstream", [
        ["ip-packet-interval", ".1"],
        ["sample-bucket-width", ".0001"],
        ["time-duration", "60"],
      ], owampTypes),
      step: 300,
      points: (rnd, ts) => owampPoints(rnd, ts, baseMs),
    });
    out.push({
      desc: p2p(src, dst, "bwctl/iperf3", [
        ["bw-parallel-streams", "2"],
        ["ip-transport-protocol", "tcp"],
        ["time-duration", "20"],
      ], bwTypes),
      step: 4 * 3600,
      points: (rnd, ts) => throughputPoints(rnd, ts, 2),
    });
    out.push({
      desc: p2p(src, dst, "bwctl/tracepath,traceroute", [["time-interval", "3600"]], traceTypes),
      step: 3600,
      points: (rnd, ts) => tracePoints(rnd, ts, dst.ip),
    });
    out.push({
      desc: p2p(src, dst, "pscheduler/ping", [["ip-packet-interval", "1"]], pingTypes),
      step: 600,
      points: (rnd, ts) => pingPoints(rnd, ts, baseMs),
    });
  }
  out.push({
    desc: {
      subjectType: "network-element",
      subject: {
        "source": HOSTS[0].ip,
        "measurement-agent": HOSTS[0].ip,
        "tool-name": "ntpd",
        "input-source": HOSTS[0].name,
      },
      parameters: [],
      eventTypes: [
        ...spec("ntp-offset", [["average", 3600]]),
        ...spec("ntp-delay"),
        ...spec("ntp-jitter"),
        ...spec("ntp-dispersion"),
        ...spec("ntp-stratum"),
        ...spec("ntp-reach"),
      ],
    },
    step: 600,
    points: (rnd, ts) => ntpPoints(rnd, ts),
  });
  return out;
}

/**
 * Fills `db` with the demo measurements; running it twice adds nothing new for the same
 * `now` (metadata deduplicate, existing points are kept).
 *
 * @example
 * ```ts
 * import { openArchiveDb } from "./schema.ts";
 * import { seedDemo } from "./demo_seed.ts";
 * const result = await seedDemo(openArchiveDb(":memory:"), { hours: 2 });
 * ```
 */
export async function seedDemo(db: ArchiveDb, options: SeedOptions = {}): Promise<SeedResult> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const start = now - (options.hours ?? 48) * 3600;
  let metadata = 0;
  let points = 0;
  for (const [index, plan] of plans().entries()) {
    const checksum = await metadataChecksum(plan.desc);
    const rnd = random(index + 1);
    inTransaction(db, () => {
      const { record, created } = insertMetadata(db, plan.desc, checksum);
      if (!created) return;
      metadata++;
      const first = Math.ceil(start / plan.step) * plan.step + (index * 7) % plan.step;
      for (let ts = first; ts <= now; ts += plan.step) {
        const batch = plan.points(rnd, ts);
        writePoints(db.writer, record, batch, now);
        points += batch.length;
      }
    });
  }
  return { metadata, points };
}
