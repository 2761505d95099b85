/**
 * The write endpoints: metadata creation, single point, bulk PUT (spec §6). Every write is
 * one SQLite transaction, so a refused request leaves nothing behind.
 *
 * @module
 */
import { eventTypeInfo } from "../esmond/event_types.ts";
import { created, detail, jsonText } from "./http_util.ts";
import { metadataChecksum, parseMetadataPost } from "./metadata_post.ts";
import { noteWrite } from "./metadata_store.ts";
import {
  isPyObject,
  parsePyJsonTree,
  PyJsonSyntaxError,
  PyObject,
  type PyValue,
} from "../esmond/py_json/mod.ts";
import type { RequestContext } from "./read_handlers.ts";
import { renderMetadata } from "./render.ts";
import type { ArchiveDb } from "./schema.ts";
import type { PointWrite } from "./series_store.ts";
import type { WriteStore } from "./write_store.ts";
import { MAX_TIMESTAMP, pyInt, pyTimestamp, validateValue, ValueError } from "./values.ts";

// esmond's own message stays as it is for what esmond refuses too (spec §6); what esmond
// stored wrongly (true, 1e20) gets the rule appended.
function tsWhy(value: PyValue | undefined): string {
  const n = pyInt(value);
  const digits = typeof value === "string" && /^\s*\+?\d+\s*$/.test(value);
  const esmondRefuses = (n === undefined && !digits) || (n !== undefined && n < 0);
  return esmondRefuses ? "" : `: field ts must be an integer from 0 to ${MAX_TIMESTAMP}`;
}
import { WriteRejected } from "./points_table.ts";

/**
 * Parses a write body with esmond's checks and messages (content type, empty, JSON).
 *
 * @example
 * ```ts
 * import { parseWriteBody } from "./write_handlers.ts";
 * parseWriteBody("application/json", '{"ts":1,"val":2}');
 * ```
 */
export function parseWriteBody(
  contentType: string | null,
  text: string,
  fast?: (plain: unknown) => PyValue | undefined,
): PyValue {
  if (!(contentType ?? "").toLowerCase().startsWith("application/json")) {
    throw new ValueError(
      "Must post content-type: application/json header and json-formatted payload.",
    );
  }
  if (text.trim() === "") throw new ValueError("No data payload POSTed.");
  if (fast) {
    let plain: unknown;
    try {
      plain = JSON.parse(text);
    } catch {
      plain = undefined; // the full parser below reports the error
    }
    const value = plain === undefined ? undefined : fast(plain);
    if (value !== undefined) return value;
  }
  try {
    return parsePyJsonTree(text);
  } catch (error) {
    if (!(error instanceof PyJsonSyntaxError)) throw error;
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new ValueError(
      `POST data payload could not be decoded to a JSON object - given: ${shown}`,
    );
  }
}

/**
 * Runs `work` inside one write transaction, rolling back on any error.
 *
 * @example
 * ```ts
 * import { inTransaction } from "./write_handlers.ts";
 * // inTransaction(db, () => …);
 * ```
 */
export function inTransaction<T>(db: ArchiveDb, work: () => T): T {
  db.writer.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.writer.exec("COMMIT");
    noteWrite();
    return result;
  } catch (error) {
    db.writer.exec("ROLLBACK");
    noteWrite(); // records cached inside the transaction are void now
    throw error;
  }
}

// The backend writes go to (a read-only backend has none).
function writeStore(ctx: RequestContext): WriteStore {
  if (!ctx.writes) throw new WriteRejected(405, "This archive is read-only.");
  return ctx.writes;
}

/**
 * `POST archive/`: creates the metadata, or returns the identical one; 201 either way.
 *
 * @example
 * ```ts
 * import { createMetadata } from "./write_handlers.ts";
 * // await createMetadata(ctx, body);
 * ```
 */
export async function createMetadata(ctx: RequestContext, body: PyValue): Promise<Response> {
  const desc = parseMetadataPost(body, ctx.limits);
  const checksum = await metadataChecksum(desc);
  const record = await writeStore(ctx).createMetadata(desc, checksum);
  const url = `${ctx.mount.origin}${ctx.mount.archivePath}${record.key}/`;
  return jsonText(renderMetadata(ctx.mount, record), 201, { location: url });
}

function timestamp(value: PyValue | undefined): number {
  const ts = pyTimestamp(value);
  if (ts === undefined) throw new ValueError(`Time must be a unix timestamp${tsWhy(value)}`);
  return ts;
}

function pointFor(eventType: string, ts: number, val: PyValue, where = ""): PointWrite {
  const info = eventTypeInfo(eventType);
  if (!info) throw new ValueError(`Invalid event type ${eventType}${where}`);
  try {
    return { eventType, ts, value: validateValue(info.dataType, val) };
  } catch (error) {
    if (error instanceof ValueError && where) throw new ValueError(`${error.message}${where}`);
    throw error;
  }
}

async function commitPoints(
  ctx: RequestContext,
  key: string,
  points: PointWrite[],
): Promise<Response> {
  const found = await writeStore(ctx).writePoints(key, points, ctx.now);
  return found ? created() : detail(404, `Metadata ${key} not found.`);
}

/**
 * `POST archive/<key>/<event-type>/base`: one point.
 *
 * @example
 * ```ts
 * import { postPoint } from "./write_handlers.ts";
 * // postPoint(ctx, key, "throughput", "base", body);
 * ```
 */
