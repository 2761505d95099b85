// Issue 17 §3: g-stream datagrams assembled from XRootD's layout (binary header; CGI and JSON
// text headers; JSON and CGI events), one document per event.
import { assert, assertEquals } from "../harness/mod.ts";
import { decodePacket } from "../../collector/decode/mod.ts";
import { LOCAL, memoryPipeline, ofType } from "./helpers.ts";
import { gPacket, gTextPacket } from "./packet_builder.ts";

const STOD = 1795390000;

/** Events as the providers write them (field names and formats from XRootD's sources). */
const PFC_CLOSE = JSON.stringify({
  event: "file_close",
  lfn: "/store/data/cached.root",
  size: 1048576,
  blk_size: 1048576,
  n_blks: 1,
  n_blks_done: 1,
  access_cnt: 2,
  attach_t: 1795390010,
  detach_t: 1795390020,
  remotes: ["[::1]:1094"],
  b_hit: 524288,
  b_miss: 524288,
  b_bypass: 0,
  b_todisk: 524288,
  b_prefetch: 0,
  n_cks_errs: 0,
});
const TPC = '{"TPC":"http","Client":"alice.1:2@h","Xeq":{"Beg":"2026-11-22T23:40:10.250Z",' +
  '"End":"2026-11-22T23:40:12.750Z","RC":0,"Strm":1,"Type":"pull","IPv":6},' +
  '"Src":"http://src:1094/a","Dst":"http://dst:1094/b","Size":5000000}';
const THROTTLE = '{"event":"throttle_update","io_wait":1.2500,"io_active":3,"io_total":99}';
const OSS = '{"event":"oss_stats","reads":10,"writes":2,"stats":4,"open_t":0.0000,"read_t":0.1250}';
const HTTP = '{"HTTP_GET_200":{"count":5,"errors_network":0,"errors_xrootd":0,"success":5,' +
  '"duration_seconds":0.5},"HTTP_PUT_500":{"count":1,"errors_network":0,"errors_xrootd":1,' +
  '"success":0,"duration_seconds":0.01}}';
const TCP = '{"event":"tcp_close","bytes_in":1000,"bytes_out":20,"rtt_us":350}';

function run(datagrams: Uint8Array[]) {
  const r = memoryPipeline();
  datagrams.forEach((d, i) => r.pipeline.handle(d, LOCAL, 1795390030 + i * 0.01));
  r.pipeline.finish();
  return r;
}

Deno.test("binary g-stream header: provider letter and server id from the 8-byte id", () => {
  const p = decodePacket(
    gPacket({ pseq: 3, stod: STOD, provider: "C", sid: 0x123456789abc, tBeg: 1, tEnd: 2 }, [
      PFC_CLOSE,
    ]),
  );
  assert(p.kind === "gstream", p.kind);
  assertEquals(p.provider, "C");
  assertEquals(p.sid, String(0x123456789abc));
  assertEquals([p.tBeg, p.tEnd, p.header.pseq, p.textHeader], [1, 2, 3, false]);
  assertEquals(p.events.length, 1);
  assertEquals(p.events[0].form, "json");
});

