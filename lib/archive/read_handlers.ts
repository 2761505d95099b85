/**
 * The GET endpoints: metadata search and detail, event-type and summary listings, time
 * series (spec §3, §4).
 *
 * @module
 */
import type { MetadataLimits } from "./limits.ts";
import { eventTypeInfo, summaryTypeFromPlural } from "../esmond/event_types.ts";
import {
  ADDRESS_FIELDS,
  SUBJECT_FIELDS,
  SUBJECT_PROPERTY,
  type SubjectProperty,
} from "../esmond/subject.ts";
import type { ArchiveDb } from "./schema.ts";
import { detail, jsonText } from "./http_util.ts";
import type { MetadataQuery } from "./metadata_store.ts";
import type { WriteStore } from "./write_store.ts";
import type { ReadStore } from "./read_store.ts";
import {
  groupEventTypes,
  type Mount,
  renderEventType,
  renderMetadata,
  renderSummary,
} from "./render.ts";
import { DEFAULT_PAGE, lastParam, pageLink, paging, timeRange } from "./query_params.ts";
import { dnsMatchRule, resolveFilterAddresses } from "./dns.ts";
import { ValueError } from "./values.ts";

/** What every handler gets. */
export interface RequestContext {
  /** The database (tokens, writes); absent when serving a read-only backend. */
  readonly db?: ArchiveDb;
  /** Where the read endpoints read from. */
  readonly store: ReadStore;
  /** Where the write endpoints write to; absent when the archive is read-only. */
  readonly writes?: WriteStore;
  /** Where the request came in. */
  readonly mount: Mount;
  /** The full request URL (origin from the public URL, or the checked Host header). */
  readonly url: URL;
  /** Server time, UNIX seconds. */
  readonly now: number;
  /** Size limits on a posted metadata (defaults when absent). */
  readonly limits?: MetadataLimits;
}

const RESERVED = new Set([
  ...SUBJECT_FIELDS,
  "subject-type",
  "metadata-key",
  "event-type",
  "summary-type",
  "summary-window",
  "time",
  "time-start",
  "time-end",
  "time-range",
  "limit",
  "offset",
  "dns-match-rule",
  "format",
]);

/**
 * The metadata search of a query string (filters, resolved addresses, free-form parameters).
 *
 * @example
 * ```ts
 * import { buildQuery } from "./read_handlers.ts";
 * await buildQuery(new URLSearchParams("tool-name=pscheduler/iperf3"), 0);
 * ```
 */
export async function buildQuery(
  params: URLSearchParams,
  now: number,
): Promise<MetadataQuery> {
  const rule = dnsMatchRule(lastParam(params, "dns-match-rule"));
  const addresses = async (name: string) => {
    const value = lastParam(params, name);
    return value === undefined ? undefined : await resolveFilterAddresses(value, rule);
  };
  const windowText = lastParam(params, "summary-window");
  let summaryWindow: number | undefined;
  if (windowText !== undefined) {
    if (!/^\s*[+-]?\d+\s*$/.test(windowText)) {
      throw new ValueError("Summary window must be an integer");
    }
    summaryWindow = Number(windowText);
  }
  const parameters: [string, string][] = [];
  for (const key of new Set(params.keys())) {
    if (!RESERVED.has(key)) parameters.push([key, lastParam(params, key)!]);
  }
  const subject: Record<string, string | readonly string[] | undefined> = {};
  for (const field of SUBJECT_FIELDS) {
    subject[SUBJECT_PROPERTY[field]] = ADDRESS_FIELDS.includes(field)
      ? await addresses(field)
      : lastParam(params, field);
  }
  return {
    ...subject as Pick<MetadataQuery, SubjectProperty>,
    subjectType: lastParam(params, "subject-type"),
    metadataKey: lastParam(params, "metadata-key"),
    eventType: lastParam(params, "event-type"),
    summaryType: lastParam(params, "summary-type"),
    summaryWindow,
    time: timeRange(params, now) ?? undefined,
    parameters,
  };
}

/**
 * `GET archive/`: one page of matching metadata, paging keys on the first object and in
 * `Link`.
 *
 * @example
 * ```ts
 * import { listMetadata } from "./read_handlers.ts";
 * // const response = await listMetadata(ctx);
 * ```
 */
export async function listMetadata(ctx: RequestContext): Promise<Response> {
  const params = ctx.url.searchParams;
  const query = await buildQuery(params, ctx.now);
  const page = paging(params);
  const { total, records } = await ctx.store.search(query, page.limit, page.offset);
  const next = page.offset + page.limit < total
    ? pageLink(ctx.url, page.limit, page.offset + page.limit)
    : null;
  const previous = page.offset > 0
    ? pageLink(ctx.url, page.limit, Math.max(0, page.offset - page.limit))
    : null;
  const body = records.map((record, i) =>
    renderMetadata(ctx.mount, record, i === 0 ? { total, previous, next } : undefined)
  );
  const links: string[] = [];
  if (next) links.push(`<${next}>; rel="next"`);
  if (previous) links.push(`<${previous}>; rel="prev"`);
  return jsonText(`[${body.join(",")}]`, 200, links.length ? { link: links.join(", ") } : {});
}

