import { assert, assertEquals } from "../harness/mod.ts";
import type { Sender } from "../../collector/correlate/identity.ts";
import type { LookupKey } from "../../collector/correlate/sink_contracts.ts";
import { LOCAL, memoryPipeline, ofType } from "./helpers.ts";
import {
  closeRecord,
  discRecord,
  fPacket,
  openRecord,
  packet,
  textBody,
} from "./packet_builder.ts";

const STOD = 1795390000;
const AUTH = "&p=gsi&n=dteamuser&h=lcgui05.gridpp.rl.ac.uk&R=v5.2.0&x=xrdcp&I=6";

function login(stod: number, pseq: number, dictId: number, user = "alice") {
  return packet(
    { code: "u", pseq, stod },
    textBody(dictId, `xroot/${user}.160465:148034106559908@lcgui05.gridpp.rl.ac.uk`, AUTH),
  );
}

function ident(stod: number, host: string) {
  return packet(
    { code: "=", pseq: 0, stod },
    textBody(
      0,
      `=/xrootd.1:148034106559908@${host}`,
      "&site=RAL&port=1094&inst=anon&pgm=xrootd&ver=v5.5.3",
    ),
  );
}

Deno.test("close gains open and user fields; seed's derived rate reproduced", () => {
  const run = memoryPipeline();
  run.pipeline.handle(ident(STOD, "ceph-gw2.gridpp.rl.ac.uk"), LOCAL, 1626197300);
  run.pipeline.handle(login(STOD, 1, 1378), LOCAL, 1626197301);
  run.pipeline.handle(
    fPacket({ pseq: 0, stod: STOD }, { tBeg: 1626197346, tEnd: 1626197355, nRecs: 6 }, [
      discRecord(0),
      discRecord(0),
      openRecord({ fileId: 1379, size: 1073741824, userId: 1378, lfn: "dteam:test/tom_byrne/1g" }),
      discRecord(0),
      discRecord(0),
      discRecord(0),
    ]),
    LOCAL,
    1626197355.5,
  );
  run.pipeline.handle(
    fPacket({ pseq: 1, stod: STOD }, { tBeg: 1626197356, tEnd: 1626197365, nRecs: 6 }, [
      discRecord(0),
      discRecord(0),
      discRecord(0),
      discRecord(0),
      closeRecord({ fileId: 1379, read: 1073741824, readv: 0, write: 0 }),
      discRecord(0),
    ]),
    LOCAL,
    1626197365.8836944,
  );
  const [user] = ofType(run.docs, "user_connection");
  assertEquals(user.xrd_auth_dn, "dteamuser");
  assertEquals(user.xrd_origin_site, "gridpp.rl.ac.uk");
  const [close] = ofType(run.docs, "fstream_close");
  assertEquals(close["@timestamp"], "2021-07-13T17:29:22Z");
  assertEquals(close.xrd_server, "ceph-gw2.gridpp.rl.ac.uk");
  assertEquals(close.xrd_open_req_pos, 3);
  assertEquals(close.xrd_derived_open_time, 1626197349);
  assertEquals(close.xrd_close_req_pos, 5);
  assertEquals(close.xrd_derived_close_time, 1626197362);
  assertEquals(close.xrd_derived_duration, 13);
  assertEquals(close.xrd_derived_read_rate, 82595524.92307693);
  assertEquals(close.xrd_derived_read_total_rate, 82595524.92307693);
  assertEquals(close.xrd_auth_xeqname, "xrdcp");
  assertEquals(close.xrd_auth_ip_ver, "6");
  assertEquals(close.xrd_user, "alice");
  assertEquals(close.xrd_record_add_time, 1626197365.8836944);
  assertEquals(close.xrd_hasOPS, false);
  assertEquals(close.xrd_OPS_read, 0);
});

