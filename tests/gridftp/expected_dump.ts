/**
 * What the archive must hold after loading one shared log, built from the data README's
 * `expected.json` (the facts the data's author computed from the files) and the archive's
 * storage rules: free-form values come back as strings, integer event types are truncated.
 *
 * @module
 */
import { canonical, type DumpedMetadata } from "./archive_dump.ts";
import { JSON_EVENT_TYPES } from "../../cli/gridftp/json_transfer.ts";
import { testDataUrl } from "../harness/test_data.ts";

const DATA = testDataUrl("gridftp");

interface ExpectedRecord {
  action: "post" | "skip";
  metadata?: Record<string, unknown>;
  optional?: Record<string, unknown>;
  put?: { data: { ts: number; val: { "event-type": string; val: unknown }[] }[] };
  post_failure?: { ts: number; val: unknown };
}

/** Path of a shared GridFTP log. */
export function sharedLog(name: string): string {
  return new URL(name, DATA).pathname;
}

/**
 * The canonical archive content expected after loading `file` (optionally with -F -N -V).
 *
 * @example
 * ```ts
 * import { expectedDump } from "./expected_dump.ts";
 * const want = await expectedDump("transfer.log", false);
 * ```
 */
export async function expectedDump(file: string, sensitive: boolean): Promise<DumpedMetadata[]> {
  const all = JSON.parse(await Deno.readTextFile(new URL("expected.json", DATA)));
  const records: ExpectedRecord[] = all[file].records;
  const byMeta = new Map<string, DumpedMetadata>();
  for (const record of records) {
    if (record.action !== "post") continue;
    const fields: Record<string, string> = {};
    let eventTypes: string[] = [];
    for (const [key, value] of Object.entries(record.metadata!)) {
      if (key === "event-types") {
        eventTypes = (value as { "event-type": string }[]).map((e) => e["event-type"]);
      } else {
        fields[key] = String(value);
      }
    }
    if (sensitive) {
      for (const [key, value] of Object.entries(record.optional ?? {})) {
        if (value !== null) fields[key] = String(value);
      }
    }
    if (file.endsWith(".json.log")) eventTypes = [...JSON_EVENT_TYPES];
    const id = JSON.stringify([fields, eventTypes]);
    const entry = byMeta.get(id) ?? { fields, eventTypes, data: {} };
    byMeta.set(id, entry);
    const points = record.put
      ? record.put.data.flatMap((d) => d.val.map((v) => [d.ts, v["event-type"], v.val] as const))
      : [[record.post_failure!.ts, "failures", record.post_failure!.val] as const];
    for (const [ts, type, val] of points) {
      const series = entry.data[type] ??= [];
      const stored = type === "throughput" ? Math.trunc(val as number) : val;
      const at = series.findIndex(([t]) => t === ts);
      // Numeric duplicates are refused (first wins); JSON values are replaced (last wins).
      if (at < 0) series.push([ts, stored]);
      else if (type !== "throughput") series[at] = [ts, stored];
    }
  }
  return canonical([...byMeta.values()]);
}
