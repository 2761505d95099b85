/**
 * Documents for the search tests: the original collector README's example close document
 * (`testdata/xrootd/seed_close_document.json`) and the open/user documents it implies.
 *
 * @module
 */
import type { CollectorDocument } from "../../collector/correlate/sink_contracts.ts";
import { testDataUrl } from "../harness/test_data.ts";

/** The original README's example `fstream_close` document. */
export async function seedCloseBody(): Promise<Record<string, unknown>> {
  const text = await Deno.readTextFile(testDataUrl("xrootd", "seed_close_document.json"));
  return JSON.parse(text);
}

const USER_FIELDS = [
  "xrd_prot",
  "xrd_user",
  "xrd_pid",
  "xrd_sid",
  "xrd_host",
  "xrd_auth_auth_protocol",
  "xrd_auth_dn",
  "xrd_auth_client_hostname",
  "xrd_auth_xrootd_ver",
  "xrd_auth_xeqname",
  "xrd_auth_ip_ver",
  "xrd_client",
  "xrd_origin_site",
];

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in body).map((k) => [k, body[k]]));
}

/** The user, open and close documents of the seed example, with ids like the collector's. */
export async function seedDocuments(): Promise<CollectorDocument[]> {
  const close = await seedCloseBody();
  const fileId = close.xrd_file_uniq_id as string;
  const userId = close.xrd_user_uniq_id as string;
  const user = {
    "@timestamp": "2021-07-13T17:29:05Z",
    type: close.type,
    xrd_msg_type: "user_connection",
    xrd_user_uniq_id: userId,
    ...pick(close, USER_FIELDS),
    xrd_server: close.xrd_server,
    xrd_record_add_time: 1626197345.25,
  };
  const open = {
    "@timestamp": "2021-07-13T17:29:09Z",
    type: close.type,
    xrd_msg_type: "fstream_open",
    ...pick(close, [
      "xrd_file_uniq_id",
      "xrd_fileOpenSize",
      "xrd_openedRW",
      "xrd_hasLFN",
      "xrd_user_uniq_id",
      "xrd_lfn",
      "xrd_open_timestamp_req_count",
      "xrd_open_timestamp_tBeg",
      "xrd_open_timestamp_tEnd",
      "xrd_open_req_pos",
      "xrd_server",
      "xrd_derived_open_time",
    ]),
    xrd_record_add_time: 1626197355.5,
  };
  return [
    { docId: `user:${userId}`, body: user },
    { docId: `open:${fileId}`, body: open },
    { docId: `close:${fileId}`, body: close },
  ];
}

/** `count` synthetic close documents of one fake server, numbered from `from`. */
export function syntheticCloses(from: number, count: number, stamp: string): CollectorDocument[] {
  const docs: CollectorDocument[] = [];
  for (let n = from; n < from + count; n++) {
    const id = `192.0.2.1:1094-1795393061.${n}`;
    docs.push({
      docId: `close:${id}`,
      body: {
        "@timestamp": stamp,
        type: "xrd_fstream",
        xrd_msg_type: "fstream_close",
        xrd_file_uniq_id: id,
        xrd_lfn: `/store/bench/file_${n}.root`,
        xrd_XFR_read: n * 1024,
        xrd_derived_duration: 4,
        xrd_derived_read_rate: (n * 1024) / 4,
        xrd_hasOpenInfo: true,
        xrd_record_add_time: 1795393061.5 + n,
      },
    });
  }
  return docs;
}
