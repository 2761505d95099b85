/**
 * Python's arithmetic and formatting where the esmond archiver's output depends on them.
 *
 * @module
 */
import { PyFloat } from "../../esmond/py_json/py_float.ts";
import { pythonDurationSeconds } from "../iso_duration.ts";
import { float, numberOf } from "../json_value.ts";
import { EsmondViewError } from "./types.ts";

/**
 * An ISO 8601 duration in seconds; throws {@linkcode EsmondViewError} where it is none. A number
 * is taken as seconds already (a Logstash document's converted spec).
 */
export function seconds(value: unknown, what: string): number {
  const n = numberOf(value) ?? pythonDurationSeconds(value);
  if (n === undefined) throw new EsmondViewError(`${what} is not an ISO 8601 duration: ${value}`);
  return n;
}

/** Python's `"%.2f" % x` (round half to even on the exact binary value). */
export function fixed2(x: number): string {
  const text = x.toFixed(2);
  const exact = Math.abs(x).toFixed(60);
  const dot = exact.indexOf(".");
  const tail = exact.slice(dot + 3);
  if (/^50*$/.test(tail)) {
    // An exact tie: toFixed rounded away from zero; Python rounds to even.
    const down = (Math.trunc(Math.abs(x) * 100) / 100).toFixed(2);
    const lastDigit = Number(down[down.length - 1]);
    if (lastDigit % 2 === 0) return `${x < 0 ? "-" : ""}${down}`;
  }
  return text;
}

/** Python's `int(value)` for a number, bool or integer text; undefined where it would raise. */
export function pyInt(value: unknown): number | undefined {
  const n = numberOf(value);
  if (n !== undefined) return Number.isFinite(n) ? Math.trunc(n) : undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) {
    return Number(value.replaceAll("_", ""));
  }
  return undefined;
}

/**
 * Python's `end - start` (null where either is no number). It keeps float-ness: 1.5 - 0 is a
 * float, 2 - 1 an int.
 */
export function difference(end: unknown, start: unknown): unknown {
  const e = numberOf(end);
  const b = numberOf(start);
  if (e === undefined || b === undefined) return null;
  const d = e - b;
  return end instanceof PyFloat || start instanceof PyFloat || !Number.isInteger(e) ||
      !Number.isInteger(b)
    ? float(d)
    : d;
}
