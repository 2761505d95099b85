/**
 * One perfSONAR 5 run document from one esmond metadata and the values folded at one `ts`
 * (spec §4.3): `test` reconstructed, `pscheduler.*` with the test checksum of that test and
 * the original esmond key (`pscheduler.esmond_key`), `meta` from source / destination /
 * measurement agent, `result` from the event types, a deterministic `_id`. Pure.
 *
 * @module
 */
import { isIP } from "node:net";
import { orderedEntries } from "../../lib/esmond/py_json.ts";
import { reshapeResult, sha256Hex, testChecksum } from "../../lib/pscheduler/mod.ts";
import { buildResult } from "./result.ts";
import { type ReconstructedTest, reconstructTest } from "./test_spec.ts";

/** The field of a migrated document that holds the original esmond metadata key. */
export const ESMOND_KEY_FIELD = "pscheduler.esmond_key";

/** A document ready for a bulk `create`. */
export interface MigratedDocument {
  /** `pscheduler_<type>`. */
  readonly index: string;
  /** Deterministic `_id`: SHA-256 hex of `<esmond key>\n<ts>`. */
  readonly id: string;
  /** The document body. */
  readonly document: Record<string, unknown>;
  /** Event types of the fold that have no field in this document. */
  readonly unmapped: readonly string[];
}

/** What is fixed per metadata, computed once for all its runs. */
export interface SeriesTemplate {
  /** The esmond metadata key. */
  readonly key: string;
  /** The reconstructed test. */
  readonly test: ReconstructedTest;
  /** The test checksum. */
  readonly checksum: string;
  /** `meta`. */
  readonly meta: Record<string, unknown>;
  /** `pscheduler.duration` in seconds, if known. */
  readonly duration?: number;
  /** `reference`, rebuilt from `pscheduler-reference-*`. */
  readonly reference?: Record<string, unknown>;
  /** `bw-parallel-streams`. */
  readonly parallel: number;
}

/**
 * The deterministic document id of a run.
 *
 * @example
 * ```ts
 * import { documentId } from "./document.ts";
 * if (documentId("K", 1) !== documentId("K", 1) || documentId("K", 1).length !== 64) throw new Error();
 * ```
 */
export function documentId(key: string, ts: number): string {
  return sha256Hex(`${key}\n${ts}`);
}

function endpoint(ip: unknown, name: unknown): Record<string, unknown> | undefined {
  if (typeof ip !== "string" || ip === "") return undefined;
  const hostname = typeof name === "string" && name !== "" && isIP(name) === 0 ? name : ip;
  return { ip, hostname };
}

/**
 * The per-metadata part of the documents.
 *
 * @example
 * ```ts
 * import { seriesTemplate } from "./document.ts";
 * const t = seriesTemplate({
 *   "metadata-key": "K", source: "10.0.0.1", destination: "10.0.0.2", "measurement-agent": "10.0.0.1",
 *   "input-source": "a.example.net", "input-destination": "10.0.0.2",
 *   "event-types": [{ "event-type": "throughput" }],
 * });
 * if (JSON.stringify(t.meta) !== '{"source":{"ip":"10.0.0.1","hostname":"a.example.net"},"destination":{"ip":"10.0.0.2","hostname":"10.0.0.2"},"observer":{"ip":"10.0.0.1"},"ip_version":4}') {
 *   throw new Error(JSON.stringify(t.meta));
 * }
 * ```
 */
export function seriesTemplate(md: Readonly<Record<string, unknown>>): SeriesTemplate {
  const eventTypes = metadataEventTypes(md);
  const test = reconstructTest(md, eventTypes);
  const meta: Record<string, unknown> = {};
  const source = endpoint(md.source, md["input-source"]);
  const destination = endpoint(md.destination, md["input-destination"]);
  if (source) meta.source = source;
  if (destination) meta.destination = destination;
  const agent = md["measurement-agent"];
  if (typeof agent === "string" && agent !== "") meta.observer = { ip: agent };
  const family = isIP(String(md.source ?? md.destination ?? ""));
  if (family !== 0) meta.ip_version = family;
  const duration = Number(md["time-duration"]);
  const reference: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(md)) {
    if (k.startsWith("pscheduler-reference-")) {
      reference[k.slice("pscheduler-reference-".length)] = v;
    }
  }
  return {
    key: String(md["metadata-key"] ?? ""),
    test,
    // Stage 02 runs before meta exists: observer_ip is always null (spec §2.3).
    checksum: testChecksum({ type: test.type, spec: test.spec }, null, test.tool),
    meta,
    duration: md["time-duration"] !== undefined && Number.isFinite(duration) ? duration : undefined,
    reference: Object.keys(reference).length > 0 ? reference : undefined,
    parallel: Number(md["bw-parallel-streams"] ?? 1) || 1,
  };
}

