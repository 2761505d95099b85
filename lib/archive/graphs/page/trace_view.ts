/**
 * The traceroute panel of a pair: the runs in the range (marked where the path changed), the
 * hop list of the chosen run, and a list of the path changes.
 *
 * @module
 */
/// <reference lib="dom" />
import type { EsmondApi, Measurement } from "./api.ts";
import { h } from "./dom.ts";
import { utcText, utcWithLocal } from "./format.ts";
import type { Range } from "./load_series.ts";
import { type TraceRun, traceRuns } from "./trace_model.ts";

function hopTable(run: TraceRun): HTMLElement {
  return h(
    "table",
    { class: "hops", id: "hops", "data-ts": run.ts },
    h("caption", {}, `Hops of the run at ${utcText(run.ts)}`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["hop (TTL)", "probe", "address", "RTT (ms)", "MTU (bytes)", "error"].map((t) =>
          h("th", { scope: "col" }, t)
        ),
      ),
    ),
    h(
      "tbody",
      {},
      ...run.hops.map((hop) =>
        h(
          "tr",
          {},
          h("td", {}, hop.ttl),
          h("td", {}, hop.query),
          h("td", { class: "ip" }, hop.ip ?? "*"),
          h("td", {}, hop.rtt ?? "–"),
          h("td", {}, hop.mtu ?? ""),
          h("td", {}, hop.error ?? ""),
        )
      ),
    ),
  );
}

/**
 * Fills `host` with the traceroute panel for the measurements of one direction.
 *
 * @example
 * ```ts ignore
 * await renderTrace(section, api, forward, range);
 * ```
 */
export async function renderTrace(
  host: HTMLElement,
  api: EsmondApi,
  measurements: readonly Measurement[],
  range: Range,
  signal?: AbortSignal,
): Promise<void> {
  const entries = measurements.flatMap((m) =>
    m.eventTypes.filter((e) => e.eventType === "packet-trace")
  );
  if (entries.length === 0) {
    host.replaceChildren(h("p", { class: "status" }, "No traceroute measurements."));
    host.dataset.state = "empty";
    return;
  }
  const points = (await Promise.all(
    entries.map((e) => api.points(e.baseUri, range.start, range.end, 5000, signal)),
  )).flat();
  const runs = traceRuns(points);
  if (runs.length === 0) {
    host.replaceChildren(h("p", { class: "status" }, "No traceroute runs in this range."));
    host.dataset.state = "empty";
    return;
  }
  const changes = runs.filter((r) => r.changed);
  const select = h(
    "select",
    { id: "trace-run", "aria-label": "traceroute run" },
    ...runs.map((run, i) =>
      h(
        "option",
        { value: i, selected: i === runs.length - 1 },
        `${utcText(run.ts)}${run.changed ? " — path changed" : ""}`,
      )
    ),
  ) as HTMLSelectElement;
  const tableHost = h("div", { class: "hop-host" }, hopTable(runs[runs.length - 1]));
  select.addEventListener("change", () => {
    tableHost.replaceChildren(hopTable(runs[Number(select.value)]));
  });
  const changeList = changes.length === 0
    ? h("p", {}, "The path did not change in this range.")
    : h(
      "ol",
      { class: "changes", id: "path-changes" },
      ...changes.map((run) => {
        const i = runs.indexOf(run);
        const link = h("button", {
          type: "button",
          title: utcWithLocal(run.ts),
          onclick: () => {
            select.value = String(i);
            select.dispatchEvent(new Event("change"));
            select.focus();
          },
        }, utcText(run.ts));
        return h("li", {}, link, ` ${runs[i - 1].path} ⟶ ${run.path}`);
      }),
    );
  host.replaceChildren(
    h("label", {}, "Run: ", select),
    tableHost,
    h("h4", {}, `Path changes (${changes.length} of ${runs.length} runs)`),
    changeList,
  );
  host.dataset.state = "drawn";
  host.dataset.runs = String(runs.length);
}
