import { assert, assertEquals } from "../harness/mod.ts";
import { decodePacket, parseKeyValues, parseUserId } from "../../collector/decode/mod.ts";
import {
  closeRecord,
  concat,
  discRecord,
  fPacket,
  openRecord,
  type OpsSpec,
  packet,
  rawRecord,
  textBody,
  timeRecord,
  xfrRecord,
} from "./packet_builder.ts";

const STOD = 1795393061;
const SID = 91453756819764n;
const WINDOW = { tBeg: 1000, tEnd: 1010, sid: SID };
const OPS: OpsSpec = {
  read: 3,
  readv: 2,
  write: 4,
  rsMin: 5,
  rsMax: 9,
  rsegs: 14,
  rdMin: 100,
  rdMax: 300,
  rvMin: 1000,
  rvMax: 2000,
  wrMin: 10,
  wrMax: 40,
};

function decoded(bytes: Uint8Array) {
  const result = decodePacket(bytes);
  if (result.kind === "rejected") throw new Error(`rejected: ${result.reason}`);
  return result;
}

function rejected(bytes: Uint8Array): string {
  const result = decodePacket(bytes);
  assertEquals(result.kind, "rejected");
  return result.kind === "rejected" ? result.reason : "";
}

Deno.test("header: code, pseq, plen, stod", () => {
  const p = decoded(packet({ code: "u", pseq: 200, stod: STOD }, textBody(7, "xroot/a.1:2@h")));
  assertEquals(p.header, { code: "u", pseq: 200, plen: 8 + 4 + 13, stod: STOD });
});

Deno.test("= server identification: userid and key/value payload", () => {
  const bytes = packet(
    { code: "=", pseq: 0, stod: STOD },
    textBody(
      0,
      "=/root.9016:91453756819764@vm",
      "&site=RAL&port=1094&inst=anon&pgm=xrootd&ver=v5.5.3",
    ),
  );
  const p = decoded(bytes);
  assert(p.kind === "text");
  assertEquals(p.body.dictId, 0);
  assertEquals(p.body.userid.prot, "=");
  assertEquals(p.body.userid.user, "root");
  assertEquals(p.body.userid.pid, "9016");
  assertEquals(p.body.userid.sid, "91453756819764");
  assertEquals(p.body.userid.host, "vm");
  const kv = parseKeyValues(p.body.payload!);
  assertEquals(kv.get("site"), "RAL");
  assertEquals(kv.get("ver"), "v5.5.3");
});

Deno.test("u user login: auth info with doubled &I, and a login without payload line", () => {
  const payload =
    "&p=gsi&n=/DC=ch/CN=user&h=lcgui05.gridpp.rl.ac.uk&o=&r=&g=&m=&R=v5.2.0&x=xrdcp&y=&I=6&I=4";
  const p = decoded(
    packet(
      { code: "u", pseq: 1, stod: STOD },
      textBody(1378, "xroot/vwa13372.160465:148034106559908@lcgui05.gridpp.rl.ac.uk", payload),
    ),
  );
  assert(p.kind === "text");
  assertEquals(p.body.dictId, 1378);
  assertEquals(p.body.userid.user, "vwa13372");
  const kv = parseKeyValues(p.body.payload!);
  assertEquals(kv.get("I"), "6", "first &I= wins");
  assertEquals(kv.get("n"), "/DC=ch/CN=user");
  assertEquals(kv.get("o"), "");
  const bare = decoded(
    packet({ code: "u", pseq: 2, stod: STOD }, textBody(9, "https/bob.12:34@[2001:db8::1]")),
  );
  assert(bare.kind === "text");
  assertEquals(bare.body.payload, undefined);
  assertEquals(bare.body.userid.host, "[2001:db8::1]");
});

Deno.test("userid split: dots in user, colons and dots in host, no protocol", () => {
  assertEquals(parseUserId("xroot/first.last.4242:77@[::ffff:10.0.0.1]"), {
    raw: "xroot/first.last.4242:77@[::ffff:10.0.0.1]",
    prot: "xroot",
    user: "first.last",
    pid: "4242",
    sid: "77",
    host: "[::ffff:10.0.0.1]",
  });
  const noProt = parseUserId("alice.1:2@host.example.org");
  assertEquals(noProt.prot, "");
  assertEquals(noProt.user, "alice");
});

