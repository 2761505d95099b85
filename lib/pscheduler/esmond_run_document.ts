/**
 * One perfSONAR 5 run document from one esmond metadata and the values folded at one `ts`
 * (spec §4.3): `test` reconstructed, `pscheduler.*` with the test checksum of that test and
 * the original esmond key (`pscheduler.esmond_key`), `meta` from source / destination /
 * measurement agent, `result` from the event types, a deterministic `_id`. Pure.
 *
 * @module
 */
import { isIP } from "node:net";
import { orderedEntries } from "../esmond/py_json/parse.ts";
import { float, numberOf } from "./json_value.ts";
import { reshapeResult } from "./result_stages.ts";
import { sha256Hex, testChecksum } from "./canonical_json.ts";
import { buildResult, plain as plainValue } from "./esmond_run_result.ts";
import { type ReconstructedTest, reconstructTest } from "./esmond_test_spec.ts";

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
  /** For an http-archiver body: the `x-ps-observer` header. */
  readonly observer?: string;
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
 * The deterministic document id of a run (`variant` tells apart the documents one `ts` may
 * give, see {@linkcode splitFailures}).
 *
 * @example
 * ```ts
 * import { documentId } from "./esmond_run_document.ts";
 * if (documentId("K", 1) !== documentId("K", 1) || documentId("K", 1).length !== 64) throw new Error();
 * ```
 */
export function documentId(key: string, ts: number, variant?: string): string {
  return sha256Hex(variant === undefined ? `${key}\n${ts}` : `${key}\n${ts}\n${variant}`);
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
 * import { seriesTemplate } from "./esmond_run_document.ts";
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
 * import { metadataEventTypes } from "./esmond_run_document.ts";
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
  const text = new Date(seconds * 1000).toISOString();
  return text.endsWith(".000Z") ? `${text.slice(0, -5)}Z` : text;
}

// Stage 06 changes `test.spec` (durations to seconds) for these types only.
const RESHAPES_SPEC = new Set(["rtt", "throughput", "trace"]);

// Whether a value is plain JSON data (what structuredClone copies without changing its JSON).
function plainJson(value: unknown): boolean {
  if (value === null || typeof value !== "object") return typeof value !== "function";
  if (Array.isArray(value)) return value.every(plainJson);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every(plainJson);
}

const sharedSpecs = new WeakMap<object, boolean>();

// The `test.spec` of a run document: the template's own object when stage 06 leaves it alone
// and it is plain data (the documents only get serialised), else a copy per document.
function specOf(test: ReconstructedTest): unknown {
  const spec = test.spec as unknown;
  if (RESHAPES_SPEC.has(test.type) || spec === null || typeof spec !== "object") {
    return structuredClone(spec);
  }
  let plain = sharedSpecs.get(spec);
  if (plain === undefined) sharedSpecs.set(spec, plain = plainJson(spec));
  return plain ? spec : structuredClone(spec);
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
 * import { runDocument, seriesTemplate } from "./esmond_run_document.ts";
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
  variant?: string,
): MigratedDocument {
  const built = buildResult(template.test.type, values);
  const unmapped = [...built.unmapped];
  // Stage 06 of the pipeline model turns the rebuilt pScheduler result into the document's.
  const event: Record<string, unknown> = {
    test: { type: template.test.type, spec: specOf(template.test) },
    result: built.result,
  };
  reshapeResult(event, template.test.type, (error) => {
    unmapped.push(`pipeline error: ${error.message}`);
  });
  const pathMtu = numberOf(plainValue(values.get("path-mtu")));
  if (template.test.type === "trace" && pathMtu !== undefined && event.result !== undefined) {
    // esmond's own figure (hops may not carry theirs).
    (event.result as Record<string, unknown>).mtu = pathMtu;
  }
  const start = iso(ts);
  const pscheduler: Record<string, unknown> = { start_time: start };
  if (template.duration !== undefined) {
    pscheduler.end_time = iso(ts + template.duration);
    pscheduler.duration = float(template.duration); // Logstash writes seconds as a float
  }
  if (template.test.tool !== null) pscheduler.tool = template.test.tool;
  Object.assign(pscheduler, hrefParts(values.get("pscheduler-run-href")));
  pscheduler.test_checksum = template.checksum;
  pscheduler.esmond_key = template.key;
  const document: Record<string, unknown> = {
    "@timestamp": start,
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
    id: documentId(template.key, ts, variant),
    document,
    unmapped,
  };
}

