/**
 * Two `esmond-ps-archive serve --opensearch` processes on one cluster: pScheduler's http
 * archiver posts every `testdata/pscheduler` body to one (`/logstash`, twice: a retry stores
 * nothing new), the other serves the runs through the esmond API, and the cluster holds exactly
 * Logstash's documents under deterministic ids.
 */
import { assert, assertEquals } from "../harness/mod.ts";
import { OPENSEARCH_NODE_PROGRAMS, openSearchNode, templateInstalled } from "./node.ts";
import { requirePrograms } from "../harness/programs.ts";
import { runCases } from "../pscheduler/testdata.ts";
import { serveArchive } from "../../lib/archive/server.ts";
import { addToken } from "../../lib/archive/tokens.ts";
import { OFFLINE_RESOLVER, parseNameTable, tableResolver } from "../../lib/pscheduler/mod.ts";
import { countDocs, readAll } from "../collector_search/engine.ts";

Deno.test(requirePrograms(OPENSEARCH_NODE_PROGRAMS, {
  name: "serve --opensearch: /logstash through one archive, esmond reads through another",
  async fn() {
    await using engine = await openSearchNode();
    const cases = runCases();
    const forward: Record<string, unknown> = {};
    for (const c of cases) Object.assign(forward, c.names.forward ?? {});
    await using writer = serveArchive({
      dbPath: ":memory:",
      port: 0,
      handleSignals: false,
      opensearch: { url: engine.url },
      logstash: {
        resolver: tableResolver(parseNameTable({ forward }), { fallback: OFFLINE_RESOLVER }),
      },
    });
    await using reader = serveArchive({
      dbPath: ":memory:",
      port: 0,
      handleSignals: false,
      opensearch: { url: engine.url },
      installTemplate: false,
    });
    const token = await addToken(writer.db, "pscheduler");
    await templateInstalled(engine.url);
    for (const attempt of [1, 2]) {
      for (const c of cases) {
        const r = await fetch(`${writer.url}/logstash`, {
          method: "PUT",
          headers: { ...c.headers, authorization: `Token ${token}` },
          body: c.text,
        });
        assertEquals(r.status, 200, `${c.name}: ${await r.clone().text()}`);
        assertEquals(await r.text(), "ok");
        assertEquals(r.headers.get("x-runs-stored"), attempt === 1 ? "1" : "0", c.name);
      }
    }
    // The esmond write API is served too (tests/opensearch/legacy_writes_test.ts): a metadata
    // without runs goes to the metadata index only.
    const write = await fetch(`${writer.url}/esmond/perfsonar/archive/`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Token ${token}` },
      body: JSON.stringify({
        "subject-type": "point-to-point",
        "source": "10.0.0.1",
        "destination": "10.0.0.2",
        "tool-name": "bwctl/iperf3",
        "measurement-agent": "10.0.0.1",
        "input-source": "a.example.net",
        "input-destination": "b.example.net",
        "event-types": [],
      }),
    });
    assertEquals(write.status, 201, await write.clone().text());
    await write.body?.cancel();
    const refused = await fetch(`${writer.url}/logstash`, { method: "POST", body: "{}" });
    assertEquals(refused.status, 401);
    await refused.body?.cancel();
    assertEquals(await countDocs(engine.url, "pscheduler_*"), cases.length);
    const stored = await readAll(engine.url, "pscheduler_*");
    assertEquals(stored.size, cases.length);
    for (const doc of stored.values()) {
      assertEquals(doc["@version"], "1");
      assert(typeof (doc.pscheduler as Record<string, unknown>).test_checksum === "string");
    }
    const list = await (await fetch(`${reader.url}/esmond/perfsonar/archive/?limit=100`)).json();
    const tools = list.map((m: Record<string, string>) => m["tool-name"]).sort();
    assert(tools.includes("pscheduler/iperf3") && tools.includes("pscheduler/traceroute"), tools);
    const trace = list.find((m: Record<string, string>) =>
      m["tool-name"] === "pscheduler/traceroute"
    );
    const points = await (await fetch(`${reader.url}${trace.uri}packet-trace/base?time-start=0`))
      .json();
    assertEquals(points.length, 1);
    assertEquals(points[0].val.length, 8);
  },
}));
