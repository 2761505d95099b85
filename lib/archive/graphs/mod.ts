/**
 * The graphs page of `esmond-ps-archive`: a static route serving a bundled page that draws an
 * archive's throughput, latency, loss, RTT and traceroute data through the esmond REST API.
 * The page's browser sources are in `page/`; `deno task build-graphs` bundles them.
 *
 * @example
 * ```ts
 * import { graphsResponse } from "./mod.ts";
 * const r = graphsResponse(new URL("http://h/graphs/graphs.js"), "GET", { archivePath: "/" });
 * if (r?.status !== 200) throw new Error();
 * ```
 *
 * @module
 */
export { GRAPHS_PATH, type GraphsOptions, graphsResponse } from "./route.ts";
