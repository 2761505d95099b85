/**
 * A synthetic monitoring workload for benchmarks: logins and f-stream packets full of opens
 * and closes (with Ops and SSQ) of distinct files, as a busy server would send them.
 *
 * @module
 */
import { closeRecord, fPacket, openRecord, packet, textBody } from "./packet_builder.ts";
import type { CollectorDocument } from "../../collector/correlate/mod.ts";
import { Correlator } from "../../collector/correlate/correlate.ts";
import { Pipeline } from "../../collector/correlate/pipeline.ts";

/** Options for {@linkcode buildWorkload}. */
export interface WorkloadOptions {
  /** f-stream packets to build. */
  readonly packets: number;
  /** Files opened and closed per f-stream packet (records = 2 × this). */
  readonly filesPerPacket: number;
  /** Server start time. */
  readonly stod?: number;
}

/** Packets in sending order and how many f-stream records they hold. */
export interface Workload {
  readonly packets: Uint8Array[];
  readonly records: number;
}

const OPS = {
  read: 16,
  readv: 0,
  write: 0,
  rsMin: 0,
  rsMax: 0,
  rsegs: 0,
  rdMin: 1048576,
  rdMax: 8388608,
  rvMin: 0,
  rvMax: 0,
  wrMin: 0,
  wrMax: 0,
};

/**
 * Builds the workload: each f packet is preceded by one `u` login whose user opens the files;
 * each file is opened in one packet and closed in the next.
 *
 * @example
 * ```ts
 * const { packets, records } = buildWorkload({ packets: 10, filesPerPacket: 2 });
 * ```
 */
export function buildWorkload(options: WorkloadOptions): Workload {
  const stod = options.stod ?? 1795390000;
  const k = options.filesPerPacket;
  const packets: Uint8Array[] = [];
  let records = 0;
  let dict = 1;
  let upseq = 0;
  let fpseq = 0;
  let pendingCloses: Uint8Array[] = [];
  for (let i = 0; i < options.packets; i++) {
    const user = dict++;
    packets.push(packet(
      { code: "u", pseq: upseq++, stod },
      textBody(
        user,
        `xroot/user${i % 97}.${1000 + i}:91453756819764@client${i % 13}.example.org`,
        "&p=gsi&n=/DC=org/CN=someone&h=client.example.org&o=vo&r=&g=/vo&m=&R=v5.5.3&x=xrdcp&y=&I=4",
      ),
    ));
    const opens: Uint8Array[] = [];
    const closes: Uint8Array[] = [];
    for (let f = 0; f < k; f++) {
      const fileId = dict++;
      opens.push(
        openRecord({
          fileId,
          size: 1 << 24,
          userId: user,
          lfn: `/store/data/run${i}/file${f}.root`,
        }),
      );
      closes.push(closeRecord({
        fileId,
        read: 16 << 20,
        readv: 0,
        write: 0,
        ops: OPS,
        ssq: [16 * 2 ** 46, 0, 0, 0],
      }));
    }
    const body = [...pendingCloses, ...opens];
    records += body.length;
    packets.push(
      fPacket({ pseq: fpseq++, stod }, {
        tBeg: 1795390000 + i,
        tEnd: 1795390001 + i,
        sid: 91453756819764n,
      }, body),
    );
    pendingCloses = closes;
  }
  return { packets, records };
}

/**
 * The correlator's documents for the UDP benchmark's workload (`count` of them); each `round`
 * is another server process, so its documents get ids of their own.
 */
export function workloadDocuments(count: number, round: number): CollectorDocument[] {
  const docs: CollectorDocument[] = [];
  const correlator = new Correlator({
    emit: (doc) => docs.length < count && docs.push(doc),
    evtType: "xrd_fstream",
    cacheSeconds: 3600,
    maxEntries: 1_000_000,
  });
  const pipeline = new Pipeline({ correlator, reorderTimeout: 0 });
  const from = { hostname: "10.1.2.3", port: 41000 + round };
  const workload = buildWorkload({ packets: Math.ceil(count / 3) + 1, filesPerPacket: 1 });
  let now = 1795390000;
  for (const bytes of workload.packets) pipeline.handle(bytes, from, now += 0.001);
  pipeline.finish();
  return docs;
}
