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

/** One thread's reading: CPU seconds and minor page faults so far. */
export interface ThreadFigures {
  /** `comm` of the thread (`deno`, `worker-1`, `V8 DefaultWorke`, …). */
  readonly name: string;
  /** User + system CPU seconds. */
  readonly cpu: number;
  /** Minor page faults (a first touch of fresh memory, paid on that thread). */
  readonly minorFaults: number;
}

/**
 * Every thread of a process by thread id, so a benchmark can say which thread spent the CPU
 * (the process total hides whether the decoding thread is the one at its limit). Empty when
 * `/proc` is unreadable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { threadFigures } from "./process_figures.ts";
 * if (Deno.build.os === "linux") assert.ok(threadFigures(Deno.pid).has(Deno.pid));
 * assert.equal(threadFigures(-1).size, 0);
 * ```
 */
export function threadFigures(pid: number): Map<number, ThreadFigures> {
  const out = new Map<number, ThreadFigures>();
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(`/proc/${pid}/task`)];
  } catch {
    return out;
  }
  for (const entry of entries) {
    const stat = readProc(pid, `task/${entry.name}/stat`);
    const close = stat.lastIndexOf(")");
    if (close < 0) continue;
    const fields = stat.slice(close + 2).split(" ");
    out.set(Number(entry.name), {
      name: stat.slice(stat.indexOf("(") + 1, close),
      cpu: (Number(fields[11]) + Number(fields[12])) / 100,
      minorFaults: Number(fields[7]),
    });
  }
  return out;
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

function readProc(pid: number, file: string): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/${file}`);
  } catch {
    return "";
  }
}