export function postPoint(
  ctx: RequestContext,
  key: string,
  eventType: string,
  summary: string,
  body: PyValue,
): Promise<Response> {
  if (!isPyObject(body)) throw new ValueError("Data point must be a JSON object");
  if (!body.has("ts")) throw new ValueError("Required field ts not provided in request");
  const ts = timestamp(body.get("ts"));
  if (!body.has("val")) throw new ValueError("Required field val not provided in request");
  if (!eventTypeInfo(eventType)) throw new ValueError(`Invalid event type ${eventType}`);
  if (summary !== "base") {
    throw new ValueError(`Only base summary-type allowed for writing. Cannot use ${summary}`);
  }
  return commitPoints(ctx, key, [pointFor(eventType, ts, body.get("val")!)]);
}

const ORDER_FREE: ReadonlySet<string> = new Set(["integer", "float", "percentage"]);

// A view of a natively parsed object as a PyObject, converting members only when read: a
// bulk body of numbers then costs one small wrapper per object instead of a full copy.
class NativeObject extends PyObject {
  readonly #native: Record<string, unknown>;
  #converted: [string, PyValue][] | undefined;

  constructor(native: Record<string, unknown>) {
    super();
    this.#native = native;
  }

  override get entries(): [string, PyValue][] {
    return this.#converted ??= Object.entries(this.#native).map(([k, v]) => [k, fromNative(v)]);
  }

  override get(key: string): PyValue | undefined {
    return Object.hasOwn(this.#native, key) ? fromNative(this.#native[key]) : undefined;
  }

  override has(key: string): boolean {
    return Object.hasOwn(this.#native, key);
  }

  override set(): void {
    throw new Error("read-only view");
  }
}

function fromNative(value: unknown): PyValue {
  if (Array.isArray(value)) return value.map(fromNative);
  if (value !== null && typeof value === "object") {
    return new NativeObject(value as Record<string, unknown>);
  }
  return value as PyValue;
}

/**
 * The natively parsed bulk body as a {@linkcode PyValue}, when nothing in it needs the
 * order- and float-preserving parser: every value belongs to an integer, float or percentage
 * event type, whose values are numbers (the native parser is about seven times faster).
 * Undefined otherwise.
 *
 * @example
 * ```ts
 * import { fastBulkBody } from "./write_handlers.ts";
 * fastBulkBody({ data: [{ ts: 1, val: [{ "event-type": "throughput", val: 5 }] }] });
 * ```
 */
export function fastBulkBody(plain: unknown): PyValue | undefined {
  const data = (plain as { data?: unknown })?.data;
  if (!Array.isArray(data)) return undefined;
  for (const item of data) {
    const values = (item as { val?: unknown })?.val;
    if (!Array.isArray(values)) return undefined;
    for (const value of values) {
      const name = (value as { "event-type"?: unknown })?.["event-type"];
      const info = typeof name === "string" ? eventTypeInfo(name) : undefined;
      if (!info || !ORDER_FREE.has(info.dataType)) return undefined;
    }
  }
  return fromNative(plain);
}

/**
 * The points of a bulk body (`{"data": [{"ts", "val": [{"event-type", "val"}…]}…]}`),
 * validated with esmond's messages; throws {@linkcode ValueError}.
 *
 * @example
 * ```ts
 * import { parseBulkPoints } from "./write_handlers.ts";
 * import { parsePyJsonTree } from "../esmond/py_json/tree.ts";
 * import assert from "node:assert/strict";
 * const points = parseBulkPoints(
 *   parsePyJsonTree('{"data":[{"ts":1,"val":[{"event-type":"throughput","val":5}]}]}'),
 * );
 * assert.equal(points.length, 1);
 * ```
 */
export function parseBulkPoints(body: PyValue): PointWrite[] {
  if (!isPyObject(body) || !body.has("data")) {
    throw new ValueError("Request must contain 'data' element");
  }
  const data = body.get("data");
  if (!Array.isArray(data)) throw new ValueError("The 'data' element must be an array");
  const points: PointWrite[] = [];
  data.forEach((item, index) => {
    const i = index + 1;
    if (!isPyObject(item) || !item.has("ts")) {
      throw new ValueError(`Missing ts field in provided data list at position ${i}`);
    }
    if (!item.has("val")) {
      throw new ValueError(`Missing val field in provided data list at position ${i}`);
    }
    const ts = pyTimestamp(item.get("ts"));
    if (ts === undefined) {
      throw new ValueError(
        `Time must be a unix timestamp in provided data list at position ${i}${
          tsWhy(item.get("ts"))
        }`,
      );
    }
    const values = item.get("val");
    if (!Array.isArray(values)) {
      throw new ValueError(`'val' field must be an array in provided data list at position ${i}`);
    }
    values.forEach((value, vIndex) => {
      const j = vIndex + 1;
      if (!isPyObject(value) || typeof value.get("event-type") !== "string") {
        throw new ValueError(`Missing event-type field at data item ${i} in value ${j} `);
      }
      if (!value.has("val")) {
        throw new ValueError(`Missing val field at data item ${i} in value ${j}`);
      }
      const eventType = value.get("event-type") as string;
      points.push(pointFor(eventType, ts, value.get("val")!, ` (data item ${i}, value ${j})`));
    });
  });
  return points;
}

/**
 * `PUT archive/<key>/`: many points of several event types, all or nothing.
 *
 * @example
 * ```ts
 * import { putBulk } from "./write_handlers.ts";
 * // putBulk(ctx, key, body);
 * ```
 */
export function putBulk(ctx: RequestContext, key: string, body: PyValue): Promise<Response> {
  return commitPoints(ctx, key, parseBulkPoints(body));
}
