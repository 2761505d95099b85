// Issue 17 §2: opens whose close never comes expire into fstream_open_expired documents.
import { assert, assertEquals, runTool, tempDir } from "../harness/mod.ts";
import { type CapturedPacket, formatCaptureLine } from "../../collector/listen/capture.ts";
import { captureItems, LOCAL, memoryPipeline, ofType } from "./helpers.ts";
import { readHeader } from "../../collector/decode/header.ts";
import {
  closeRecord,
  discRecord,
  fPacket,
  openRecord,
  packet,
  textBody,
  xfrRecord,
} from "./packet_builder.ts";

const load = captureItems;

function replay(packets: readonly CapturedPacket[], openTimeoutSeconds?: number) {
  const run = memoryPipeline({ openTimeoutSeconds });
  for (const p of packets) run.pipeline.handle(p.bytes, p.from, p.t);
  run.pipeline.finish();
  return run;
}

Deno.test("a real capture cut before its close: the open expires after --open-timeout", async () => {
  const cut = (await load("read_single.ndjson")).slice(0, 3); // =, u, open
  const later = await load("parallel_small.ndjson"); // another server, 22 s later
  const run = replay([...cut, ...later], 5);
  const expired = ofType(run.docs, "fstream_open_expired");
  assertEquals(expired.length, 1);
  const doc = expired[0];
  assertEquals(doc.xrd_expire_reason, "open_timeout");
  assertEquals(doc.xrd_file_uniq_id, "127.0.0.1:38392-1795393061.2");
  assertEquals(doc.xrd_lfn, "/store/data/read_single.dat");
  assertEquals(doc.xrd_user, "root", "the user's fields");
  assertEquals(doc.xrd_hasUserInfo, true);
  assertEquals(doc.xrd_open_age, 5);
  assertEquals(doc.xrd_hasXfrInfo, false, "pgread transfers send no xfr records (spec 8.1)");
  assertEquals(
    doc["@timestamp"],
    new Date((1795393063 + 5) * 1000).toISOString().slice(0, 19) + "Z",
  );
  assertEquals(run.ids.filter((id) => id.startsWith("expired:")), [
    "expired:127.0.0.1:38392-1795393061.2",
  ]);
  assertEquals(run.correlator.openExpired, 1);
  // parallel_small's own opens all closed: nothing else expired.
  assertEquals(ofType(run.docs, "fstream_close").length, 20);
});

Deno.test("a server restart expires the old process's open files at once", async () => {
  const cut = (await load("read_single.ndjson")).slice(0, 3);
  const restarted = await load("write_single.ndjson"); // same host and server id, newer stod
  const run = replay([...cut, ...restarted]);
  const expired = ofType(run.docs, "fstream_open_expired");
  assertEquals(expired.length, 1);
  assertEquals(expired[0].xrd_expire_reason, "server_restart");
  assertEquals(expired[0].xrd_file_uniq_id, "127.0.0.1:38392-1795393061.2");
  // Expired when the new process's first f-stream packet came.
  assertEquals(expired[0].xrd_expire_time, restarted[2].t);
  assertEquals(ofType(run.docs, "fstream_close").length, 1, "the new process's close");
});

Deno.test("a late close after expiry still yields its close document, with the same id", async () => {
  const packets = await load("read_single.ndjson");
  const normal = replay(packets);
  const late = replay(packets, 2); // open at …63.8, close at …67.8
  assertEquals(ofType(late.docs, "fstream_open_expired").length, 1);
  const closeId = normal.ids.find((id) => id.startsWith("close:"));
  assert(closeId !== undefined);
  assert(late.ids.includes(closeId), late.ids.join(" "));
  const close = ofType(late.docs, "fstream_close")[0];
  assertEquals(close.xrd_hasOpenInfo, false);
  assertEquals(close.xrd_XFR_read, 16777216);
});

