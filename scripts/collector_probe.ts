/**
 * Reading a running collector from outside, for the benchmarks and the flood test: one metric
 * of its `/metrics` page, its CPU seconds and resident memory from `/proc` (Linux).
 *
 * @module
 */
import { denoRunArgs, findTool } from "./tools.ts";
import { freePort } from "../tests/harness/free_port.ts";

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

function afterRun(flags: readonly string[], args: string[]): string[] {
  return [args[0], ...flags, ...args.slice(1)];
}

/** A collector subprocess started by {@linkcode spawnCollector}. */
export interface SpawnedCollector {
  readonly child: Deno.ChildProcess;
  /** Its UDP port on 127.0.0.1. */
  readonly port: number;
  /** Its `/metrics` URL. */
  readonly metrics: string;
}

/**
 * Starts the collector on free loopback ports (UDP and metrics), documents to `/dev/null`,
 * `extra` options added (and `denoFlags`, e.g. `--cpu-prof`, right after `deno run`); resolves
 * once `/metrics` answers.
 *
 * @example
 * ```ts
 * import { spawnCollector } from "./collector_probe.ts";
 * // const { child, port, metrics } = await spawnCollector(["--time=1"]);
 * ```
 */
export async function spawnCollector(
  extra: readonly string[] = [],
  denoFlags: readonly string[] = [],
): Promise<SpawnedCollector> {
  const port = freePort("udp");
  const metricsPort = freePort("tcp");
  const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
  const child = new Deno.Command(Deno.execPath(), {
    args: afterRun(
      denoFlags,
      denoRunArgs(findTool("xrootd-fstream-collector")!, [
        "--bind=127.0.0.1",
        `--port=${port}`,
        `--metrics-port=${metricsPort}`,
        "--output=/dev/null",
        "--quiet",
        ...extra,
      ]),
    ),
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  for (let i = 0; i < 100; i++) {
    try {
      await metricValue(metrics, "xrootd_collector_packets_total");
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { child, port, metrics };
}