Deno.test("two servers on one IP started in the same second do not share ids or joins", () => {
  const collisions: [string, readonly string[]][] = [];
  const run = memoryPipeline({ onServerCollision: (p, s) => collisions.push([p, [...s]]) });
  const a: Sender = { hostname: "10.0.0.5", port: 40001 };
  const b: Sender = { hostname: "10.0.0.5", port: 40002 };
  for (const [sender, lfn] of [[a, "/a"], [b, "/b"]] as const) {
    run.pipeline.handle(login(STOD, 1, 1), sender, 10);
    run.pipeline.handle(
      fPacket({ pseq: 0, stod: STOD }, { tBeg: 10, tEnd: 10 }, [
        openRecord({ fileId: 2, size: 5, userId: 1, lfn }),
      ]),
      sender,
      10,
    );
  }
  run.pipeline.handle(
    fPacket({ pseq: 1, stod: STOD }, { tBeg: 12, tEnd: 12 }, [
      closeRecord({ fileId: 2, read: 5, readv: 0, write: 0 }),
    ]),
    b,
    12,
  );
  run.pipeline.handle(
    fPacket({ pseq: 1, stod: STOD }, { tBeg: 13, tEnd: 13 }, [
      closeRecord({ fileId: 2, read: 5, readv: 0, write: 0 }),
    ]),
    a,
    13,
  );
  const closes = ofType(run.docs, "fstream_close");
  assertEquals(closes.map((c) => c.xrd_lfn), ["/b", "/a"]);
  assert(closes[0].xrd_file_uniq_id !== closes[1].xrd_file_uniq_id);
  assertEquals(new Set(run.ids).size, run.ids.length);
  assertEquals(run.correlator.openFiles, 0);
  assertEquals(collisions, [[`10.0.0.5-${STOD}`, [
    `10.0.0.5:40001-${STOD}`,
    `10.0.0.5:40002-${STOD}`,
  ]]]);
});

Deno.test("after a restart dictids start again at 1 and do not join the old lifetime", () => {
  const run = memoryPipeline();
  const before: Sender = { hostname: "10.0.0.5", port: 40001 };
  const after: Sender = { hostname: "10.0.0.5", port: 40007 };
  run.pipeline.handle(login(STOD, 1, 1), before, 10);
  run.pipeline.handle(
    fPacket({ pseq: 0, stod: STOD }, { tBeg: 10, tEnd: 10 }, [
      openRecord({ fileId: 2, size: 5, userId: 1, lfn: "/old" }),
    ]),
    before,
    10,
  );
  run.pipeline.handle(
    fPacket({ pseq: 0, stod: STOD + 60 }, { tBeg: 70, tEnd: 70 }, [
      closeRecord({ fileId: 2, read: 5, readv: 0, write: 0 }),
    ]),
    after,
    70,
  );
  const [close] = ofType(run.docs, "fstream_close");
  assertEquals(close.xrd_hasOpenInfo, false);
  assertEquals(close.xrd_hasDerivedStats, false);
  assertEquals(close.xrd_lfn, undefined);
  assertEquals(close.xrd_file_uniq_id, `10.0.0.5:40007-${STOD + 60}.2`);
  assertEquals(run.correlator.closesWithoutOpen, 1);
  assertEquals(run.pipeline.sequences.lost(`10.0.0.5:40007-${STOD + 60}`), 0);
});

Deno.test("forced close, disconnect forgets the login, SSQ spread, zero-duration guard", () => {
  const run = memoryPipeline();
  run.pipeline.handle(login(STOD, 1, 1), LOCAL, 10);
  const ops = {
    read: 3,
    readv: 0,
    write: 0,
    rsMin: 0,
    rsMax: 0,
    rsegs: 0,
    rdMin: 100,
    rdMax: 300,
    rvMin: 0,
    rvMax: 0,
    wrMin: 0,
    wrMax: 0,
  };
  run.pipeline.handle(
    fPacket({ pseq: 0, stod: STOD }, { tBeg: 20, tEnd: 20 }, [
      openRecord({ fileId: 2, size: 600, userId: 1, lfn: "/f" }),
      closeRecord({
        fileId: 2,
        forced: true,
        read: 600,
        readv: 0,
        write: 0,
        ops,
        ssq: [140000, 0, 0, 0],
      }),
      discRecord(1),
      openRecord({ fileId: 3, size: 1, userId: 1, lfn: "/g" }),
    ]),
    LOCAL,
    21,
  );
  const [close] = ofType(run.docs, "fstream_close");
  assertEquals(close.xrd_forceClose, true);
  assertEquals(close.xrd_hasSSQ, true);
  assertEquals(close.xrd_SSQ_read, 140000);
  const sd = close.xrd_derived_read_size_stddev as number;
  assert(Math.abs(sd - Math.sqrt(140000 / 3 - 200 * 200)) < 1e-9, String(sd));
  assertEquals(close.xrd_derived_duration, 0);
  assertEquals(close.xrd_derived_read_rate, 600, "zero duration: rate over 1 s");
  const opens = ofType(run.docs, "fstream_open");
  assertEquals(opens[0].xrd_hasUserInfo, true);
  assertEquals(opens[1].xrd_hasUserInfo, false, "login forgotten after its disconnect");
});