Deno.test("the last xfr totals go into the expiry document", () => {
  const run = memoryPipeline({ openTimeoutSeconds: 30 });
  const stod = 1795390000;
  run.pipeline.handle(
    packet({ code: "u", pseq: 0, stod }, textBody(1, "xroot/alice.1:2@h.example.org")),
    LOCAL,
    100,
  );
  run.pipeline.handle(
    fPacket({ pseq: 0, stod }, { tBeg: 100, tEnd: 100 }, [
      openRecord({ fileId: 2, size: 10, userId: 1, lfn: "/a" }),
    ]),
    LOCAL,
    100,
  );
  for (let i = 1; i <= 3; i++) {
    run.pipeline.handle(
      fPacket({ pseq: i, stod }, { tBeg: 100 + i, tEnd: 100 + i }, [
        xfrRecord({ fileId: 2, read: 1000 * i, readv: 5, write: 0 }),
      ]),
      LOCAL,
      100 + 5 * i,
    );
  }
  run.pipeline.handle(
    packet({ code: "u", pseq: 1, stod }, textBody(3, "xroot/bob.1:2@h")),
    LOCAL,
    140,
  );
  const [doc] = ofType(run.docs, "fstream_open_expired");
  assertEquals(doc.xrd_XFR_read, 3000);
  assertEquals(doc.xrd_XFR_readv, 5);
  assertEquals(doc.xrd_derived_total_bytes, 3005);
  assertEquals(doc.xrd_hasXfrInfo, true);
  assertEquals(doc.xrd_user, "alice");
  assertEquals(doc.xrd_open_age, 30);
});

Deno.test("--replay with --open-timeout prints the expiry document", async () => {
  await using dir = await tempDir("expiry-");
  const cut = (await load("read_single.ndjson")).slice(0, 3);
  const later = await load("parallel_small.ndjson");
  const path = dir.join("cut.ndjson");
  await Deno.writeTextFile(
    path,
    [...cut, ...later].map((p) => formatCaptureLine(p) + "\n").join(""),
  );
  const result = await runTool("xrootd-fstream-collector", ["--replay", path, "--open-timeout=5"]);
  assertEquals(result.code, 0, result.stderr);
  const docs = result.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assertEquals(ofType(docs, "fstream_open_expired").map((d) => d.xrd_expire_reason), [
    "open_timeout",
  ]);
});

Deno.test("a real capture whose forced close was lost: the disconnect expires the open", async () => {
  // read_single's last f packet holds the close of file 2 and the disconnect of user 1; here
  // the close is lost and only the disconnect comes (from the same process, next pseq).
  const packets = await load("read_single.ndjson");
  const cut = packets.slice(0, 3);
  const last = packets[3];
  const header = readHeader(new DataView(last.bytes.buffer, last.bytes.byteOffset));
  const discOnly = fPacket({ pseq: header.pseq, stod: header.stod }, {
    tBeg: 1795393066,
    tEnd: 1795393067,
  }, [discRecord(1)]);
  const run = replay([...cut, { ...last, bytes: discOnly }]);
  const expired = ofType(run.docs, "fstream_open_expired");
  assertEquals(expired.length, 1, "expired at the disconnect, not after --open-timeout");
  assertEquals(expired[0].xrd_expire_reason, "user_disconnect");
  assertEquals(expired[0].xrd_file_uniq_id, "127.0.0.1:38392-1795393061.2");
  assertEquals(expired[0].xrd_user, "root");
  assertEquals(expired[0].xrd_expire_time, last.t);
  assertEquals(expired[0].xrd_open_age, Math.round((last.t - packets[2].t) * 1000) / 1000);
  assertEquals(run.ids.filter((id) => id.startsWith("expired:")), [
    "expired:127.0.0.1:38392-1795393061.2",
  ]);
  assertEquals(run.correlator.openFiles, 0);

  // The close turning up after all keeps the id it has in the whole capture.
  const normal = replay(packets);
  const lateClose = fPacket({ pseq: (header.pseq + 1) & 0xff, stod: header.stod }, {
    tBeg: 1795393067,
    tEnd: 1795393068,
  }, [closeRecord({ fileId: 2, read: 16777216, readv: 0, write: 0 })]);
  const late = replay([...cut, { ...last, bytes: discOnly }, {
    ...last,
    t: last.t + 1,
    bytes: lateClose,
  }]);
  const closeId = normal.ids.find((id) => id.startsWith("close:"));
  assert(closeId !== undefined);
  assertEquals(late.ids.filter((id) => id.startsWith("close:")), [closeId]);
  assertEquals(ofType(late.docs, "fstream_open_expired").length, 1);
});