/**
 * `GET archive/<key>/`: one metadata, 404 when unknown.
 *
 * @example
 * ```ts
 * import { getMetadata } from "./read_handlers.ts";
 * // getMetadata(ctx, "EC7E5AF67F8746C8AEF41E60288F3F59");
 * ```
 */
export async function getMetadata(ctx: RequestContext, key: string): Promise<Response> {
  const record = await ctx.store.findByKey(key);
  if (!record) return detail(404, "Not found.");
  return jsonText(renderMetadata(ctx.mount, record));
}

/**
 * `GET archive/<key>/<event-type>/`: a one-element array, `[]` when unknown.
 *
 * @example
 * ```ts
 * import { getEventType } from "./read_handlers.ts";
 * // getEventType(ctx, key, "throughput");
 * ```
 */
export async function getEventType(
  ctx: RequestContext,
  key: string,
  eventType: string,
): Promise<Response> {
  const record = await ctx.store.findByKey(key);
  const rows = record ? groupEventTypes(record).get(eventType) : undefined;
  if (!record || !rows) return jsonText("[]");
  return jsonText(`[${renderEventType(ctx.mount, record.key, eventType, rows)}]`);
}

/**
 * `GET archive/<key>/<event-type>/<plural>/`: the summaries of that type, 404 when none.
 *
 * @example
 * ```ts
 * import { listSummaries } from "./read_handlers.ts";
 * // listSummaries(ctx, key, "throughput", "averages");
 * ```
 */
export async function listSummaries(
  ctx: RequestContext,
  key: string,
  eventType: string,
  plural: string,
): Promise<Response> {
  const summaryType = summaryTypeFromPlural(plural);
  if (!summaryType) return detail(400, `Invalid summary type '${plural}'`);
  const record = await ctx.store.findByKey(key);
  const rows = (record?.eventTypes ?? []).filter((r) =>
    r.eventType === eventType && r.summaryType === summaryType
  ).sort((a, b) => a.summaryWindow - b.summaryWindow);
  if (!record || rows.length === 0) return detail(404, "Not found.");
  return jsonText(`[${rows.map((r) => renderSummary(ctx.mount, record.key, r)).join(",")}]`);
}

const encoder = new TextEncoder();
// Above this many points the body is streamed so memory stays flat.
const STREAM_THRESHOLD = 8192;
/**
 * `GET archive/<key>/<event-type>/base` and `…/<plural>/<window>`: the points in range.
 *
 * @example
 * ```ts
 * import { getSeries } from "./read_handlers.ts";
 * // getSeries(ctx, key, "throughput", "base", undefined);
 * ```
 */
export async function getSeries(
  ctx: RequestContext,
  key: string,
  eventType: string,
  plural: string,
  windowText: string | undefined,
): Promise<Response> {
  if (!eventTypeInfo(eventType)) {
    return detail(400, `Unsupported event type '${eventType}' provided`);
  }
  const summaryType = plural === "base" ? "base" : summaryTypeFromPlural(plural);
  if (!summaryType) return detail(400, `Invalid summary type '${plural}'`);
  let window = 0;
  if (summaryType !== "base") {
    if (windowText === undefined || !/^\d+$/.test(windowText)) {
      return detail(400, "Summary window parameter must be an integer");
    }
    window = Number(windowText);
  }
  const params = ctx.url.searchParams;
  const times = timeRange(params, ctx.now);
  const begin = times?.begin ?? 0;
  const end = times?.end ?? ctx.now + 3600;
  const page = paging(params);
  const record = await ctx.store.findByKey(key);
  const row = record?.eventTypes.find((r) =>
    r.eventType === eventType && r.summaryType === summaryType && r.summaryWindow === window
  );
  if (!record || !row) return jsonText("[]");
  // Without a limit esmond pages at 1500 and announces the next page in Link.
  const take = page.limitGiven ? page.limit : DEFAULT_PAGE;
  const range = { begin, end, limit: take, offset: page.offset };
  if (take <= STREAM_THRESHOLD) {
    const chunks = ctx.store.seriesChunks(record, row, range, take);
    const chunk = (await chunks.next()).value;
    await chunks.return?.(undefined);
    const headers: Record<string, string> = {};
    if (
      !page.limitGiven && chunk && chunk.count === DEFAULT_PAGE &&
      await ctx.store.hasPointAfter(record, row, chunk.last!, end)
    ) {
      headers.link = `<${pageLink(ctx.url, DEFAULT_PAGE, page.offset + DEFAULT_PAGE)}>; rel="next"`;
    }
    return jsonText(`[${chunk?.text ?? ""}]`, 200, headers);
  }
  const chunks = ctx.store.seriesChunks(record, row, range);
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) {
        controller.enqueue(encoder.encode(first ? "[]" : "]"));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(`${first ? "[" : ","}${next.value.text}`));
      first = false;
    },
    async cancel() {
      await chunks.return?.(undefined);
    },
  });
  return jsonText(stream);
}
