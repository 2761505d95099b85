/**
 * The four query tools read a perfSONAR 5 OpenSearch cluster directly
 * (`--url opensearch+http://…`) and through `esmond-ps-archive serve --opensearch`, and print
 * exactly the bytes they print for the same runs in the SQLite archive: every
 * `testdata/pscheduler` body (as its Logstash document) plus synthetic series with summaries.
 */
import { assert, assertEquals, runTool } from "../harness/mod.ts";
import { OPENSEARCH_NODE_PROGRAMS, openSearchNode } from "./node.ts";
import { requirePrograms } from "../harness/programs.ts";
import { openSearchClient } from "../../lib/opensearch/connection.ts";
import { installPschedulerTemplate } from "../../lib/opensearch/template.ts";
import { serveArchive } from "../../lib/archive/server.ts";
import {
  indexDocuments,
  INGEST,
  realDocuments,
  sampleDocuments,
  sqliteArchiveOf,
} from "./documents.ts";

const iso = (ts: number) => new Date(ts * 1000).toISOString();
const WINDOW = ["-S", iso(1785120000), "-E", iso(INGEST + 600), "--ip", "--quiet"];

Deno.test(requirePrograms(OPENSEARCH_NODE_PROGRAMS, {
  name:
    "query tools: same output from OpenSearch directly, through serve --opensearch, and from SQLite",
  async fn(t) {
    await using engine = await openSearchNode();
    const client = openSearchClient({ url: engine.url });
    const docs = [...sampleDocuments(), ...await realDocuments()];
    try {
      await installPschedulerTemplate(client);
      await indexDocuments(client, docs);
    } finally {
      await client.close();
    }
    const sqlite = await sqliteArchiveOf(docs);
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sqlite.handler);
    await using served = serveArchive({
      dbPath: ":memory:",
      port: 0,
      handleSignals: false,
      opensearch: { url: engine.url },
    });
    try {
      const sqliteUrl = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
      const urls = [`opensearch+${engine.url}`, served.url];
      const listing = await (await fetch(`${sqliteUrl}/esmond/perfsonar/archive/?limit=100`))
        .json();
      const eventTypes = new Set<string>();
      for (const md of listing) {
        for (const et of md["event-types"]) eventTypes.add(et["event-type"]);
      }
      const runs: [string, string[]][] = [];
      for (const format of ["human", "json", "csv"]) {
        runs.push(["esmond-ps-get-metadata", ["-o", format]]);
        runs.push(["esmond-ps-get-endpoints", ["-o", format]]);
      }
      runs.push(["esmond-ps-get-metadata", ["-M"]]);
      runs.push(["esmond-ps-get-metadata", ["-e", "histogram-owdelay", "-o", "json"]]);
      for (const et of [...eventTypes].sort()) {
        runs.push(["esmond-ps-get", ["-e", et, "-o", "json"]]);
      }
      for (const et of ["throughput", "histogram-owdelay", "packet-trace", "histogram-rtt"]) {
        runs.push(["esmond-ps-get", ["-e", et]]);
        runs.push(["esmond-ps-get", ["-e", et, "-o", "csv"]]);
      }
      runs.push(["esmond-ps-get", [
        "-e",
        "throughput",
        "-T",
        "average",
        "-W",
        "86400",
        "-o",
        "json",
      ]]);
      runs.push(["esmond-ps-get", ["-e", "histogram-owdelay", "-T", "statistics", "-W", "3600"]]);
      runs.push(["esmond-ps-get", ["-e", "packet-loss-rate", "-T", "aggregation", "-W", "300"]]);
      runs.push(["esmond-ps-get", ["-e", "throughput", "-s", "10.9.0.1", "-d", "10.9.0.2"]]);
      let nonEmpty = 0;
      for (const [tool, args] of runs) {
        const expected = await runTool(tool, ["-u", sqliteUrl, ...WINDOW, ...args]);
        if (expected.stdout.trim().length > 2) nonEmpty++;
        for (const url of urls) {
          await t.step(
            `${tool} ${args.join(" ")} via ${url.startsWith("opensearch") ? "direct" : "serve"}`,
            async () => {
              const got = await runTool(tool, ["-u", url, ...WINDOW, ...args]);
              assertEquals(got.code, expected.code, got.stderr);
              // Only the archive's own address differs (the `url` of each metadata with -M).
              const origin = /http:\/\/127\.0\.0\.1:\d+\/esmond/g;
              assertEquals(
                got.stdout.replace(origin, "ARCHIVE/esmond"),
                expected.stdout.replace(origin, "ARCHIVE/esmond"),
              );
            },
          );
        }
      }
      assert(nonEmpty > 20, `${nonEmpty} non-empty outputs`);
      for (const format of ["json", "csv"]) {
        const dirs = [await Deno.makeTempDir(), await Deno.makeTempDir(), await Deno.makeTempDir()];
        try {
          const all = [sqliteUrl, ...urls];
          for (let i = 0; i < 3; i++) {
            const r = await runTool("esmond-ps-get-bulk", [
              "-u",
              all[i],
              ...WINDOW,
              "-o",
              format,
              "-D",
              dirs[i],
            ]);
            assertEquals(r.code, 0, r.stderr);
          }
          const files = [...Deno.readDirSync(dirs[0])].map((e) => e.name).sort();
          assert(files.length > 20, `${files.length} bulk files`);
          for (const dir of dirs.slice(1)) {
            assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), files);
            for (const f of files) {
              assertEquals(
                Deno.readTextFileSync(`${dir}/${f}`),
                Deno.readTextFileSync(`${dirs[0]}/${f}`),
                f,
              );
            }
          }
        } finally {
          for (const d of dirs) await Deno.remove(d, { recursive: true });
        }
      }
    } finally {
      await server.shutdown();
      sqlite.db.close();
    }
  },
}));