Deno.test("cache entries expire after --cache-time and the size bound evicts the oldest", () => {
  const run = memoryPipeline({ cacheSeconds: 60, maxEntries: 2 });
  const f = (pseq: number, t: number, records: Uint8Array[]) =>
    run.pipeline.handle(fPacket({ pseq, stod: STOD }, { tBeg: t, tEnd: t }, records), LOCAL, t);
  f(0, 1000, [openRecord({ fileId: 1, size: 1, lfn: "/1", userId: 0 })]);
  f(1, 1001, [openRecord({ fileId: 2, size: 1, lfn: "/2", userId: 0 })]);
  f(2, 1002, [openRecord({ fileId: 3, size: 1, lfn: "/3", userId: 0 })]);
  assertEquals(run.correlator.cacheEvictions, 1);
  f(3, 1003, [
    closeRecord({ fileId: 1, read: 1, readv: 0, write: 0 }),
    closeRecord({ fileId: 2, read: 1, readv: 0, write: 0 }),
  ]);
  f(4, 1100, [closeRecord({ fileId: 3, read: 1, readv: 0, write: 0 })]);
  const joined = ofType(run.docs, "fstream_close").map((
    c,
  ) => [c.xrd_file_uniq_id, c.xrd_hasOpenInfo]);
  assertEquals(joined.map(([, has]) => has), [false, true, false]);
  assertEquals(run.correlator.cacheSize, 0);
  assertEquals(ofType(run.docs, "fstream_open").length, 3, "every open still yields its document");
});

Deno.test("older-events lookup answers a cache miss without holding up later packets", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const asked: LookupKey[] = [];
  const run = memoryPipeline({
    lookup: {
      async findOpen(key) {
        asked.push(key);
        await gate;
        return {
          "@timestamp": "x",
          xrd_msg_type: "fstream_open",
          xrd_hasUserInfo: true,
          xrd_file_uniq_id: `${key.serverId}.${key.dictId}`,
          xrd_lfn: "/from/es",
          xrd_derived_open_time: 90,
          xrd_user: "bob",
        };
      },
      findUser: () => Promise.resolve(undefined),
    },
  });
  run.pipeline.handle(
    fPacket({ pseq: 0, stod: STOD }, { tBeg: 100, tEnd: 100 }, [
      closeRecord({ fileId: 7, read: 50, readv: 0, write: 0 }),
    ]),
    LOCAL,
    100,
  );
  run.pipeline.handle(login(STOD, 0, 8), LOCAL, 101);
  assertEquals(
    run.docs.map((d) => d.xrd_msg_type),
    ["user_connection"],
    "the login was not held up",
  );
  assertEquals(asked, [{ serverId: `127.0.0.1:40000-${STOD}`, dictId: 7 }]);
  assertEquals(run.correlator.pendingLookups, 1);
  release();
  await run.correlator.drain();
  const [close] = ofType(run.docs, "fstream_close");
  assertEquals(close.xrd_hasOpenInfo, true);
  assertEquals(close.xrd_hasUserInfo, true);
  assertEquals(close.xrd_lfn, "/from/es");
  assertEquals(close.xrd_user, "bob");
  assertEquals(close.xrd_derived_duration, 10);
  assertEquals(close["@timestamp"], new Date(100_000).toISOString().slice(0, 19) + "Z");
});

Deno.test("a failing or slow lookup still emits the close, without open info", async () => {
  const errors: unknown[] = [];
  const run = memoryPipeline({
    lookupTimeoutMs: 50,
    onLookupError: (error) => errors.push(error),
    lookup: {
      findOpen: () => new Promise(() => {}),
      findUser: () => Promise.reject(new Error("cluster down")),
    },
  });
  run.pipeline.handle(
    fPacket({ pseq: 0, stod: STOD }, { tBeg: 100, tEnd: 100 }, [
      closeRecord({ fileId: 7, read: 1, readv: 0, write: 0 }),
      openRecord({ fileId: 9, size: 1, userId: 4, lfn: "/x" }),
    ]),
    LOCAL,
    100,
  );
  run.pipeline.finish(); // the open waited (up to the reorder timeout) for user 4's login
  await run.correlator.drain();
  assertEquals(ofType(run.docs, "fstream_close")[0].xrd_hasOpenInfo, false);
  assertEquals(ofType(run.docs, "fstream_open")[0].xrd_hasUserInfo, false);
  assertEquals(errors.length, 2);
});

