/**
 * Entry point of the graphs page (bundled by `scripts/build_graphs.ts`): finds the archive,
 * reads every metadata record once, and shows the grid or a pair from the location hash.
 *
 * The archive URL comes from `?archive=URL` in the page address, else from the page's
 * `<meta name="esmond-archive">` the serving archive fills in.
 *
 * @module
 */
/// <reference lib="dom" />
import { EsmondApi, type Measurement } from "./api.ts";
import { h } from "./dom.ts";
import { renderGrid } from "./grid_view.ts";
import { renderPair } from "./pair_view.ts";

function archiveUrl(): string {
  const given = new URLSearchParams(location.search).get("archive");
  const meta = document.querySelector<HTMLMetaElement>('meta[name="esmond-archive"]')?.content;
  return new URL(given ?? meta ?? "/esmond/perfsonar/archive/", location.href).href;
}

async function show(main: HTMLElement, api: EsmondApi, measurements: Measurement[]) {
  const hash = location.hash.replace(/^#/, "");
  const [path, query = ""] = hash.split("?");
  const params = new URLSearchParams(query);
  document.body.dataset.view = path === "/pair" ? "pair" : "grid";
  if (path === "/pair" && params.get("src") && params.get("dst")) {
    const start = params.get("start");
    const end = params.get("end");
    await renderPair(main, api, measurements, {
      src: params.get("src")!,
      dst: params.get("dst")!,
      range: params.get("range") ?? "week",
      start: start ? Number(start) : undefined,
      end: end ? Number(end) : undefined,
    });
    document.title = "esmond graphs: pair";
  } else {
    await renderGrid(main, api, measurements);
    document.title = "esmond graphs";
  }
  main.focus({ preventScroll: true });
}

async function start(): Promise<void> {
  const main = document.querySelector<HTMLElement>("main")!;
  const url = archiveUrl();
  document.querySelector("#archive-url")!.textContent = url;
  const api = new EsmondApi({ archiveUrl: url });
  let measurements: Measurement[];
  try {
    measurements = await api.measurements();
  } catch (error) {
    main.replaceChildren(
      h("p", { class: "error" }, `Cannot read ${url}: ${(error as Error).message}`),
    );
    return;
  }
  addEventListener("hashchange", () => void show(main, api, measurements));
  await show(main, api, measurements);
}

void start();
