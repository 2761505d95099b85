import { assertEquals } from "../../../tests/harness/mod.ts";
import { wlcgRecord } from "./wlcg_record.ts";

const OPTIONS = { producer: "cms", type: "aaa-ng", host: "collector", site: "T2_XX" };

const CLOSE = {
  xrd_msg_type: "fstream_close",
  xrd_file_uniq_id: "[2001:db8::5]:1094-1795393061.7",
  xrd_lfn: "/store/a.root",
  xrd_fileOpenSize: 1000,
  xrd_derived_open_time: 1795393062,
  xrd_derived_close_time: 1795393072,
  xrd_host: "wn01.gridpp.rl.ac.uk",
  xrd_server: "se01.example.org",
  xrd_user: "cms001",
  xrd_auth_dn: "cms001",
  xrd_auth_moninfo: "/DC=org/CN=Jane Doe/CN=12345::extra",
  xrd_auth_org: "cms",
  xrd_auth_ip_ver: "6",
  xrd_prot: "xroot",
  xrd_appinfo: "162_https://glidein.cern.ch/162/190501:101553:u:crab:X_0",
  // reads of 4 and 6 bytes; readv: 2 requests of 3 and 5 segments, 100 and 300 bytes.
  xrd_XFR_read: 10,
  xrd_XFR_readv: 400,
  xrd_XFR_write: 0,
  xrd_OPS_read: 2,
  xrd_OPS_readv: 2,
  xrd_OPS_write: 0,
  xrd_OPS_rdMin: 4,
  xrd_OPS_rdMax: 6,
  xrd_OPS_rvMin: 100,
  xrd_OPS_rvMax: 300,
  xrd_OPS_rsMin: 3,
  xrd_OPS_rsMax: 5,
  xrd_OPS_rsegs: 8,
  xrd_OPS_wrMin: 2147483647,
  xrd_OPS_wrMax: 0,
  xrd_SSQ_read: 52,
  xrd_SSQ_readv: 100000,
  xrd_SSQ_rsegs: 34,
  xrd_SSQ_write: 0,
};

Deno.test("wlcg record: fields, sigmas from SSQ, segments per readv, sentinels", () => {
  const r = wlcgRecord(CLOSE, OPTIONS)!;
  assertEquals(r.read_single_average, 5);
  assertEquals(r.read_single_sigma, 1);
  assertEquals(r.read_vector_average, 200);
  assertEquals(r.read_vector_sigma, 100);
  // The peer would say 8 / 400 bytes = 0.02.
  assertEquals(r.read_vector_count_average, 4);
  assertEquals(r.read_vector_count_sigma, 1);
  assertEquals(r.read_min, 4);
  assertEquals(r.read_max, 300);
  assertEquals([r.write_min, r.write_max], [0, 0]);
  assertEquals(r.read_bytes, 410);
  assertEquals(r.operation, "read");
  assertEquals([r.start_time, r.end_time, r.operation_time], [1795393062000, 1795393072000, 10]);
  assertEquals([r.client_host, r.client_domain], ["wn01", "gridpp.rl.ac.uk"]);
  assertEquals([r.server_host, r.server_domain, r.server_ip], [
    "se01",
    "example.org",
    "2001:db8::5",
  ]);
  assertEquals([r.user_dn, r.user], ["/DC=org/CN=Jane Doe/CN=12345", "Jane Doe"]);
  assertEquals([r.vo, r.ipv6, r.site_name, r.server_site], ["cms", true, "T2_XX", "T2_XX"]);
  assertEquals([r.CRAB_Id, r.CRAB_Workflow, r.CRAB_Retry], ["162", "190501:101553:u:crab:X", "0"]);
  assertEquals((r.metadata as Record<string, unknown>).timestamp, 1795393072000);
});

Deno.test("wlcg record: unique_id from server identity, dictid and open time", () => {
  const a = wlcgRecord(CLOSE, OPTIONS)!.unique_id;
  assertEquals(wlcgRecord({ ...CLOSE, xrd_lfn: "/other" }, OPTIONS)!.unique_id, a);
  // An expired open (issue 17's document: open fields, last xfr totals, expiry time).
  const expired = wlcgRecord({
    xrd_msg_type: "fstream_open_expired",
    xrd_file_uniq_id: CLOSE.xrd_file_uniq_id,
    xrd_lfn: CLOSE.xrd_lfn,
    xrd_fileOpenSize: 1000,
    xrd_derived_open_time: CLOSE.xrd_derived_open_time,
    xrd_expire_reason: "open_timeout",
    xrd_expire_time: 1795396662.5,
    xrd_XFR_read: 700,
  }, OPTIONS)!;
  assertEquals(expired.unique_id, a);
  assertEquals(expired.has_file_close_msg, false);
  assertEquals([expired.read_bytes, expired.operation_time], [700, 3601]);
  const ids = new Set([
    a,
    wlcgRecord({ ...CLOSE, xrd_file_uniq_id: "[2001:db8::5]:1094-1795393061.8" }, OPTIONS)!
      .unique_id,
    wlcgRecord({ ...CLOSE, xrd_file_uniq_id: "[2001:db8::5]:1095-1795393061.7" }, OPTIONS)!
      .unique_id,
    wlcgRecord({ ...CLOSE, xrd_derived_open_time: 1795393063 }, OPTIONS)!.unique_id,
  ]);
  assertEquals(ids.size, 4);
});

Deno.test("wlcg record: other documents and missing fields", () => {
  assertEquals(wlcgRecord({ xrd_msg_type: "fstream_open" }, OPTIONS), undefined);
  const r = wlcgRecord({ xrd_msg_type: "fstream_close" }, OPTIONS)!;
  assertEquals([r.file_size, r.read_average, r.read_sigma, r.operation], [-1, 0, 0, "unknown"]);
  assertEquals("vo" in r, false);
});