Deno.test("i app info, U experiment codes, T token and d paths join into open and close", () => {
  const run = memoryPipeline();
  const userid = "xroot/alice.160465:148034106559908@lcgui05.gridpp.rl.ac.uk";
  run.pipeline.handle(login(STOD, 1, 1), LOCAL, 10);
  run.pipeline.handle(
    packet({ code: "i", pseq: 2, stod: STOD }, textBody(2, userid, "jobid=42&app=test")),
    LOCAL,
    10,
  );
  run.pipeline.handle(
    packet({ code: "U", pseq: 3, stod: STOD }, textBody(3, userid, "&Uc=1&Ec=3&Ac=4")),
    LOCAL,
    10,
  );
  run.pipeline.handle(
    packet(
      { code: "T", pseq: 4, stod: STOD },
      textBody(4, userid, "&Uc=1&s=sub&n=alice&o=vo&r=prod&g=/vo"),
    ),
    LOCAL,
    10,
  );
  run.pipeline.handle(
    packet({ code: "d", pseq: 5, stod: STOD }, textBody(6, userid, "/store/from/dictionary")),
    LOCAL,
    10,
  );
  run.pipeline.handle(
    fPacket({ pseq: 0, stod: STOD }, { tBeg: 11, tEnd: 12 }, [
      openRecord({ fileId: 6, size: 9 }),
      openRecord({ fileId: 7, size: 9, userId: 1, lfn: "/with/lfn" }),
      closeRecord({ fileId: 7, read: 9, readv: 0, write: 0 }),
      closeRecord({ fileId: 6, read: 9, readv: 0, write: 0 }),
    ]),
    LOCAL,
    12,
  );
  const [noLfn, withLfn] = ofType(run.docs, "fstream_close").reverse();
  assertEquals(noLfn.xrd_lfn, "/store/from/dictionary");
  assertEquals(noLfn.xrd_hasLFN, false);
  assertEquals(noLfn.xrd_hasUserInfo, false, "an open without LFN names no user");
  assertEquals(withLfn.xrd_appinfo, "jobid=42&app=test");
  assertEquals(withLfn.xrd_exp_code, "3");
  assertEquals(withLfn.xrd_act_code, "4");
  assertEquals(withLfn.xrd_token_subject, "sub");
  assertEquals(withLfn.xrd_token_groups, "/vo");
  run.docs.forEach((doc, i) => assertEquals(run.jsons[i], JSON.stringify(doc)));
});

Deno.test("isoSeconds agrees with Date for seconds across days, years and before 1970", async () => {
  const { isoSeconds } = await import("../../collector/correlate/timestamps.ts");
  for (
    const t of [0, 59, 86399, 86400, 1626197362, 1795393066.99, 951782400, -1, -86401, 4102444799]
  ) {
    assertEquals(
      isoSeconds(t),
      new Date(Math.floor(t) * 1000).toISOString().slice(0, 19) + "Z",
      String(t),
    );
  }
});

Deno.test("a U record with an out-of-range user dictid changes no other server's login", () => {
  const run = memoryPipeline();
  const other: Sender = { hostname: LOCAL.hostname, port: LOCAL.port + 1 };
  run.pipeline.handle(login(STOD, 0, 1), LOCAL, 10);
  run.pipeline.handle(login(STOD, 0, 5, "bob"), other, 10);
  const userid = "xroot/alice.160465:148034106559908@lcgui05.gridpp.rl.ac.uk";
  for (const uc of [2 ** 32 + 5, -(2 ** 32) + 5, 5.5]) {
    run.pipeline.handle(
      packet({ code: "U", pseq: 1, stod: STOD }, textBody(9, userid, `&Uc=${uc}&Ec=3&Ac=4`)),
      LOCAL,
      10,
    );
  }
  run.pipeline.handle(
    fPacket({ pseq: 0, stod: STOD }, { tBeg: 11, tEnd: 12 }, [
      openRecord({ fileId: 7, size: 9, userId: 5, lfn: "/b" }),
      closeRecord({ fileId: 7, read: 9, readv: 0, write: 0 }),
    ]),
    other,
    12,
  );
  const [close] = ofType(run.docs, "fstream_close");
  assertEquals(close.xrd_user, "bob");
  assertEquals(close.xrd_exp_code, undefined);
});
