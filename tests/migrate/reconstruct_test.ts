/**
 * The migration against perfSONAR's own model, on every real run of `testdata/pscheduler/`:
 * the esmond data pScheduler's esmond archiver would have written for the run (lib/pscheduler's
 * esmond view) is migrated back into a document, and that document's esmond view (the
 * OpenSearch backend's, lib/opensearch) serves the same values again. Where esmond keeps enough
 * of the spec, the test checksum is the one Logstash computed for the original run.
 *
 * @module
 */
import { assert, assertEquals } from "../harness/mod.ts";
import { canonicalJson, esmondView, logstashDocument } from "../../lib/pscheduler/mod.ts";
import { esmondViewOf } from "../../lib/opensearch/mod.ts";
import {
  runDocument,
  seriesTemplate,
  splitFailures,
} from "../../lib/pscheduler/esmond_run_document.ts";
import { plain } from "../../lib/pscheduler/esmond_run_result.ts";
import { runCases } from "../pscheduler/testdata.ts";

/** Runs whose spec esmond keeps completely (source and dest given, no other key). */
const SAME_CHECKSUM = new Set(["throughput-tcp-iperf3"]);

// Key order is not part of an esmond value (histogram buckets come back ascending).
const json = (v: unknown) => canonicalJson(plain(v));

for (const c of runCases()) {
  Deno.test(`migrated ${c.name} serves its esmond values again`, async () => {
    const view = await esmondView(c.body, {
      resolver: c.resolver,
      measurementAgent: c.measurementAgent,
    });
    const original = await logstashDocument(c.body, {
      observer: c.headers["x-ps-observer"],
      resolver: c.resolver,
    });
    const point = view.data.data[0];
    const values = new Map(point.val.map((v) => [v["event-type"], v.val]));
    const template = seriesTemplate({ ...view.metadata, "metadata-key": "0123456789abcdef" });
    const docs = splitFailures(values).map((p) =>
      runDocument(template, point.ts, p.values, p.variant)
    );
    assertEquals(docs.map((d) => d.index), [original.index]);
    const served = new Map<string, unknown>();
    for (const doc of docs) {
      assertEquals(doc.unmapped, []);
      const run = esmondViewOf(doc.document)!;
      assert(run !== undefined, "the OpenSearch view reads the migrated document");
      assertEquals(run.data[0].ts, point.ts);
      for (const v of run.data[0].val) served.set(v["event-type"], v.val);
    }
    for (const [eventType, val] of values) {
      assertEquals([eventType, json(served.get(eventType))], [eventType, json(val)]);
    }
    const checksum = (original.document.pscheduler as Record<string, unknown>).test_checksum;
    const migrated = (docs[0].document.pscheduler as Record<string, unknown>).test_checksum;
    assertEquals(migrated === checksum, SAME_CHECKSUM.has(c.name), `checksum of ${c.name}`);
  });
}
