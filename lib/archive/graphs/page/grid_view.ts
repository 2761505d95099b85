/**
 * The MaDDash-like grid: one row per source, one column per destination, each measured cell
 * showing the latest throughput and loss coloured by thresholds (with a text mark, not colour
 * alone) and linking to the pair's charts. Arrow keys move between cells.
 *
 * @module
 */
/// <reference lib="dom" />
import type { EsmondApi, Measurement } from "./api.ts";
import { h } from "./dom.ts";
import { percent, si, utcText } from "./format.ts";
import { DEFAULT_THRESHOLDS, lossStatus, throughputStatus } from "./palette.ts";
import { numericValue } from "./series_values.ts";

/** A host as the grid labels it. */
export interface Host {
  /** Address (the key the API filters on). */
  readonly ip: string;
  /** Name the tests gave it. */
  readonly name: string;
}

/**
 * The hosts of point-to-point measurements, sources and destinations, by name.
 *
 * @example
 * ```ts ignore
 * const { sources, destinations } = hostsOf(measurements);
 * ```
 */
export function hostsOf(measurements: readonly Measurement[]): {
  sources: Host[];
  destinations: Host[];
} {
  const sources = new Map<string, string>();
  const destinations = new Map<string, string>();
  for (const m of measurements) {
    if (m.destination === "") continue;
    sources.set(m.source, m.sourceName);
    destinations.set(m.destination, m.destinationName);
  }
  const sorted = (map: Map<string, string>) =>
    [...map.entries()].map(([ip, name]) => ({ ip, name })).sort((a, b) =>
      a.name.localeCompare(b.name)
    );
  return { sources: sorted(sources), destinations: sorted(destinations) };
}

/** Where the latest value of an event type is looked for, nearest first (seconds back). */
const LOOK_BACK = [3600, 86400, 7 * 86400, 31 * 86400];

async function latest(
  api: EsmondApi,
  measurements: readonly Measurement[],
  eventType: string,
  now: number,
): Promise<{ ts: number; value: number } | undefined> {
  let best: { ts: number; value: number } | undefined;
  await Promise.all(measurements.map(async (m) => {
    const entry = m.eventTypes.find((e) => e.eventType === eventType);
    if (!entry) return;
    for (const back of LOOK_BACK) {
      const points = await api.points(entry.baseUri, now - back, now + 60, 100_000);
      const numeric = points.map((p) => ({ ts: p.ts, value: numericValue(p.val) })).filter((
        p,
      ): p is { ts: number; value: number } => p.value !== null);
      const last = numeric[numeric.length - 1];
      if (last) {
        if (!best || last.ts > best.ts) best = last;
        return;
      }
    }
  }));
  return best;
}

/**
 * The link of a pair's charts.
 *
 * @example
 * ```ts
 * import { pairHref } from "./grid_view.ts";
 * if (pairHref("a", "b") !== "#/pair?src=a&dst=b&range=day") throw new Error();
 * ```
 */
export function pairHref(src: string, dst: string, range = "day"): string {
  return `#/pair?${new URLSearchParams({ src, dst, range })}`;
}

// Arrow keys: along a row to the next measured cell; up/down to the next row with one, in
// the same column or the nearest one (grids are sparse).
function moveFocus(table: HTMLTableElement, event: KeyboardEvent): void {
  const cell = (event.target as HTMLElement).closest("td");
  if (!cell) return;
  const moves: Record<string, [number, number]> = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
  };
  const move = moves[event.key];
  if (!move) return;
  event.preventDefault();
  const rows = table.tBodies[0].rows;
  const linkAt = (r: number, c: number) => rows[r]?.cells[c]?.querySelector("a") ?? null;
  const row = cell.parentElement as HTMLTableRowElement;
  let r = row.sectionRowIndex;
  let c = cell.cellIndex;
  if (move[0] === 0) {
    for (c += move[1]; c >= 1 && c < row.cells.length; c += move[1]) {
      const target = linkAt(r, c);
      if (target) return target.focus();
    }
    return;
  }
  for (r += move[0]; r >= 0 && r < rows.length; r += move[0]) {
    for (let d = 0; d < rows[r].cells.length; d++) {
      const target = linkAt(r, c - d) ?? linkAt(r, c + d);
      if (target && (c - d >= 1 || c + d < rows[r].cells.length)) return target.focus();
    }
  }
}

/**
 * Renders the grid into `host`; cells fill in as their latest values arrive.
 *
 * @example
 * ```ts ignore
 * await renderGrid(document.querySelector("main")!, api, measurements);
 * ```
 */
export async function renderGrid(
  host: HTMLElement,
  api: EsmondApi,
  measurements: readonly Measurement[],
  now = Math.floor(Date.now() / 1000),
): Promise<void> {
  const { sources, destinations } = hostsOf(measurements);
  const t = DEFAULT_THRESHOLDS;
  const legend = h(
    "p",
    { class: "legend" },
    `Latest throughput (✓ ≥ ${si(t.throughputOk, "bit/s")}, ! ≥ ${
      si(t.throughputWarning, "bit/s")
    }, ✗ below) and one-way packet loss (✓ ≤ ${percent(t.lossOk)}, ! ≤ ${
      percent(t.lossWarning)
    }, ✗ above); ? no data. Arrow keys move between cells, Enter opens the charts.`,
  );
  const table = h("table", { class: "grid", id: "grid" }) as HTMLTableElement;
  table.append(
    h("caption", {}, "Every measured pair: rows are sources, columns destinations"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "source \\ destination"),
        ...destinations.map((d) => h("th", { scope: "col", title: d.ip }, d.name)),
      ),
    ),
  );
  const body = h("tbody");
  const loads: Promise<void>[] = [];
  for (const s of sources) {
    const row = h("tr", {}, h("th", { scope: "row", title: s.ip }, s.name));
    for (const d of destinations) {
      const pair = measurements.filter((m) => m.source === s.ip && m.destination === d.ip);
      if (s.ip === d.ip || pair.length === 0) {
        row.append(h("td", { class: "empty" }, ""));
        continue;
      }
      const bw = h("span", { class: "half bw" }, "…");
      const loss = h("span", { class: "half loss" }, "…");
      const link = h(
        "a",
        {
          href: pairHref(s.ip, d.ip),
          "data-src": s.ip,
          "data-dst": d.ip,
          "aria-label": `${s.name} to ${d.name}`,
        },
        bw,
        loss,
      );
      row.append(h("td", { class: "cell" }, link));
      loads.push((async () => {
        const [tp, lr] = await Promise.all([
          latest(api, pair, "throughput", now),
          latest(api, pair, "packet-loss-rate", now),
        ]);
        const tps = throughputStatus(tp?.value);
        const ls = lossStatus(lr?.value);
        bw.textContent = `${tps.mark} ${si(tp?.value, "bit/s")}`;
        bw.style.background = tps.colour;
        bw.dataset.level = tps.level;
        if (tp) bw.title = `throughput at ${utcText(tp.ts)}`;
        loss.textContent = `${ls.mark} ${percent(lr?.value)} loss`;
        loss.style.background = ls.colour;
        loss.dataset.level = ls.level;
        if (lr) loss.title = `loss at ${utcText(lr.ts)}`;
        link.setAttribute(
          "aria-label",
          `${s.name} to ${d.name}: ${bw.textContent}, ${loss.textContent}`,
        );
      })());
    }
    body.append(row);
  }
  table.append(body);
  table.addEventListener("keydown", (e) => moveFocus(table, e));
  host.replaceChildren(h("h2", {}, "Grid"), legend, table);
  await Promise.all(loads);
  table.dataset.ready = "true";
}
