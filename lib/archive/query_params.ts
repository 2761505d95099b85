/**
 * Query-string rules shared by the read endpoints: the time filters (spec §3.3) and
 * limit/offset paging. Pure functions.
 *
 * @module
 */
import { ValueError } from "./values.ts";

/** A resolved time range; `end` null means open. */
export interface TimeRange {
  /** First second, inclusive. */
  readonly begin: number;
  /** Last second, inclusive, or null. */
  readonly end: number | null;
}

function timeParam(params: URLSearchParams, name: string): number | undefined {
  const all = params.getAll(name);
  if (all.length === 0) return undefined;
  const text = all[all.length - 1].trim();
  if (!/^[+-]?\d+$/.test(text)) throw new ValueError("Time parameter must be an integer");
  return Number(text);
}

/**
 * The time range the `time`, `time-start`, `time-end`, `time-range` parameters select, or
 * undefined when none is given. Throws {@linkcode ValueError} with esmond's messages.
 *
 * @example
 * ```ts
 * import { timeRange } from "./query_params.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(timeRange(new URLSearchParams("time-start=10&time-range=5"), 0), { begin: 10, end: 15 });
 * ```
 */
export function timeRange(params: URLSearchParams, now: number): TimeRange | undefined {
  const time = timeParam(params, "time");
  const start = timeParam(params, "time-start");
  const end = timeParam(params, "time-end");
  const range = timeParam(params, "time-range");
  let result: TimeRange | undefined;
  if (time !== undefined) result = { begin: time, end: time };
  else if (start !== undefined && end !== undefined) result = { begin: start, end };
  else if (start !== undefined && range !== undefined) {
    result = { begin: start, end: start + range };
  } else if (end !== undefined && range !== undefined) result = { begin: end - range, end };
  else if (start !== undefined) result = { begin: start, end: null };
  else if (end !== undefined) result = { begin: 0, end };
  else if (range !== undefined) result = { begin: now - range, end: null };
  if (result && result.end !== null && result.end < result.begin) {
    throw new ValueError("Requested start time must be less than end time");
  }
  return result;
}

/**
 * The last value of a query parameter, or undefined.
 *
 * @example
 * ```ts
 * import { lastParam } from "./query_params.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(lastParam(new URLSearchParams("a=1&a=2"), "a"), "2");
 * ```
 */
export function lastParam(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  return all.length ? all[all.length - 1] : undefined;
}

/** Parsed paging parameters. */
export interface Paging {
  /** Page size (the default when `limit` was absent or invalid). */
  readonly limit: number;
  /** Whether `limit` was given validly. */
  readonly limitGiven: boolean;
  /** Points/objects to skip. */
  readonly offset: number;
}

/** esmond's default page size for metadata and data. */
export const DEFAULT_PAGE = 1500;

/**
 * `limit` / `offset` as DRF reads them: invalid or non-positive limit → default, invalid or
 * negative offset → 0; an offset above 2^53 is refused ({@linkcode ValueError}, a 400), not
 * read as the first page.
 *
 * @example
 * ```ts
 * import { paging } from "./query_params.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(paging(new URLSearchParams("limit=5&offset=x")), { limit: 5, limitGiven: true, offset: 0 });
 * ```
 */
export function paging(params: URLSearchParams): Paging {
  const limitText = lastParam(params, "limit");
  const offsetText = lastParam(params, "offset");
  const limitNum = limitText !== undefined && /^\s*\+?\d+\s*$/.test(limitText)
    ? Number(limitText)
    : NaN;
  const offsetNum = offsetText !== undefined && /^\s*\+?\d+\s*$/.test(offsetText)
    ? Number(offsetText)
    : 0;
  if (!Number.isSafeInteger(offsetNum)) {
    throw new ValueError(`offset must be at most ${Number.MAX_SAFE_INTEGER}`);
  }
  const limitGiven = Number.isSafeInteger(limitNum) && limitNum > 0;
  return {
    limit: limitGiven ? limitNum : DEFAULT_PAGE,
    limitGiven,
    offset: offsetNum,
  };
}

/**
 * A paging link: the request URL with `limit` set and `offset` set (or removed when 0),
 * keys re-encoded in sorted order, as DRF builds them.
 *
 * @example
 * ```ts
 * import { pageLink } from "./query_params.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pageLink(new URL("http://h/a/?x=1"), 5, 10), "http://h/a/?limit=5&offset=10&x=1");
 * ```
 */
export function pageLink(url: URL, limit: number, offset: number): string {
  const params = new URLSearchParams(url.search);
  params.set("limit", String(limit));
  if (offset > 0) params.set("offset", String(offset));
  else params.delete("offset");
  const entries = [...params.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = new URLSearchParams(entries).toString();
  return `${url.origin}${url.pathname}?${query}`;
}