Deno.test("i, U, d, T, p, x are text packets; t, r and unknown codes are skipped whole", () => {
  for (const code of ["i", "U", "d", "T", "p", "x"]) {
    assertEquals(
      decoded(packet({ code, pseq: 3, stod: STOD }, textBody(4, "xroot/a.1:2@h", "x"))).kind,
      "text",
    );
  }
  for (const code of ["t", "r", "?", "<"]) {
    assertEquals(decoded(packet({ code, pseq: 3, stod: STOD }, new Uint8Array(24))).kind, "other");
  }
});

Deno.test("f-stream: time window with sID, open with LFN padded like the server", () => {
  const open = openRecord({
    fileId: 2,
    size: 16777216,
    userId: 1,
    lfn: "/store/data/read_single.dat",
  });
  assertEquals(open.length, 52, "27-char LFN gives recSize 52 as observed");
  assertEquals(openRecord({ fileId: 1, size: 0, userId: 1, lfn: "x".repeat(15) }).length, 40);
  assertEquals(openRecord({ fileId: 1, size: 0, userId: 1, lfn: "x".repeat(28) }).length, 56);
  const p = decoded(fPacket({ pseq: 0, stod: STOD }, WINDOW, [open]));
  assert(p.kind === "fstream");
  assertEquals(p.window, { xfrCount: 0, recordCount: 1, tBeg: 1000, tEnd: 1010, sid: SID });
  assertEquals(p.records, [{
    type: "open",
    pos: 1,
    fileId: 2,
    fileSize: 16777216,
    readWrite: false,
    hasLfn: true,
    userId: 1,
    lfn: "/store/data/read_single.dat",
  }]);
});

Deno.test("f-stream: open without LFN (16 bytes) and open for update", () => {
  const p = decoded(fPacket({ pseq: 0, stod: STOD }, WINDOW, [
    openRecord({ fileId: 5, size: 42 }),
    openRecord({ fileId: 6, size: 0, rw: true, userId: 3, lfn: "/w" }),
  ]));
  assert(p.kind === "fstream");
  assertEquals(p.records[0], {
    type: "open",
    pos: 1,
    fileId: 5,
    fileSize: 42,
    readWrite: false,
    hasLfn: false,
    userId: 0,
    lfn: undefined,
  });
  assert(p.records[1].type === "open" && p.records[1].readWrite && p.records[1].lfn === "/w");
});

Deno.test("f-stream: close records of 32, 80 and 112 bytes, SSQ doubles, forced flag", () => {
  const p = decoded(fPacket({ pseq: 0, stod: STOD }, WINDOW, [
    closeRecord({ fileId: 10, read: 1, readv: 2, write: 3 }),
    closeRecord({ fileId: 11, read: 600, readv: 3000, write: 100, ops: OPS }),
    closeRecord({
      fileId: 12,
      forced: true,
      read: 600,
      readv: 3000,
      write: 100,
      ops: OPS,
      ssq: [140000, 5e6, 106, 3000.5],
    }),
  ]));
  assert(p.kind === "fstream");
  const [plain, ops, ssq] = p.records;
  assert(plain.type === "close" && ops.type === "close" && ssq.type === "close");
  assertEquals(plain.xfr, { read: 1, readv: 2, write: 3 });
  assertEquals(plain.ops, undefined);
  assertEquals(plain.forced, false);
  assertEquals(ops.ops, OPS);
  assertEquals(ops.ssq, undefined);
  assertEquals(ssq.forced, true);
  assertEquals(ssq.ops, OPS);
  assertEquals(ssq.ssq, { read: 140000, readv: 5e6, rsegs: 106, write: 3000.5 });
  assertEquals(ssq.pos, 3);
});