/**
 * The event-type names of a metadata record.
 *
 * @example
 * ```ts
 * import { metadataEventTypes } from "./document.ts";
 * metadataEventTypes({ "event-types": [{ "event-type": "throughput" }] }); // ["throughput"]
 * ```
 */
export function metadataEventTypes(md: Readonly<Record<string, unknown>>): string[] {
  const list = md["event-types"];
  if (!Array.isArray(list)) return [];
  return list
    .map((et) => (et as Record<string, unknown>)?.["event-type"])
    .filter((name): name is string => typeof name === "string");
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

function hrefParts(value: unknown): Record<string, unknown> {
  const href = value instanceof Map || (value !== null && typeof value === "object")
    ? new Map(orderedEntries(value)).get("href")
    : value;
  if (typeof href !== "string" || href === "") return {};
  const out: Record<string, unknown> = { run_href: href };
  const runs = href.indexOf("/runs/");
  if (runs !== -1) {
    out.run_id = href.slice(runs + "/runs/".length);
    out.task_href = href.slice(0, runs);
    const tasks = href.indexOf("/tasks/");
    if (tasks !== -1 && tasks < runs) out.task_id = href.slice(tasks + "/tasks/".length, runs);
  }
  return out;
}

/**
 * The document of one run.
 *
 * @example
 * ```ts
 * import { runDocument, seriesTemplate } from "./document.ts";
 * const t = seriesTemplate({ "metadata-key": "K", "time-duration": "20", "event-types": [{ "event-type": "throughput" }] });
 * const d = runDocument(t, 1700000000, new Map([["throughput", 1e9]]));
 * d.index; // "pscheduler_throughput"
 * if ((d.document.pscheduler as Record<string, unknown>).end_time !== "2023-11-14T22:13:40Z") throw new Error();
 * ```
 */
export function runDocument(
  template: SeriesTemplate,
  ts: number,
  values: ReadonlyMap<string, unknown>,
): MigratedDocument {
  const built = buildResult(template.test.type, values);
  const unmapped = [...built.unmapped];
  // Stage 06 of the pipeline model turns the rebuilt pScheduler result into the document's.
  const event: Record<string, unknown> = {
    test: { type: template.test.type, spec: structuredClone(template.test.spec) },
    result: built.result,
  };
  reshapeResult(event, template.test.type, (error) => {
    unmapped.push(`pipeline error: ${error.message}`);
  });
  const pscheduler: Record<string, unknown> = { start_time: iso(ts) };
  if (template.duration !== undefined) {
    pscheduler.end_time = iso(ts + template.duration);
    pscheduler.duration = template.duration;
  }
  if (template.test.tool !== null) pscheduler.tool = template.test.tool;
  Object.assign(pscheduler, hrefParts(values.get("pscheduler-run-href")));
  pscheduler.test_checksum = template.checksum;
  pscheduler.esmond_key = template.key;
  const document: Record<string, unknown> = {
    "@timestamp": iso(ts),
    "@version": "1",
  };
  if (typeof pscheduler.run_id === "string") document.id = pscheduler.run_id;
  document.test = event.test;
  document.pscheduler = pscheduler;
  if (Object.keys(template.meta).length > 0) document.meta = template.meta;
  if (event.result !== undefined) document.result = event.result;
  if (template.reference !== undefined) document.reference = template.reference;
  return {
    index: `pscheduler_${template.test.type}`,
    id: documentId(template.key, ts),
    document,
    unmapped,
  };
}