Deno.test("every provider's events become gstream_<provider> documents", () => {
  const r = run([
    gPacket({ pseq: 0, stod: STOD, provider: "C", tBeg: 1795390020, tEnd: 1795390021 }, [
      PFC_CLOSE,
      PFC_CLOSE,
    ]),
    gPacket({ pseq: 1, stod: STOD, provider: "P", tBeg: 1795390012, tEnd: 1795390012 }, [TPC]),
    gPacket({ pseq: 2, stod: STOD, provider: "R", tBeg: 1795390013, tEnd: 1795390013 }, [THROTTLE]),
    gPacket({ pseq: 3, stod: STOD, provider: "O", tBeg: 1795390014, tEnd: 1795390014 }, [OSS]),
    gPacket({ pseq: 4, stod: STOD, provider: "H", tBeg: 1795390015, tEnd: 1795390015 }, [HTTP]),
    gPacket({ pseq: 5, stod: STOD, provider: "T", tBeg: 1795390016, tEnd: 1795390016 }, [TCP]),
    gPacket({ pseq: 6, stod: STOD, provider: "M", tBeg: 1795390017, tEnd: 1795390017 }, [
      "op=evict&lfn=/a+b",
    ]),
  ]);
  const types = r.docs.map((d) => d.xrd_msg_type);
  assertEquals(types, [
    "gstream_pfc",
    "gstream_pfc",
    "gstream_tpc",
    "gstream_throttle",
    "gstream_oss",
    "gstream_http",
    "gstream_tcp",
    "gstream_ccm",
  ]);
  const [pfc] = ofType(r.docs, "gstream_pfc");
  assertEquals(pfc.xrd_pfc_lfn, "/store/data/cached.root");
  assertEquals(pfc.xrd_pfc_b_hit, 524288);
  assertEquals(pfc.xrd_pfc_remotes, ["[::1]:1094"]);
  assertEquals(
    pfc["@timestamp"],
    new Date(1795390020_000).toISOString().slice(0, 19) + "Z",
    "detach time",
  );
  const [tpc] = ofType(r.docs, "gstream_tpc");
  assertEquals(tpc.xrd_tpc_protocol, "http");
  assertEquals(tpc.xrd_tpc_rc, 0);
  assertEquals(tpc.xrd_tpc_success, true);
  assertEquals(tpc.xrd_tpc_duration, 2.5);
  assertEquals(tpc.xrd_tpc_rate, 2000000);
  assertEquals(tpc.xrd_tpc_direction, "pull");
  assertEquals(tpc.xrd_tpc_ip_version, "6");
  assertEquals(tpc.xrd_tpc_begin, "2026-11-22T23:40:10.250Z");
  const [throttle] = ofType(r.docs, "gstream_throttle");
  assertEquals(throttle.xrd_throttle_io_wait, 1.25);
  const [oss] = ofType(r.docs, "gstream_oss");
  assertEquals([oss.xrd_oss_reads, oss.xrd_oss_read_t], [10, 0.125]);
  const [http] = ofType(r.docs, "gstream_http");
  assertEquals(http.xrd_http_count, 6);
  assertEquals((http.xrd_http_requests as Record<string, unknown>[])[1], {
    method: "PUT",
    status: "500",
    count: 1,
    errors_network: 0,
    errors_xrootd: 1,
    success: 0,
    duration_seconds: 0.01,
  });
  const [ccm] = ofType(r.docs, "gstream_ccm");
  assertEquals([ccm.xrd_gstream_form, ccm.xrd_ccm_op, ccm.xrd_ccm_lfn], ["cgi", "evict", "/a b"]);
  assertEquals(new Set(r.ids).size, r.ids.length, "ids unique");
  assert(r.ids[0].startsWith("gstream:127.0.0.1:40000-1795390000.C."), r.ids[0]);
});

Deno.test("text headers (send cgi / send json) decode like the binary one", () => {
  for (const form of ["cgi", "json"] as const) {
    const bytes = gTextPacket(form, { pseq: 12, stod: STOD, provider: "P", tBeg: 5, tEnd: 6 }, [
      TPC,
    ]);
    const p = decodePacket(bytes);
    assert(p.kind === "gstream", `${form}: ${"reason" in p ? p.reason : p.kind}`);
    assertEquals([p.provider, p.header.pseq, p.header.stod, p.tBeg, p.tEnd, p.textHeader], [
      "P",
      12,
      STOD,
      5,
      6,
      true,
    ]);
    assertEquals(p.sid, "91453756819764");
    const r = run([bytes]);
    assertEquals(r.docs.map((d) => d.xrd_tpc_size), [5000000], form);
  }
});

Deno.test("unknown providers are counted and skipped; broken events are kept as text", () => {
  const r = run([
    gPacket({ pseq: 0, stod: STOD, provider: "Z", tBeg: 1, tEnd: 1 }, ['{"a":1}', '{"b":2}']),
    gPacket({ pseq: 1, stod: STOD, provider: "R", tBeg: 1, tEnd: 1 }, ['{"event":', "plain words"]),
  ]);
  assertEquals(r.correlator.gstreamUnknown, 2);
  assertEquals(r.docs.map((d) => d.xrd_gstream_text), ['{"event":', "plain words"]);
  assertEquals(renderHas(r), true);
});

function renderHas(r: ReturnType<typeof run>): boolean {
  return r.pipeline.snapshot().gstreamUnknown === 2;
}

Deno.test("g-stream packets are resequenced on their own counter", () => {
  const a = gPacket({ pseq: 0, stod: STOD, provider: "R", tBeg: 1, tEnd: 1 }, [THROTTLE]);
  const b = gPacket({ pseq: 1, stod: STOD, provider: "R", tBeg: 2, tEnd: 2 }, [THROTTLE]);
  const r = run([b, a, a]);
  assertEquals(r.docs.map((d) => d.xrd_gstream_tBeg), [1, 2]);
  const [[, counts]] = [...r.pipeline.sequences.entries()];
  assertEquals([counts.reordered, counts.duplicate], [1, 1]);
});
