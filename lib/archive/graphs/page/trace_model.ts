/**
 * Traceroute runs (`packet-trace` values) → hop lists and the times the path changed. Pure.
 *
 * @module
 */
import type { ApiPoint } from "./series_values.ts";

/** One answer of one hop. */
export interface Hop {
  /** Hop number (IP TTL). */
  readonly ttl: number;
  /** Probe number at that TTL. */
  readonly query: number;
  /** Address that answered, or null when none did. */
  readonly ip: string | null;
  /** Round-trip time in ms, or null. */
  readonly rtt: number | null;
  /** Path MTU reported at the hop, or null. */
  readonly mtu: number | null;
  /** Error text (e.g. `requestTimedOut`), or null. */
  readonly error: string | null;
}

/** One traceroute run. */
export interface TraceRun {
  /** UNIX seconds. */
  readonly ts: number;
  /** Its hops in TTL order. */
  readonly hops: Hop[];
  /** The path as one text: the first address of each TTL, `*` when none answered. */
  readonly path: string;
  /** Whether the route differs from the one before (false for the first run). */
  readonly changed: boolean;
}

function num(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * The hops of one `packet-trace` value (a list of `{ttl, query, ip, rtt, mtu, …}`).
 *
 * @example
 * ```ts
 * import { hopsOf } from "./trace_model.ts";
 * const hops = hopsOf([{ ttl: "1", query: "1", ip: "192.0.2.1", rtt: "0.5" }]);
 * if (hops[0].ip !== "192.0.2.1" || hops[0].rtt !== 0.5) throw new Error();
 * ```
 */
export function hopsOf(val: unknown): Hop[] {
  if (!Array.isArray(val)) return [];
  const hops: Hop[] = [];
  for (const item of val) {
    if (item === null || typeof item !== "object") continue;
    const r = item as Record<string, unknown>;
    const ttl = num(r.ttl);
    if (ttl === null) continue;
    hops.push({
      ttl,
      query: num(r.query) ?? 1,
      ip: text(r.ip),
      rtt: num(r.rtt),
      mtu: num(r.mtu),
      error: text(r.error_message),
    });
  }
  return hops.sort((a, b) => a.ttl - b.ttl || a.query - b.query);
}

/**
 * The path signature of a hop list: per TTL the first address that answered, `*` if none.
 *
 * @example
 * ```ts
 * import { pathOf } from "./trace_model.ts";
 * const path = pathOf([
 *   { ttl: 1, query: 1, ip: "a", rtt: 1, mtu: null, error: null },
 *   { ttl: 2, query: 1, ip: null, rtt: null, mtu: null, error: "requestTimedOut" },
 * ]);
 * if (path !== "a > *") throw new Error(path);
 * ```
 */
export function pathOf(hops: readonly Hop[]): string {
  const byTtl = new Map<number, string>();
  for (const hop of hops) {
    const seen = byTtl.get(hop.ttl);
    if (seen === undefined || (seen === "*" && hop.ip !== null)) byTtl.set(hop.ttl, hop.ip ?? "*");
  }
  return [...byTtl.entries()].sort((a, b) => a[0] - b[0]).map(([, ip]) => ip).join(" > ");
}

/**
 * Whether two path signatures are the same route: as many hops, and at each TTL the same
 * address or no answer (`*`) on one side (a silent hop is not a new route).
 *
 * @example
 * ```ts
 * import { samePath } from "./trace_model.ts";
 * if (!samePath("a > * > c", "a > b > c") || samePath("a > b", "a > x")) throw new Error();
 * ```
 */
export function samePath(a: string, b: string): boolean {
  const x = a.split(" > ");
  const y = b.split(" > ");
  return x.length === y.length && x.every((ip, i) => ip === y[i] || ip === "*" || y[i] === "*");
}

/**
 * The runs of a `packet-trace` series in time order, each marked when its route differs from
 * the last one seen ({@linkcode samePath}).
 *
 * @example
 * ```ts
 * import { traceRuns } from "./trace_model.ts";
 * const hop = (ip: string) => [{ ttl: "1", query: "1", ip }];
 * const runs = traceRuns([
 *   { ts: 1, val: hop("a") }, { ts: 2, val: hop("a") }, { ts: 3, val: hop("b") },
 * ]);
 * if (runs.map((r) => r.changed).join() !== "false,false,true") throw new Error();
 * ```
 */
export function traceRuns(points: readonly ApiPoint[]): TraceRun[] {
  const sorted = [...points].sort((a, b) => a.ts - b.ts);
  const runs: TraceRun[] = [];
  let route: string | undefined;
  for (const point of sorted) {
    const hops = hopsOf(point.val);
    const path = pathOf(hops);
    const changed = route !== undefined && !samePath(route, path);
    if (route === undefined || changed || !path.includes("*")) route = path;
    runs.push({ ts: point.ts, hops, path, changed });
  }
  return runs;
}
