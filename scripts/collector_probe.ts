/**
 * Reading a running collector from outside, for the benchmarks and the flood test: one metric
 * of its `/metrics` page, its CPU seconds and resident memory from `/proc` (Linux).
 *
 * @module
 */

/**
 * CPU seconds the process has used so far (all threads) and its main thread alone, from
 * `/proc` (Linux only; undefined elsewhere).
 *
 * @example
 * ```ts
 * import { cpuSeconds } from "./collector_probe.ts";
 * cpuSeconds(Deno.pid)?.total; // e.g. 0.42
 * ```
 */
export function cpuSeconds(pid: number): { total: number; main: number } | undefined {
  const ticks = (path: string) => {
    const fields = Deno.readTextFileSync(path).split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  try {
    return { total: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return undefined;
  }
}

/**
 * Resident memory of a process in MiB (`VmRSS`), undefined where `/proc` is missing.
 *
 * @example
 * ```ts
 * import { rssMiB } from "./collector_probe.ts";
 * rssMiB(Deno.pid); // e.g. 61.2
 * ```
 */
export function rssMiB(pid: number): number | undefined {
  try {
    const line = Deno.readTextFileSync(`/proc/${pid}/status`).split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line === undefined
      ? undefined
      : Number((Number(line.split(/\s+/)[1]) / 1024).toFixed(1));
  } catch {
    return undefined;
  }
}

/**
 * The value of one un-labelled metric on a `/metrics` page (NaN when absent).
 *
 * @example
 * ```ts
 * import { metricValue } from "./collector_probe.ts";
 * // await metricValue("http://127.0.0.1:9100/metrics", "xrootd_collector_packets_total");
 * ```
 */
export async function metricValue(metrics: string, name: string): Promise<number> {
  const text = await (await fetch(metrics)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1] ?? NaN);
}
