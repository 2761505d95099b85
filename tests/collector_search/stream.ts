/**
 * A synthetic but well-formed monitoring stream for the outage tests: transfer `n` is one `u`
 * login packet and one f-stream packet holding its open and close, so any prefix of the stream
 * is self-contained and every run of it yields the same documents (3 per transfer).
 *
 * @module
 */
import { closeRecord, fPacket, openRecord, packet, textBody } from "../collector/packet_builder.ts";

const STOD = 1795400000;
const SID = 91453756819764n;

/** The two datagrams of transfer `n` (n ≥ 1). */
export function transferDatagrams(n: number): [Uint8Array, Uint8Array] {
  const user = 2 * n - 1;
  const file = 2 * n;
  const login = packet(
    { code: "u", pseq: n & 0xff, stod: STOD },
    textBody(
      user,
      `xroot/root.${1000 + n}:${SID}@[::ffff:127.0.0.1]`,
      "&p=unix&n=root&h=[::ffff:127.0.0.1]&o=&r=&g=root&m=&R=v5.5.3&x=xrdcp&y=&I=4",
    ),
  );
  const t = STOD + 10 + n;
  const f = fPacket({ pseq: (n - 1) & 0xff, stod: STOD }, { tBeg: t, tEnd: t + 2, sid: SID }, [
    openRecord({ fileId: file, size: n * 1000, userId: user, lfn: `/store/outage/f${n}.dat` }),
    closeRecord({ fileId: file, read: n * 1000, readv: 0, write: 0 }),
  ]);
  return [login, f];
}

/** Datagrams of transfers `from` … `to` inclusive. */
export function streamDatagrams(from: number, to: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let n = from; n <= to; n++) out.push(...transferDatagrams(n));
  return out;
}
