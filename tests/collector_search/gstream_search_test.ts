// g-stream and open-expiry documents reach real Elasticsearch 7.10 and OpenSearch 2.19 with the
// index template's types: the real g-stream capture of xrootd 5.5 (cache C, TPC P), datagrams
// assembled from the layout for the other providers, and an open cut before its close.
import { assert, assertEquals, runTool, tempDir } from "../harness/mod.ts";
import { requirePrograms, SEARCH_ENGINE_PROGRAMS } from "../harness/programs.ts";
import { COLLECTOR_FIELD_TYPES } from "../../collector/sink/search/mod.ts";
import { formatCaptureLine } from "../../collector/listen/capture.ts";
import { api, type EngineKind, mappingTypes, readAll, startEngine } from "./engine.ts";
import { gPacket, gTextPacket } from "../collector/packet_builder.ts";
import { captureItems } from "../collector/helpers.ts";

const load = captureItems;

const STOD = 1796191700;
const T = 1796191710;
const ASSEMBLED = [
  gPacket({ pseq: 1, stod: STOD, provider: "R", tBeg: T, tEnd: T }, [
    '{"event":"throttle_update","io_wait":0.0000,"io_active":0,"io_total":7}',
  ]),
  gPacket({ pseq: 2, stod: STOD, provider: "O", tBeg: T, tEnd: T }, [
    '{"event":"oss_stats","reads":10,"writes":0,"open_t":0.0000,"read_t":0.0000}',
  ]),
  gPacket({ pseq: 3, stod: STOD, provider: "H", tBeg: T, tEnd: T }, [
    '{"HTTP_GET_200":{"count":3,"errors_network":0,"errors_xrootd":0,"success":3,"duration_seconds":0.25}}',
  ]),
  gPacket({ pseq: 4, stod: STOD, provider: "T", tBeg: T, tEnd: T }, [
    '{"event":"tcp_close","bytes_in":1000,"bytes_out":20}',
  ]),
  gTextPacket("cgi", { pseq: 5, stod: STOD, provider: "M", tBeg: T, tEnd: T }, ["op=evict&lfn=/a"]),
];

for (const kind of ["elasticsearch", "opensearch"] as EngineKind[]) {
  Deno.test(requirePrograms(SEARCH_ENGINE_PROGRAMS, {
    name: `g-stream and expiry documents in a real ${kind}, with the template's types`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      await using engine = await startEngine(kind);
      await using dir = await tempDir("xrd-gstream-");
      const from = { hostname: "127.0.0.1", port: 40123 };
      const packets = [
        ...await load("gstream_pfc_tpc.ndjson"),
        ...ASSEMBLED.map((bytes, i) => ({ t: T + i * 0.01, from, bytes })),
        ...(await load("read_single.ndjson")).slice(0, 3).map((p) => ({ ...p, t: p.t + 1000 })),
        { ...(await load("parallel_small.ndjson"))[0], t: 1796200000 }, // time passes: expiry
      ];
      const path = dir.join("mixed.ndjson");
      await Deno.writeTextFile(path, packets.map((p) => formatCaptureLine(p) + "\n").join(""));
      const result = await runTool("xrootd-fstream-collector", [
        "--replay",
        path,
        "--open-timeout=60",
        "-s",
        engine.url,
        "--index",
        "gs-%Y",
        "--replicas",
        "0",
        "--spool-dir",
        dir.join("spool"),
        "-q",
      ]);
      assertEquals(result.code, 0, result.stderr);
      const stored = [...(await readAll(engine.url, "gs-*")).values()];
      const byType = (t: string) => stored.filter((d) => d.xrd_msg_type === t);
      for (const t of ["pfc", "tpc", "throttle", "oss", "http", "tcp", "ccm"]) {
        assertEquals(byType(`gstream_${t}`).length, 1, `gstream_${t}: ${result.stderr}`);
      }
      assertEquals(byType("fstream_open_expired").length, 1);
      assertEquals(byType("gstream_tpc")[0].xrd_tpc_size, 3000000);
      assertEquals(byType("gstream_pfc")[0].xrd_pfc_lfn, "/store/data/in.dat");
      const types = await mappingTypes(engine.url, "gs-*");
      for (const doc of stored) {
        for (const field of Object.keys(doc)) {
          const want = COLLECTOR_FIELD_TYPES[field];
          if (want !== undefined) assertEquals(types[field], want, `mapping of ${field}`);
        }
      }
      assertEquals(types.xrd_oss_open_t, "double", "0.0000 must not make a long");
      assertEquals(types.xrd_throttle_io_wait, "double");
      assertEquals(types.xrd_expire_reason, "keyword");
      const mapping = await api(engine.url, "GET", "/gs-*/_mapping");
      const props = (Object.values(mapping)[0] as {
        mappings: { properties: Record<string, { properties?: Record<string, { type: string }> }> };
      }).mappings.properties;
      assertEquals(props.xrd_http_requests.properties?.duration_seconds.type, "double");
      assertEquals(props.xrd_http_requests.properties?.method.type, "keyword");
      // The typed fields can be queried as such.
      const range = await api(engine.url, "POST", "/gs-*/_count", {
        query: { range: { xrd_tpc_end: { gte: "2026-12-02T00:00:00Z" } } },
      });
      assertEquals(range.count, 1);
      assert(byType("fstream_open_expired")[0].xrd_expire_reason === "open_timeout");
    },
  }));
}
