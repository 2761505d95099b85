import { assert, assertEquals, runTool } from "../harness/mod.ts";
import { capturePath, ofType, replayShared } from "./helpers.ts";

const SID = "91453756819764";

function checkClean(run: Awaited<ReturnType<typeof replayShared>>) {
  const m = run.pipeline.metrics;
  assertEquals(m.decodeErrors, 0, `rejected: ${run.rejects.join("; ")}`);
  assertEquals(m.recordCountMismatches, 0);
  assertEquals(m.unknownRecords, 0);
  assertEquals([...run.pipeline.sequences.lostByServer().values()].reduce((a, b) => a + b, 0), 0);
  assertEquals(run.correlator.openFiles, 0, "an open was left without its close");
  // Parts of a document never repeat a key: the fast JSON equals serialising the body.
  run.docs.forEach((doc, i) => assertEquals(run.jsons[i], JSON.stringify(doc)));
}

function checkUser(doc: Record<string, unknown>) {
  assertEquals(doc.xrd_user, "root");
  assertEquals(doc.xrd_prot, "xroot");
  assertEquals(doc.xrd_sid, SID);
  assertEquals(doc.xrd_auth_auth_protocol, "unix");
  assertEquals(doc.xrd_auth_xeqname, "xrdcp");
  assertEquals(doc.xrd_auth_ip_ver, "4");
  assertEquals(doc.xrd_auth_xrootd_ver, "v5.5.3");
  assertEquals(doc.xrd_client, "[::ffff:127.0.0.1]");
  assertEquals(doc.xrd_origin_site, undefined, "an address has no origin site");
}

Deno.test("read_single: one user, open and close joined, pgread sentinels, rate 4 MiB/s", async () => {
  const run = await replayShared("read_single.ndjson");
  checkClean(run);
  assertEquals(run.docs.length, 3);
  const [user] = ofType(run.docs, "user_connection");
  checkUser(user);
  assertEquals(user.xrd_pid, "24751");
  const [open] = ofType(run.docs, "fstream_open");
  assertEquals(open.xrd_lfn, "/store/data/read_single.dat");
  assertEquals(open.xrd_fileOpenSize, 16777216);
  assertEquals(open.xrd_openedRW, false);
  assertEquals(open.xrd_derived_open_time, 1795393062);
  assertEquals(open.xrd_user_uniq_id, user.xrd_user_uniq_id);
  const [close] = ofType(run.docs, "fstream_close");
  assertEquals(close.xrd_hasOpenInfo, true);
  assertEquals(close.xrd_hasUserInfo, true);
  assertEquals(close.xrd_hasDerivedStats, true);
  assertEquals(close.xrd_file_uniq_id, open.xrd_file_uniq_id);
  assert(close.xrd_file_uniq_id !== close.xrd_user_uniq_id);
  assertEquals(close.xrd_lfn, "/store/data/read_single.dat");
  assertEquals(close.xrd_user, "root");
  assertEquals(close.xrd_server, "vm");
  assertEquals(close.xrd_forceClose, false);
  assertEquals(close.xrd_XFR_read, 16777216);
  assertEquals(close.xrd_XFR_readv, 0);
  assertEquals(close.xrd_XFR_write, 0);
  assertEquals(close.xrd_OPS_read, 2);
  assertEquals(close.xrd_OPS_rdMin, 2147483647);
  assertEquals(close.xrd_OPS_rdMax, 0);
  assertEquals(close.xrd_SSQ_read, 0);
  assertEquals(close.xrd_derived_read_size_stddev, undefined, "no spread from empty SSQ");
  assertEquals(close.xrd_open_timestamp_tBeg, 1795393062);
  assertEquals(close.xrd_close_timestamp_tBeg, 1795393066);
  assertEquals(close.xrd_close_timestamp_req_count, 2);
  assertEquals(close.xrd_close_req_pos, 1);
  assertEquals(close.xrd_derived_close_time, 1795393066);
  assertEquals(close.xrd_derived_duration, 4);
  assertEquals(close.xrd_derived_read_rate, 4194304);
  assertEquals(close.xrd_derived_is_read, true);
  assertEquals(close.xrd_derived_is_write, false);
  assertEquals(close["@timestamp"], new Date(1795393066000).toISOString().slice(0, 19) + "Z");
});