Deno.test("a disconnect expires only that user's opens still open, oldest first", () => {
  const run = memoryPipeline();
  const stod = 1795390000;
  const login = (pseq: number, dict: number, name: string, t: number) =>
    run.pipeline.handle(
      packet({ code: "u", pseq, stod }, textBody(dict, `xroot/${name}.1:2@h.example.org`)),
      LOCAL,
      t,
    );
  login(0, 1, "alice", 100);
  login(1, 5, "bob", 100);
  const close = (fileId: number) => closeRecord({ fileId, read: 1, readv: 0, write: 0 });
  run.pipeline.handle(
    fPacket({ pseq: 0, stod }, { tBeg: 100, tEnd: 101 }, [
      openRecord({ fileId: 2, size: 10, userId: 1, lfn: "/a" }),
      openRecord({ fileId: 3, size: 10, userId: 1, lfn: "/b" }),
      openRecord({ fileId: 4, size: 10, userId: 1, lfn: "/c" }),
      openRecord({ fileId: 6, size: 10, userId: 5, lfn: "/d" }),
      // A second open of dictid 4 replaces the first: it expires once, not twice.
      openRecord({ fileId: 4, size: 10, userId: 1, lfn: "/c2" }),
      openRecord({ fileId: 7, size: 10, userId: 1, lfn: "/e" }),
      close(3),
    ]),
    LOCAL,
    101,
  );
  run.pipeline.handle(
    fPacket({ pseq: 1, stod }, { tBeg: 102, tEnd: 103 }, [close(7), discRecord(1)]),
    LOCAL,
    103,
  );
  const expired = ofType(run.docs, "fstream_open_expired");
  assertEquals(expired.map((d) => [d.xrd_lfn, d.xrd_expire_reason, d.xrd_user]), [
    ["/a", "user_disconnect", "alice"],
    ["/c2", "user_disconnect", "alice"],
  ]);
  assertEquals(run.correlator.openFiles, 1, "bob's open is still open");
  run.pipeline.handle(
    fPacket({ pseq: 2, stod }, { tBeg: 104, tEnd: 105 }, [close(6), discRecord(5)]),
    LOCAL,
    105,
  );
  const closes = ofType(run.docs, "fstream_close");
  assertEquals(closes.map((d) => [d.xrd_lfn, d.xrd_hasOpenInfo]), [
    ["/b", true],
    ["/e", true],
    ["/d", true],
  ]);
  assertEquals(ofType(run.docs, "fstream_open_expired").length, 2);
  assertEquals(run.correlator.openFiles, 0);
  assertEquals(run.correlator.openExpired, 2);
});

Deno.test("an open that already expired is not expired again by its user's disconnect", () => {
  const run = memoryPipeline({ openTimeoutSeconds: 10 });
  const stod = 1795390000;
  run.pipeline.handle(
    packet({ code: "u", pseq: 0, stod }, textBody(1, "xroot/alice.1:2@h.example.org")),
    LOCAL,
    100,
  );
  run.pipeline.handle(
    fPacket({ pseq: 0, stod }, { tBeg: 100, tEnd: 100 }, [
      openRecord({ fileId: 2, size: 10, userId: 1, lfn: "/a" }),
      openRecord({ fileId: 3, size: 10, userId: 1, lfn: "/b" }),
    ]),
    LOCAL,
    100,
  );
  run.pipeline.handle(
    fPacket({ pseq: 1, stod }, { tBeg: 105, tEnd: 105 }, [
      openRecord({ fileId: 4, size: 10, userId: 1, lfn: "/c" }),
    ]),
    LOCAL,
    105,
  );
  // At 112 the first two are past the 10 s timeout; the sweep expires them.
  run.pipeline.handle(
    fPacket({ pseq: 2, stod }, { tBeg: 112, tEnd: 112 }, [discRecord(1)]),
    LOCAL,
    112,
  );
  assertEquals(
    ofType(run.docs, "fstream_open_expired").map((d) => [d.xrd_lfn, d.xrd_expire_reason]),
    [["/a", "open_timeout"], ["/b", "open_timeout"], ["/c", "user_disconnect"]],
  );
});
