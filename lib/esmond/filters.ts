/**
 * `ApiFilters`: what to search for and which time window of data to read, and how that turns
 * into esmond query parameters.
 *
 * @module
 */
import { ArchiveValidationError } from "./errors.ts";

/** A time given as epoch seconds (fractions are truncated) or as a `Date`. */
export type TimeValue = number | Date;

/** Fields of {@linkcode ApiFilters}; every one optional. */
export interface ApiFiltersInit {
  /** Subject `source` (an address or a host name the archive resolves). */
  source?: string;
  /** Subject `destination`. */
  destination?: string;
  /** Subject `measurement-agent`. */
  measurementAgent?: string;
  /** Subject `input-source`, exact. */
  inputSource?: string;
  /** Subject `input-destination`, exact. */
  inputDestination?: string;
  /** Subject `tool-name`, exact (`bwctl/iperf3`). */
  toolName?: string;
  /** Has an event type of that name. */
  eventType?: string;
  /** `point-to-point` or `network-element`. */
  subjectType?: string;
  /** Has a summary of that (singular) type: `aggregation`, `average`, `statistics`, `base`. */
  summaryType?: string;
  /** Has a summary with that window in seconds. */
  summaryWindow?: number | string;
  /** Exact metadata key. */
  metadataKey?: string;
  /** DNS rule for the address fields: `v4v6`, `only-v4`, `only-v6`, `prefer-v4`, `prefer-v6`. */
  dnsMatchRule?: string;
  /** Exactly this second. Takes precedence over the other time fields. */
  time?: TimeValue;
  /** Window start (inclusive). */
  timeStart?: TimeValue;
  /** Window end (inclusive). */
  timeEnd?: TimeValue;
  /** Window length in seconds, combined with start or end (or "the last N seconds"). */
  timeRange?: number;
  /** Free-form parameter filters (`{"ip-transport-protocol": "tcp"}`), sent in insertion order. */
  extra?: Record<string, string | number>;
  /** Log each request URL at info level. */
  verbose?: boolean;
}

/** A resolved time window in epoch seconds; `undefined` ends are open. */
export interface TimeWindow {
  /** First second (inclusive). */
  readonly begin?: number;
  /** Last second (inclusive). */
  readonly end?: number;
}

const SUBJECT_PARAMS: ReadonlyArray<[keyof ApiFiltersInit, string]> = [
  ["source", "source"],
  ["destination", "destination"],
  ["measurementAgent", "measurement-agent"],
  ["eventType", "event-type"],
  ["toolName", "tool-name"],
  ["summaryType", "summary-type"],
  ["summaryWindow", "summary-window"],
  ["inputSource", "input-source"],
  ["inputDestination", "input-destination"],
  ["subjectType", "subject-type"],
  ["metadataKey", "metadata-key"],
  ["dnsMatchRule", "dns-match-rule"],
];

/**
 * Epoch seconds of a time value (`int()` semantics: fractions truncated toward zero).
 * Throws {@linkcode ArchiveValidationError} naming `field` for NaN, infinities and bad dates.
 *
 * @example
 * ```ts
 * import { toEpochSeconds } from "./filters.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(toEpochSeconds(1391563070.9, "time-start"), 1391563070);
 * assert.deepEqual(toEpochSeconds(new Date("2014-02-05T00:00:00Z"), "time-start"), 1391558400);
 * ```
 */
export function toEpochSeconds(value: TimeValue, field: string): number {
  const n = value instanceof Date ? value.getTime() / 1000 : value;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new ArchiveValidationError(field, `not a valid time: ${String(value)}`);
  }
  return Math.trunc(n);
}

/**
 * The search and time-window filters shared by metadata listing and data reads. Mutable,
 * like the Python original, but each `ApiConnect` gets its own (no shared default).
 *
 * @example
 * ```ts
 * import { ApiFilters } from "./filters.ts";
 * import assert from "node:assert/strict";
 * const f = new ApiFilters({ source: "10.0.0.1", eventType: "throughput", timeStart: 1391558400,
 *   timeEnd: 1391616000, extra: { "ip-transport-protocol": "tcp" } });
 * assert.deepEqual(f.metadataSearchParams().toString(), "source=10.0.0.1&event-type=throughput&ip-transport-protocol=tcp&time-start=1391558400&time-end=1391616000");
 * ```
 */
