/**
 * The pair view: source/destination and range pickers, the four charts stacked on one time
 * axis with both directions overlaid, and the traceroute panel.
 *
 * @module
 */
/// <reference lib="dom" />
import type { EsmondApi, Measurement } from "./api.ts";
import { drawChart, type DrawnChart } from "./chart.ts";
import { CHART_KINDS } from "./chart_kinds.ts";
import { h } from "./dom.ts";
import { utcText } from "./format.ts";
import { hostsOf, pairHref } from "./grid_view.ts";
import { loadChart, type Range } from "./load_series.ts";
import { renderTrace } from "./trace_view.ts";

/** The ranges offered, in seconds. */
export const RANGES: Record<string, number> = { day: 86400, week: 7 * 86400, month: 30 * 86400 };

/** What the pair view shows, as read from the location hash. */
export interface PairState {
  /** Source address. */
  readonly src: string;
  /** Destination address. */
  readonly dst: string;
  /** `day`, `week`, `month` or `custom`. */
  readonly range: string;
  /** Custom start (UNIX seconds). */
  readonly start?: number;
  /** Custom end (UNIX seconds). */
  readonly end?: number;
}

/**
 * The time range of a state at `now`.
 *
 * @example
 * ```ts
 * import { rangeOf } from "./pair_view.ts";
 * const r = rangeOf({ src: "a", dst: "b", range: "day" }, 86400);
 * if (r.start !== 0 || r.end !== 86400) throw new Error();
 * ```
 */
export function rangeOf(state: PairState, now: number): Range {
  if (state.range === "custom" && state.start !== undefined && state.end !== undefined) {
    return { start: state.start, end: Math.max(state.end, state.start + 60) };
  }
  return { start: now - (RANGES[state.range] ?? RANGES.week), end: now };
}

function hashOf(state: PairState): string {
  const params = new URLSearchParams({ src: state.src, dst: state.dst, range: state.range });
  if (state.range === "custom") {
    params.set("start", String(state.start ?? 0));
    params.set("end", String(state.end ?? 0));
  }
  return `#/pair?${params}`;
}

const toInput = (ts: number) => new Date(ts * 1000).toISOString().slice(0, 16);
const fromInput = (text: string) => Math.floor(Date.parse(`${text}:00Z`) / 1000);

let drawn: DrawnChart[] = [];
let controller: AbortController | undefined;

/**
 * Renders the pair view for `state` into `host`.
 *
 * @example
 * ```ts ignore
 * await renderPair(main, api, measurements, { src, dst, range: "week" });
 * ```
 */
