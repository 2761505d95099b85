/**
 * The record the esmond archiver builds for one run: metadata with its event types, and the
 * values of the one data point.
 *
 * @module
 */
import { isObject, type JsonObject } from "../json_value.ts";
import { pyInt } from "./python_values.ts";
import type { EsmondSummary, EsmondValue } from "./types.ts";

/** Metadata and values under construction (the archiver's `EsmondRecord`). */
export class ArchiverRecord {
  /** The metadata POST body; `event-types` grows with {@linkcode ArchiverRecord.addEventType}. */
  readonly metadata: JsonObject = { "event-types": [] };
  /** The values of the run's one data point. */
  readonly values: EsmondValue[] = [];
  /** `summaries`: by event type, what each registered event type is summarised with. */
  constructor(readonly summaries: Readonly<Record<string, readonly EsmondSummary[]>>) {}

  /** Registers an event type, with its summaries where it has any. */
  addEventType(eventType: string, summaries = this.summaries): void {
    const et: JsonObject = { "event-type": eventType };
    if (Object.hasOwn(summaries, eventType)) et.summaries = summaries[eventType];
    (this.metadata["event-types"] as JsonObject[]).push(et);
  }

  /** Adds one value. */
  add(eventType: string, val: unknown): void {
    this.values.push({ "event-type": eventType, val });
  }

  /** Adds `obj[field]` where it is there and not null. */
  addIfExists(eventType: string, obj: JsonObject, field: string): void {
    if (Object.hasOwn(obj, field) && obj[field] !== null && obj[field] !== undefined) {
      this.add(eventType, obj[field]);
    }
  }

  /**
   * Adds `{numerator, denominator}` where both are there and integers (Python's `int()`), the
   * denominator not 0.
   */
  addRate(eventType: string, obj: JsonObject, numerator: string, denominator: string): void {
    const n = obj[numerator];
    const d = obj[denominator];
    if (n === undefined || n === null || d === undefined || d === null) return;
    const ni = pyInt(n);
    const di = pyInt(d);
    if (ni === undefined || di === undefined || di === 0) return;
    this.add(eventType, { numerator: n, denominator: d });
  }

  /** `parse_metadata_field`: lists as -0, -1…, objects flattened with -, `_` keys skipped. */
  flatten(key: string, val: unknown): void {
    if (Array.isArray(val)) {
      val.forEach((v, i) => (this.metadata[`${key}-${i}`] = v));
    } else if (isObject(val)) {
      for (const [k, v] of Object.entries(val)) {
        if (!k.startsWith("_")) this.flatten(`${key}-${k}`, v);
      }
    } else {
      this.metadata[key] = val;
    }
  }
}
