/**
 * Colours of the graphs page: the Okabe–Ito palette, distinguishable with the common forms of
 * colour blindness; status colours always come with a text mark, never colour alone. Pure.
 *
 * @module
 */

/** Line colours by role: the forward direction, the reverse one, and extras. */
export const LINE_COLOURS = {
  /** Source → destination (blue). */
  forward: "#0072B2",
  /** Destination → source (orange). */
  reverse: "#E69F00",
  /** Retransmits of the forward direction (reddish purple). */
  forwardExtra: "#CC79A7",
  /** Retransmits of the reverse direction (vermillion). */
  reverseExtra: "#D55E00",
} as const;

/** Dash patterns per tool (the n-th tool of a chart gets the n-th). */
export const TOOL_DASHES: readonly (readonly number[])[] = [[], [8, 4], [2, 3], [12, 3, 2, 3]];

/** A grid cell's state with its colour and the mark printed with it. */
export interface Status {
  /** `ok`, `warning`, `critical` or `none`. */
  readonly level: "ok" | "warning" | "critical" | "none";
  /** Background colour. */
  readonly colour: string;
  /** The text mark shown next to the value. */
  readonly mark: string;
}

const STATUS: Record<Status["level"], Status> = {
  ok: { level: "ok", colour: "#009E73", mark: "✓" },
  warning: { level: "warning", colour: "#E69F00", mark: "!" },
  critical: { level: "critical", colour: "#D55E00", mark: "✗" },
  none: { level: "none", colour: "#BBBBBB", mark: "?" },
};

/** Thresholds of the grid (MaDDash's defaults for throughput and loss). */
export interface Thresholds {
  /** Throughput at or above: ok (bit/s). */
  readonly throughputOk: number;
  /** Throughput at or above: warning, below: critical (bit/s). */
  readonly throughputWarning: number;
  /** Loss at or below: ok (fraction). */
  readonly lossOk: number;
  /** Loss at or below: warning, above: critical (fraction). */
  readonly lossWarning: number;
}

/** The default thresholds: 1 Gbit/s and 100 Mbit/s; 0.1 % and 1 % loss. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  throughputOk: 1e9,
  throughputWarning: 1e8,
  lossOk: 0.001,
  lossWarning: 0.01,
};

/**
 * The status of a throughput figure.
 *
 * @example
 * ```ts
 * import { throughputStatus } from "./palette.ts";
 * if (throughputStatus(5e8).level !== "warning") throw new Error();
 * ```
 */
export function throughputStatus(
  bps: number | null | undefined,
  t: Thresholds = DEFAULT_THRESHOLDS,
): Status {
  if (bps === null || bps === undefined) return STATUS.none;
  return bps >= t.throughputOk
    ? STATUS.ok
    : bps >= t.throughputWarning
    ? STATUS.warning
    : STATUS.critical;
}

/**
 * The status of a loss fraction.
 *
 * @example
 * ```ts
 * import { lossStatus } from "./palette.ts";
 * if (lossStatus(0).level !== "ok" || lossStatus(0.05).level !== "critical") throw new Error();
 * ```
 */
export function lossStatus(
  fraction: number | null | undefined,
  t: Thresholds = DEFAULT_THRESHOLDS,
): Status {
  if (fraction === null || fraction === undefined) return STATUS.none;
  return fraction <= t.lossOk
    ? STATUS.ok
    : fraction <= t.lossWarning
    ? STATUS.warning
    : STATUS.critical;
}