export async function renderPair(
  host: HTMLElement,
  api: EsmondApi,
  measurements: readonly Measurement[],
  state: PairState,
  now = Math.floor(Date.now() / 1000),
): Promise<void> {
  controller?.abort();
  controller = new AbortController();
  const signal = controller.signal;
  for (const chart of drawn) chart.destroy();
  drawn = [];
  const range = rangeOf(state, now);
  const { sources, destinations } = hostsOf(measurements);
  const hosts = [...new Map([...sources, ...destinations].map((x) => [x.ip, x])).values()];
  const go = (next: Partial<PairState>) => {
    location.hash = hashOf({ ...state, ...next });
  };
  const hostSelect = (id: string, label: string, value: string, key: "src" | "dst") =>
    h(
      "label",
      {},
      `${label} `,
      h(
        "select",
        { id, onchange: (e: Event) => go({ [key]: (e.target as HTMLSelectElement).value }) },
        ...hosts.map((x) =>
          h("option", { value: x.ip, selected: x.ip === value }, `${x.name} (${x.ip})`)
        ),
      ),
    );
  const rangeButtons = h(
    "div",
    { role: "group", "aria-label": "time range", class: "ranges" },
    ...[...Object.keys(RANGES), "custom"].map((name) =>
      h("button", {
        type: "button",
        id: `range-${name}`,
        "aria-pressed": String(state.range === name),
        onclick: () =>
          name === "custom"
            ? go({ range: "custom", start: range.start, end: range.end })
            : go({ range: name }),
      }, name === "day" ? "last day" : name === "custom" ? "custom…" : `last ${name}`)
    ),
  );
  const custom = state.range === "custom"
    ? h(
      "form",
      {
        class: "custom",
        onsubmit: (e: Event) => {
          e.preventDefault();
          const form = e.target as HTMLFormElement;
          const start = fromInput((form.elements.namedItem("start") as HTMLInputElement).value);
          const end = fromInput((form.elements.namedItem("end") as HTMLInputElement).value);
          if (Number.isFinite(start) && Number.isFinite(end) && end > start) {
            go({ range: "custom", start, end });
          }
        },
      },
      h(
        "label",
        {},
        "from (UTC) ",
        h("input", { type: "datetime-local", name: "start", value: toInput(range.start) }),
      ),
      h(
        "label",
        {},
        " to (UTC) ",
        h("input", { type: "datetime-local", name: "end", value: toInput(range.end) }),
      ),
      h("button", { type: "submit" }, "show"),
    )
    : null;
  const swap = h(
    "a",
    { href: pairHref(state.dst, state.src, state.range), class: "swap" },
    "⇄ swap",
  );
  const forward = measurements.filter((m) => m.source === state.src && m.destination === state.dst);
  const reverse = measurements.filter((m) => m.source === state.dst && m.destination === state.src);
  const name = (ip: string) => hosts.find((x) => x.ip === ip)?.name ?? ip;
  const sections = CHART_KINDS.map((kind) => {
    const status = h("p", { class: "status", "aria-live": "polite" }, "loading…");
    const plotHost = h("div", {
      class: "plot",
      role: "img",
      "aria-label": `${kind.title} chart; x axis: time (UTC); y axis: ${kind.axis}${
        kind.axis2 ? `; right y axis: ${kind.axis2}` : ""
      }`,
    });
    const section = h(
      "section",
      { class: "chart", id: `chart-${kind.id}`, "data-state": "loading" },
      h("h3", {}, kind.title),
      status,
      plotHost,
    );
    return { kind, section, status, plotHost };
  });
  const traceForward = h("div", { class: "trace", id: "trace-forward" }, "loading…");
  const traceReverse = h("div", { class: "trace", id: "trace-reverse" }, "loading…");
  host.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← grid")),
    h("h2", {}, `${name(state.src)} ⇄ ${name(state.dst)}`),
    h(
      "div",
      { class: "pickers" },
      hostSelect("src", "source", state.src, "src"),
      hostSelect("dst", "destination", state.dst, "dst"),
      swap,
    ),
    rangeButtons,
    custom ?? "",
    h(
      "p",
      { class: "range-text" },
      `${utcText(range.start)} – ${utcText(range.end)}. Solid blue: ${name(state.src)} → ${
        name(state.dst)
      }; orange: the reverse. Thin dotted lines: minimum and maximum. Dashes tell tools apart.`,
    ),
    ...sections.map((s) => s.section),
    h(
      "section",
      { class: "traceroute", id: "traceroute" },
      h("h3", {}, "Traceroute"),
      h("h4", {}, `${name(state.src)} → ${name(state.dst)}`),
      traceForward,
      h("h4", {}, `${name(state.dst)} → ${name(state.src)}`),
      traceReverse,
    ),
  );
  const charts = sections.map(async ({ kind, section, status, plotHost }) => {
    try {
      const series = await loadChart(api, kind, { forward, reverse }, range, signal);
      if (signal.aborted) return;
      if (series.length === 0) {
        status.textContent = "No measurements of this kind for the pair in this range.";
        section.dataset.state = "empty";
        section.dataset.points = "{}";
        return;
      }
      const counts: Record<string, number> = {};
      const summaries: Record<string, string> = {};
      for (const s of series) {
        counts[s.label] = s.values.filter((v) => v !== null).length;
        summaries[s.label] = s.summary;
      }
      const used = [...new Set(series.map((s) => s.summary))].join(", ");
      const truncated = series.some((s) => s.truncated) ? " (cut at the point budget)" : "";
      status.textContent = `Series read: ${used}${truncated}. Arrow keys move the cursor.`;
      drawn.push(drawChart(plotHost, kind, series, range));
      section.dataset.points = JSON.stringify(counts);
      section.dataset.summary = JSON.stringify(summaries);
      section.dataset.state = "drawn";
      if (performance.getEntriesByName("first-chart").length === 0) {
        performance.mark("first-chart");
      }
    } catch (error) {
      if (signal.aborted) return;
      status.textContent = `Could not load: ${(error as Error).message}`;
      section.dataset.state = "error";
    }
  });
  const traces = [
    renderTrace(traceForward, api, forward, range, signal),
    renderTrace(traceReverse, api, reverse, range, signal),
  ].map((p) => p.catch(() => undefined));
  await Promise.all([...charts, ...traces]);
}
