/**
 * The end report of `esmond-ps-migrate` (stderr): runs written, points folded, what was
 * already there, series that could not be mapped and why, event types with no place in a
 * perfSONAR 5 document, what esmond could not tell, and documents the target refused. Pure.
 *
 * @module
 */
import type { MigrationReport } from "./run.ts";

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;
const escape = (text: string) =>
  text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

/**
 * The report text.
 *
 * @example
 * ```ts
 * import { reportText } from "./report.ts";
 * const text = reportText({
 *   seriesTotal: 2, seriesSkipped: 0, seriesMigrated: 1, runs: 3, created: 3, existed: 0,
 *   points: 9, unmappedSeries: new Map([["K2", "no event types"]]), unmappedEventTypes: new Map(),
 *   gaps: new Map(), refused: [], interrupted: false,
 * }, 1.5);
 * if (!text.includes("series K2 not migrated: no event types")) throw new Error(text);
 * ```
 */
export function reportText(report: MigrationReport, seconds: number): string {
  const lines: string[] = [];
  const rate = seconds > 0 ? Math.round(report.points / seconds) : 0;
  lines.push(
    `migrated ${report.seriesMigrated} of ${report.seriesTotal} series` +
      (report.seriesSkipped > 0 ? ` (${report.seriesSkipped} already done)` : "") +
      `: ${report.runs} runs from ${report.points} points folded, ${report.created} documents written, ` +
      `${report.existed} already present, ${report.refused.length} refused; ` +
      `${seconds.toFixed(1)} s, ${rate} points/s`,
  );
  if (report.interrupted) lines.push("interrupted: run again with the same --state to finish");
  for (const [key, why] of report.unmappedSeries) {
    lines.push(`series ${escape(key)} not migrated: ${escape(why)}`);
  }
  for (const [what, points] of report.unmappedEventTypes) {
    lines.push(`not mapped: ${escape(what)} (${points} runs; no field in perfSONAR 5 documents)`);
  }
  for (const [gap, series] of report.gaps) lines.push(`gap: ${escape(gap)} (${series} series)`);
  const reasons = new Map<string, number>();
  for (const r of report.refused) {
    const k = `${r.index}: ${r.reason}`;
    reasons.set(k, (reasons.get(k) ?? 0) + 1);
  }
  for (const [reason, n] of reasons) lines.push(`refused ${n} documents: ${escape(reason)}`);
  return lines.join("\n") + "\n";
}