Deno.test("f-stream: xfr and disc records, 64-bit byte counts beyond 2^32", () => {
  const p = decoded(fPacket({ pseq: 0, stod: STOD }, { ...WINDOW, nXfr: 1 }, [
    discRecord(0),
    discRecord(17),
    xfrRecord({ fileId: 9, read: 2 ** 40, readv: 5, write: 0 }),
  ]));
  assert(p.kind === "fstream");
  assertEquals(p.window.xfrCount, 1);
  assertEquals(p.records[0], { type: "disc", pos: 1, userId: 0 });
  assertEquals(p.records[1], { type: "disc", pos: 2, userId: 17 });
  assertEquals(p.records[2], {
    type: "xfr",
    pos: 3,
    fileId: 9,
    xfr: { read: 2 ** 40, readv: 5, write: 0 },
  });
});

Deno.test("f-stream: 16-byte time record of old servers, unknown record types skipped by size", () => {
  const body = concat(timeRecord({ nRecs: 2, tBeg: 5, tEnd: 6 }), rawRecord(9, 20), discRecord(4));
  const p = decoded(packet({ code: "f", pseq: 0, stod: STOD }, body));
  assert(p.kind === "fstream");
  assertEquals(p.window.sid, undefined);
  assertEquals(p.records, [
    { type: "unknown", pos: 1, recType: 9, recSize: 20 },
    { type: "disc", pos: 2, userId: 4 },
  ]);
});

Deno.test("rejects truncated and inconsistent packets whole", () => {
  const good = fPacket({ pseq: 0, stod: STOD }, WINDOW, [discRecord(1)]);
  assert(rejected(good.subarray(0, 5)).includes("5 bytes"));
  assert(rejected(good.subarray(0, good.length - 1)).includes("plen"));
  assert(
    rejected(packet({ code: "f", pseq: 0, stod: STOD }, new Uint8Array(0))).includes("time record"),
  );
  assert(
    rejected(packet({ code: "f", pseq: 0, stod: STOD }, discRecord(1))).includes("time record"),
  );
  const tiny = concat(timeRecord({ nRecs: 1, ...WINDOW }), rawRecord(4, 4));
  assert(rejected(packet({ code: "f", pseq: 0, stod: STOD }, tiny)).includes("record of 4 bytes"));
  const zero = concat(timeRecord({ nRecs: 1, ...WINDOW }), new Uint8Array(8));
  assert(rejected(packet({ code: "f", pseq: 0, stod: STOD }, zero)).includes("record of 0 bytes"));
  const past = concat(
    timeRecord({ nRecs: 1, ...WINDOW }),
    rawRecord(4, 8).map((b, i) => i === 3 ? 64 : b),
  );
  assert(rejected(packet({ code: "f", pseq: 0, stod: STOD }, past)).includes("past"));
  const trailing = concat(timeRecord({ nRecs: 1, ...WINDOW }), discRecord(1), new Uint8Array(3));
  assert(rejected(packet({ code: "f", pseq: 0, stod: STOD }, trailing)).includes("trailing"));
  const shortSsq = closeRecord({ fileId: 1, read: 0, readv: 0, write: 0, ops: OPS });
  shortSsq[1] |= 0x04;
  assert(rejected(fPacket({ pseq: 0, stod: STOD }, WINDOW, [shortSsq])).includes("SSQ"));
  const secondTime = fPacket({ pseq: 0, stod: STOD }, WINDOW, [
    timeRecord({ nRecs: 0, ...WINDOW }),
  ]);
  assert(rejected(secondTime).includes("time record"));
  assert(
    rejected(packet({ code: "u", pseq: 0, stod: STOD }, new Uint8Array(2))).includes("dictid"),
  );
});

Deno.test("decoding from an offset inside a larger reused buffer", () => {
  const p = fPacket({ pseq: 0, stod: STOD }, WINDOW, [
    openRecord({ fileId: 3, size: 1, userId: 2, lfn: "/x" }),
  ]);
  const big = new Uint8Array(65536).fill(0xee);
  big.set(p, 100);
  const result = decoded(big.subarray(100, 100 + p.length));
  assert(
    result.kind === "fstream" && result.records[0].type === "open" &&
      result.records[0].lfn === "/x",
  );
});
