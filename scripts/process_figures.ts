/**
 * What the benchmarks read about a process from Linux `/proc`: its CPU time (the figure that
 * stays comparable on a shared machine, unlike wall time), its resident memory, and the load
 * average printed next to every figure. Unreadable values (another OS, a process gone) come
 * back as 0, so a benchmark prints a figure it can explain rather than failing at the end.
 *
 * @module
 */

/**
 * User + system CPU seconds a process has used (`utime + stime` of `/proc/PID/stat`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cpuSeconds } from "./process_figures.ts";
 * if (Deno.build.os === "linux") assert.ok(cpuSeconds(Deno.pid) > 0);
 * assert.equal(cpuSeconds(-1), 0);
 * ```
 */
export function cpuSeconds(pid: number): number {
  const fields = readProc(pid, "stat").split(") ")[1]?.split(" ");
  return fields === undefined ? 0 : (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process in MiB. */
export interface MemoryMiB {
  /** Now (`VmRSS`). */
  readonly rss: number;
  /** The peak so far (`VmHWM`). */
  readonly peak: number;
}

/**
 * Resident memory of a process, now and at its peak.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryMiB } from "./process_figures.ts";
 * const own = memoryMiB(Deno.pid);
 * if (Deno.build.os === "linux") assert.ok(own.peak >= own.rss && own.rss > 0);
 * assert.deepEqual(memoryMiB(-1), { rss: 0, peak: 0 });
 * ```
 */
export function memoryMiB(pid: number): MemoryMiB {
  const status = readProc(pid, "status");
  const mib = (name: string) =>
    Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mib("VmRSS"), peak: mib("VmHWM") };
}

/**
 * The 1, 5 and 15 minute load averages, two decimals each (`"0.42 0.65 0.34"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadAverage } from "./process_figures.ts";
 * assert.match(loadAverage(), /^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
 * ```
 */
export function loadAverage(): string {
  return Deno.loadavg().map((n) => n.toFixed(2)).join(" ");
}

function readProc(pid: number, file: "stat" | "status"): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/${file}`);
  } catch {
    return "";
  }
}