export class ApiFilters implements ApiFiltersInit {
  /** Subject `source`. */
  source?: string;
  /** Subject `destination`. */
  destination?: string;
  /** Subject `measurement-agent`. */
  measurementAgent?: string;
  /** Subject `input-source`. */
  inputSource?: string;
  /** Subject `input-destination`. */
  inputDestination?: string;
  /** Subject `tool-name`. */
  toolName?: string;
  /** Event-type name. */
  eventType?: string;
  /** Subject type. */
  subjectType?: string;
  /** Summary type (singular). */
  summaryType?: string;
  /** Summary window in seconds. */
  summaryWindow?: number | string;
  /** Metadata key. */
  metadataKey?: string;
  /** DNS match rule. */
  dnsMatchRule?: string;
  /** Exactly this second. */
  time?: TimeValue;
  /** Window start. */
  timeStart?: TimeValue;
  /** Window end. */
  timeEnd?: TimeValue;
  /** Window length in seconds. */
  timeRange?: number;
  /** Free-form parameter filters. */
  extra: Record<string, string | number>;
  /** Verbose request logging. */
  verbose: boolean;

  /** Creates the filters; validates the time fields. */
  constructor(init: ApiFiltersInit = {}) {
    Object.assign(this, init);
    this.extra = { ...(init.extra ?? {}) };
    this.verbose = init.verbose ?? false;
    this.timeWindow(0);
  }

  /** A copy, optionally with some fields replaced. */
  with(changes: ApiFiltersInit): ApiFilters {
    return new ApiFilters({
      ...this,
      ...changes,
      extra: { ...this.extra, ...(changes.extra ?? {}) },
    });
  }

  /** The subject/event-type/free-form parameters, in the original clients' order. */
  metadataParams(): [string, string][] {
    const out: [string, string][] = [];
    for (const [field, name] of SUBJECT_PARAMS) {
      const v = this[field as keyof this];
      if (v !== undefined && v !== null && v !== "") out.push([name, String(v)]);
    }
    for (const [k, v] of Object.entries(this.extra)) out.push([k, String(v)]);
    return out;
  }

  /** The time parameters as given (`time`, `time-start`, `time-end`, `time-range`). */
  timeParams(): [string, string][] {
    const out: [string, string][] = [];
    if (this.time !== undefined) out.push(["time", String(toEpochSeconds(this.time, "time"))]);
    if (this.timeStart !== undefined) {
      out.push(["time-start", String(toEpochSeconds(this.timeStart, "time-start"))]);
    }
    if (this.timeEnd !== undefined) {
      out.push(["time-end", String(toEpochSeconds(this.timeEnd, "time-end"))]);
    }
    if (this.timeRange !== undefined) {
      out.push(["time-range", String(toEpochSeconds(this.timeRange, "time-range"))]);
    }
    return out;
  }

  /**
   * The query string of a metadata search: metadata parameters, then `paging` (offset/limit),
   * then, unless `withTime` is false, the time parameters.
   */
  metadataSearchParams(
    options: { paging?: [string, string][]; withTime?: boolean } = {},
  ): URLSearchParams {
    return new URLSearchParams([
      ...this.metadataParams(),
      ...(options.paging ?? []),
      ...(options.withTime === false ? [] : this.timeParams()),
    ]);
  }

  /**
   * The time window the archive would apply (spec §3.3 precedence), with `now` in epoch
   * seconds for a `timeRange` given alone. Throws {@linkcode ArchiveValidationError} when
   * the end is before the start.
   */
  timeWindow(now: number): TimeWindow {
    const t = (v: TimeValue | undefined, f: string) =>
      v === undefined ? undefined : toEpochSeconds(v, f);
    const time = t(this.time, "time");
    const start = t(this.timeStart, "time-start");
    const end = t(this.timeEnd, "time-end");
    const range = t(this.timeRange, "time-range");
    let w: TimeWindow;
    if (time !== undefined) w = { begin: time, end: time };
    else if (start !== undefined && end !== undefined) w = { begin: start, end };
    else if (start !== undefined && range !== undefined) w = { begin: start, end: start + range };
    else if (end !== undefined && range !== undefined) w = { begin: end - range, end };
    else if (start !== undefined) w = { begin: start };
    else if (end !== undefined) w = { begin: 0, end };
    else if (range !== undefined) w = { begin: now - range };
    else w = {};
    if (w.begin !== undefined && w.end !== undefined && w.end < w.begin) {
      throw new ArchiveValidationError("time-end", "must not be before the start time");
    }
    return w;
  }
}
