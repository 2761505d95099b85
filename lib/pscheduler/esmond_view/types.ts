/**
 * The shapes of the esmond view: what {@linkcode esmondView} is asked with and what it gives.
 *
 * @module
 */
import type { JsonObject } from "../json_value.ts";
import type { NameResolver } from "../resolver.ts";

/** One summary row as the archiver registers it. */
export interface EsmondSummary {
  /** Window in seconds. */
  readonly "summary-window": number;
  /** Event type it belongs to. */
  readonly "event-type": string;
  /** `aggregation`, `average` or `statistics`. */
  readonly "summary-type": string;
}

/** `data-formatting-policy` of the esmond archiver. */
export type DataFormattingPolicy = "prefer-mapped" | "mapped-and-raw" | "mapped-only" | "raw-only";

/** Options of `esmondView` (the archiver's `data`). */
export interface EsmondViewOptions {
  /** Name service for the source/destination/agent addresses. */
  readonly resolver: NameResolver;
  /** `measurement-agent` of the archiver data. */
  readonly measurementAgent?: string;
  /** `summaries` of the archiver data (replaces the defaults). */
  readonly summaries?: readonly EsmondSummary[];
  /** `data-formatting-policy` (default `prefer-mapped`). */
  readonly dataFormattingPolicy?: DataFormattingPolicy;
  /**
   * The body has already passed `jsonValueProblem` (every body `logstashDocument` took has):
   * the view skips walking it a second time. Default false.
   */
  readonly bodyChecked?: boolean;
}

/** One value of a data point. */
export interface EsmondValue {
  /** Event type. */
  readonly "event-type": string;
  /** The value. */
  readonly val: unknown;
}

/** What the archiver would send. */
export interface EsmondView {
  /** Body of `POST archive/`. */
  readonly metadata: JsonObject;
  /** Body of `PUT archive/<key>/`. */
  readonly data: { data: { ts: number; val: EsmondValue[] }[] };
}

/** The body cannot be archived to esmond (the archiver would fail on it). */
export class EsmondViewError extends Error {}