/**
 * A float esmond served (`units / 10000`) as a number esmond's `int(v × 10000)` turns into the
 * same units again: where `v × 10000` falls just below the integer in binary (`0.0003 × 10000`
 * = 2.9999999999999996), the next double away from zero, so an archive that stores the run as
 * esmond does serves the original value. Other numbers are returned as they are.
 *
 * @example
 * ```ts
 * import { esmondFloat } from "./esmond_run_document.ts";
 * if (Math.trunc(esmondFloat(0.0003) * 10000) !== 3 || esmondFloat(0.5) !== 0.5) throw new Error();
 * ```
 */
export function esmondFloat(value: number): number {
  const units = Math.round(value * 10000);
  if (units / 10000 !== value || Math.trunc(value * 10000) === units) return value;
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, value);
  bits.setBigUint64(0, bits.getBigUint64(0) + 1n); // one ulp more magnitude, same sign
  return bits.getFloat64(0);
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20, 32)
  }`;
}

/**
 * The pScheduler http-archiver body (spec §1.3) of one run, for a target that runs the
 * Logstash pipeline itself (`esmond-ps-archive`'s `/logstash` ingest). The run id is derived
 * from the document id, so a re-sent run is the same run. `observer` is the
 * `x-ps-observer` header to send (the esmond measurement agent).
 *
 * @example
 * ```ts
 * import { runBody, seriesTemplate } from "./esmond_run_document.ts";
 * const t = seriesTemplate({ "metadata-key": "K", "time-duration": "20", "measurement-agent": "192.0.2.1",
 *   "event-types": [{ "event-type": "throughput" }] });
 * const { body, observer } = runBody(t, 1700000000, new Map([["throughput", 1e9]]));
 * if (observer !== "192.0.2.1" || (body.task as { detail: { duration: string } }).detail.duration !== "PT20S") {
 *   throw new Error();
 * }
 * ```
 */
export function runBody(
  template: SeriesTemplate,
  ts: number,
  values: ReadonlyMap<string, unknown>,
  variant?: string,
): { body: Record<string, unknown>; observer?: string; unmapped: string[]; id: string } {
  const built = buildResult(template.test.type, values);
  const clock = built.result["max-clock-error"];
  // The archive keeps time-error-estimates as esmond does (int(v × 10000)).
  if (typeof clock === "number") built.result["max-clock-error"] = esmondFloat(clock);
  const id = documentId(template.key, ts, variant);
  const href = hrefParts(values.get("pscheduler-run-href"));
  const run: Record<string, unknown> = { "start-time": iso(ts) };
  const task: Record<string, unknown> = { detail: {} };
  if (template.duration !== undefined) {
    run["end-time"] = iso(ts + template.duration);
    (task.detail as Record<string, unknown>).duration = `PT${template.duration}S`;
  }
  if (typeof href.run_href === "string") run.href = href.run_href;
  if (typeof href.task_href === "string") task.href = href.task_href;
  const body: Record<string, unknown> = {
    id: typeof href.run_id === "string" ? href.run_id : uuidOf(id),
    // esmond may not know the duration (traces): zero, as pScheduler writes for instant tests.
    schedule: { start: iso(ts), duration: `PT${template.duration ?? 0}S` },
    test: { type: template.test.type, spec: template.test.spec },
    tool: template.test.tool === null ? {} : { name: template.test.tool },
    run,
    task,
    result: built.result,
    reference: template.reference ?? null,
  };
  const observer = (template.meta.observer as { ip?: string } | undefined)?.ip;
  // The lead participant: the measurement agent (pScheduler's esmond view takes it as such).
  const lead = observer ?? (template.meta.source as { ip?: string } | undefined)?.ip;
  if (lead !== undefined) body.participants = [lead];
  return { body, observer, unmapped: built.unmapped, id };
}

/**
 * The documents one fold becomes. A pScheduler run either failed or has results; esmond can
 * hold both at one `ts` (a failure and measurements). Such a fold becomes two runs at the same
 * time — the failure (variant `failures`) and the measurements — so both are served again.
 *
 * @example
 * ```ts
 * import { splitFailures } from "./esmond_run_document.ts";
 * const parts = splitFailures(new Map<string, unknown>([["failures", { error: "x" }], ["throughput", 1]]));
 * if (parts.length !== 2 || parts[1].variant !== "failures") throw new Error();
 * ```
 */
export function splitFailures(
  values: ReadonlyMap<string, unknown>,
): { values: ReadonlyMap<string, unknown>; variant?: string }[] {
  if (!values.has("failures")) return [{ values }];
  const rest = new Map([...values].filter(([k]) => k !== "failures"));
  const measured = [...rest.keys()].some((k) => k !== "pscheduler-run-href");
  if (!measured) return [{ values }];
  const failed = new Map([...values].filter(([k]) => k === "failures"));
  return [{ values: rest }, { values: failed, variant: "failures" }];
}