Deno.test("write_single: upload with pgwrite checksums, openedRW, duration 4 s", async () => {
  const run = await replayShared("write_single.ndjson");
  checkClean(run);
  const [close] = ofType(run.docs, "fstream_close");
  assertEquals(close.xrd_lfn, "/store/user/write_single.dat");
  assertEquals(close.xrd_openedRW, true);
  assertEquals(close.xrd_fileOpenSize, 0);
  assertEquals(close.xrd_XFR_write, 12595200);
  assertEquals(close.xrd_XFR_read, 0);
  assertEquals(close.xrd_OPS_write, 2);
  assertEquals(close.xrd_OPS_wrMin, 2147483647);
  assertEquals(close.xrd_OPS_wrMax, 0);
  assertEquals(close.xrd_derived_open_time, 1795393075);
  assertEquals(close.xrd_derived_close_time, 1795393079);
  assertEquals(close.xrd_derived_duration, 4);
  assertEquals(close.xrd_derived_write_rate, 12595200 / 4);
  assertEquals(close.xrd_derived_is_write, true);
  assertEquals(close.xrd_derived_is_read, false);
  checkUser(close);
});

const PARALLEL_BYTES: Record<string, [number, "read" | "write"]> = {};
for (let n = 1; n <= 16; n++) {
  PARALLEL_BYTES[`/store/data/small/s${String(n).padStart(2, "0")}.dat`] = [
    n * 61440 + 1000,
    "read",
  ];
}
for (let j = 1; j <= 4; j++) {
  const size = j * 100000 + 777;
  PARALLEL_BYTES[`/store/user/par_up_${j}.dat`] = [size + 4 * Math.ceil(size / 4096), "write"];
}

Deno.test("parallel_small: 12 users, 20 files, every close joined, bytes per LFN", async () => {
  const run = await replayShared("parallel_small.ndjson");
  checkClean(run);
  const users = ofType(run.docs, "user_connection");
  assertEquals(users.length, 12);
  assertEquals(
    users.map((u) => Number(String(u.xrd_user_uniq_id).split(".").at(-1))),
    [1, 4, 5, 9, 12, 13, 17, 20, 21, 25, 28, 30],
  );
  users.forEach(checkUser);
  assertEquals(ofType(run.docs, "fstream_open").length, 20);
  const closes = ofType(run.docs, "fstream_close");
  assertEquals(closes.length, 20);
  assertEquals(run.pipeline.metrics.recordsByType.get("disc"), 12);
  let read = 0;
  let write = 0;
  const seen = new Set<string>();
  for (const close of closes) {
    const lfn = String(close.xrd_lfn);
    seen.add(lfn);
    assertEquals(close.xrd_hasOpenInfo, true, lfn);
    assertEquals(close.xrd_hasUserInfo, true, lfn);
    assertEquals(close.xrd_user, "root");
    assertEquals(close.xrd_forceClose, false);
    const [bytes, kind] = PARALLEL_BYTES[lfn];
    if (kind === "read") {
      assertEquals(close.xrd_XFR_read, bytes, lfn);
      assertEquals(close.xrd_fileOpenSize, bytes, lfn);
      assertEquals(close.xrd_openedRW, false, lfn);
      assertEquals(close.xrd_OPS_read, 1);
      assertEquals(close.xrd_OPS_rdMin, 2147483647);
    } else {
      assertEquals(close.xrd_XFR_write, bytes, lfn);
      assertEquals(close.xrd_openedRW, true, lfn);
      assertEquals(close.xrd_OPS_write, 1);
    }
    read += close.xrd_XFR_read as number;
    write += close.xrd_XFR_write as number;
    const duration = close.xrd_derived_duration as number;
    assertEquals(
      duration,
      (close.xrd_derived_close_time as number) - (close.xrd_derived_open_time as number),
    );
    const rate = (close.xrd_derived_total_bytes as number) / Math.max(duration, 1);
    assert(
      Math.abs(
        (close.xrd_derived_read_total_rate as number) + (close.xrd_derived_write_rate as number) -
          rate,
      ) < 1e-6,
    );
  }
  assertEquals(seen.size, 20);
  assertEquals(read, 8_371_840);
  assertEquals(write, 1_004_096);
  // Each download process opens both its files under one login.
  const byUser = new Map<unknown, number>();
  for (const close of closes) {
    byUser.set(close.xrd_user_uniq_id, (byUser.get(close.xrd_user_uniq_id) ?? 0) + 1);
  }
  assertEquals([...byUser.values()].sort(), [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
  // Document ids are unique.
  assertEquals(new Set(run.ids).size, run.ids.length);
});

Deno.test("--replay prints only NDJSON documents on stdout, logs on stderr", async () => {
  const result = await runTool("xrootd-fstream-collector", [
    "--replay",
    capturePath("parallel_small.ndjson"),
    "-e",
    "echo_xrd_fstream",
  ]);
  assertEquals(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  assertEquals(lines.length, 12 + 20 + 20);
  for (const line of lines) assertEquals(JSON.parse(line).type, "echo_xrd_fstream");
  assert(result.stderr.includes("replayed 16 packets"), result.stderr);
});

Deno.test("--replay of a missing file fails with one clear line", async () => {
  const result = await runTool("xrootd-fstream-collector", ["--replay", "/nonexistent/x.ndjson"]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assert(result.stderr.includes("/nonexistent/x.ndjson"), result.stderr);
});
