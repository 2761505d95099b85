// deno-lint-ignore-file no-explicit-any
// A real OpenSearch 2.19 node with perfSONAR's pscheduler template, data streams and lifecycle
// (lib/pscheduler/index_template.ts) accepts every document the model produces.
import { assert, assertEquals } from "../harness/assert.ts";
import { requirePrograms, SEARCH_ENGINE_PROGRAMS } from "../harness/programs.ts";
import { api, countDocs, startEngine } from "../collector_search/engine.ts";
import {
  logstashDocument,
  OFFLINE_RESOLVER,
  PSCHEDULER_ALIAS,
  pschedulerSetupRequests,
} from "../../lib/pscheduler/mod.ts";
import { runCases } from "./testdata.ts";

if (!Deno.env.get("SEARCH_ENGINE_HEAP")) Deno.env.set("SEARCH_ENGINE_HEAP", "512m");

// Bodies beyond the testdata: the pass-through and exception paths of the pipeline.
const EXTRA: { body: unknown; observer?: string }[] = [
  {
    body: {
      test: { type: "dns", spec: { query: "example.net", record: "a" } },
      tool: { name: "dnspy" },
      result: { succeeded: true, time: "PT0.031422S", record: [{ address: "192.0.2.7" }] },
    },
    observer: "192.0.2.9",
  },
  {
    body: {
      test: {
        type: "disk-to-disk",
        spec: { source: "http://192.0.2.1/f", dest: "/var/data/test.out" },
      },
      tool: { name: "curl" },
      result: { succeeded: true, time: "PT5.002407S", "bytes-sent": 10 },
    },
    observer: "192.0.2.9",
  },
  {
    body: {
      test: { type: "trace", spec: { dest: "2001:db8::1", "ip-version": 6 } },
      tool: { name: "tracepath" },
      result: { succeeded: false, error: "no route" },
    },
    observer: "2001:db8::9",
  },
];

Deno.test(requirePrograms(SEARCH_ENGINE_PROGRAMS, {
  name: "OpenSearch 2.19 with the pscheduler template accepts every produced document",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using engine = await startEngine("opensearch");
    for (const request of pschedulerSetupRequests()) {
      const response = await fetch(`${engine.url}${request.path}`, {
        method: request.method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request.body),
      });
      const text = await response.text();
      if (request.plugin && response.status === 400 && /no handler found/.test(text)) {
        console.warn(`the node has no ${request.plugin} plugin: ${request.path} not installed`);
        continue;
      }
      assert(response.ok, `${request.path}: ${response.status} ${text}`);
    }
    const produced = [
      ...await Promise.all(
        runCases().map((c) =>
          logstashDocument(c.body, { observer: c.headers["x-ps-observer"], resolver: c.resolver })
        ),
      ),
      ...await Promise.all(
        EXTRA.map((e) =>
          logstashDocument(e.body, { observer: e.observer, resolver: OFFLINE_RESOLVER })
        ),
      ),
    ];
    // What Logstash's opensearch output sends: bulk `create`, no id.
    const lines = produced.flatMap(({ index, document }) => [
      JSON.stringify({ create: { _index: index } }),
      JSON.stringify(document),
    ]);
    const response = await fetch(`${engine.url}/_bulk?refresh=true`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: lines.join("\n") + "\n",
    });
    const answer = await response.json();
    const errors = answer.items.filter((i: { create: { error?: unknown } }) => i.create.error)
      .map((i: { create: unknown }) => JSON.stringify(i.create));
    assertEquals(errors, []);
    assertEquals(answer.errors, false);
    assertEquals(await countDocs(engine.url, "pscheduler_*"), produced.length);

    const streams = await api(engine.url, "GET", "/_data_stream/pscheduler_*");
    const names = (streams.data_streams as { name: string; timestamp_field: { name: string } }[])
      .map((s) => s.name).sort();
    assertEquals(names, [
      "pscheduler_disk-to-disk",
      "pscheduler_dns",
      "pscheduler_latency",
      "pscheduler_latencybg",
      "pscheduler_rtt",
      "pscheduler_throughput",
      "pscheduler_trace",
    ]);
    const count = await api(engine.url, "GET", `/${PSCHEDULER_ALIAS}/_count`);
    assertEquals(count.count, produced.length);

    const mapping = await api(engine.url, "GET", "/pscheduler_latency/_mapping");
    const props = (Object.values(mapping)[0] as { mappings: { properties: Record<string, any> } })
      .mappings.properties;
    assertEquals(props.meta.properties.source.properties.ip.type, "ip");
    assertEquals(props.meta.properties.observer.properties.ip.type, "ip");
    assertEquals(props.result.properties.latency.properties.histogram.enabled, false);
    assertEquals(props.result.properties.latency.properties.mean.type, "float");
    assertEquals(props.pscheduler.properties.start_time.type, "date");
    assertEquals(props.pscheduler.properties.test_checksum.fields.keyword.type, "keyword");
    const trace = await api(engine.url, "GET", "/pscheduler_trace/_mapping");
    const tprops = (Object.values(trace)[0] as { mappings: { properties: Record<string, any> } })
      .mappings.properties;
    assertEquals(tprops.result.properties.hop.properties.ip.type, "ip");
    assertEquals(tprops.result.properties.json.enabled, false);

    // The stored _source is the document as produced (histogram kept though not indexed).
    const hits = await api(engine.url, "POST", "/pscheduler_latencybg/_search", { size: 1 });
    const source = (hits.hits as { hits: { _source: any }[] }).hits[0]._source;
    assertEquals(source.result.latency.histogram.values.length, 19);
    assertEquals(
      source.pscheduler.test_checksum,
      "dbbb502d2043e6903daabeeab8020440667c0923c0b1a803b9a862aedbbe4609",
    );
  },
}));
