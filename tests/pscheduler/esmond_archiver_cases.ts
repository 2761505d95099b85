/**
 * The esmond archiver's view (spec §4.1) of a `runBody` body, as plain JSON, for the
 * `esmond_archiver_*_test.ts` files: a name table where `ps1.example.net` (the lead) resolves
 * to both families and `ps2.example.net` to IPv4 only.
 *
 * @module
 */
import { esmondView, tableResolver } from "../../lib/pscheduler/mod.ts";

// deno-lint-ignore no-explicit-any
export type Json = any;

/** The view's metadata, its values by event type, the event types in order and the time. */
export async function esmond(
  body: unknown,
  options: { measurementAgent?: string } = {},
): Promise<{ metadata: Json; values: Map<string, Json>; order: string[]; ts: number }> {
  const view = await esmondView(body, {
    resolver: tableResolver({
      forward: {
        "ps1.example.net": { ipv4: ["192.0.2.9"], ipv6: ["2001:db8::9"] },
        "ps2.example.net": { ipv4: ["198.51.100.2"] },
      },
    }),
    ...options,
  });
  const plain = JSON.parse(JSON.stringify(view));
  const values = new Map<string, Json>();
  for (const v of plain.data.data[0].val) values.set(v["event-type"], v.val);
  return {
    metadata: plain.metadata,
    values,
    order: plain.data.data[0].val.map((v: Json) => v["event-type"]),
    ts: plain.data.data[0].ts,
  };
}

/** The event types the metadata lists, in order. */
export const eventTypes = (m: Json) => m["event-types"].map((e: Json) => e["event-type"]);

/** `summary-type/summary-window` of each summary of event type `et`. */
export const summariesOf = (m: Json, et: string) =>
  m["event-types"].find((e: Json) => e["event-type"] === et)?.summaries?.map((
    s: Json,
  ) => `${s["summary-type"]}/${s["summary-window"]}`);
