/**
 * The samples of `testdata/pscheduler/` by name, with the Logstash document and the esmond
 * archiver's view of each (plain JSON), for the `model_*_test.ts` files.
 *
 * @module
 */
import { esmondView, logstashDocument } from "../../lib/pscheduler/mod.ts";
import { type RunCase, runCases } from "./testdata.ts";

/** Every sample by its name (e.g. `rtt-ping`). */
export const CASES = new Map(runCases().map((c) => [c.name, c]));

// deno-lint-ignore no-explicit-any
export type Json = any;

/** The document Logstash would index for sample `name`, with its observer header and names. */
export async function sampleDocument(
  name: string,
): Promise<{ index: string; doc: Json; text: string }> {
  const c = CASES.get(name)!;
  const out = await logstashDocument(c.body, {
    observer: c.headers["x-ps-observer"],
    resolver: c.resolver,
  });
  const text = JSON.stringify(out.document);
  return { index: out.index, doc: JSON.parse(text), text };
}

/** The esmond archiver's view of sample `name`: metadata and values by event type. */
export async function esmondOf(
  name: string,
): Promise<{ metadata: Json; values: Map<string, Json> }> {
  const c: RunCase = CASES.get(name)!;
  const view = await esmondView(c.body, {
    resolver: c.resolver,
    measurementAgent: c.measurementAgent,
  });
  const plain = JSON.parse(JSON.stringify(view));
  const values = new Map<string, Json>();
  for (const v of plain.data.data[0].val) values.set(v["event-type"], v.val);
  return { metadata: plain.metadata, values };
}

/** The event types the metadata lists, in order. */
export function eventTypes(metadata: Json): string[] {
  return metadata["event-types"].map((e: Json) => e["event-type"]);
}
