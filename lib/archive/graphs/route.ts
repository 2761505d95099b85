/**
 * The archive's static route for the graphs page: `/graphs/` (the page), `/graphs/graphs.js`
 * and `/graphs/graphs.css`, served from the bundled strings, so the page needs no CDN and
 * works from a compiled binary offline.
 *
 * @module
 */
import { GRAPHS_CSS, GRAPHS_HTML, GRAPHS_JS } from "./page_bundle.ts";

/** The path the page is served under. */
export const GRAPHS_PATH = "/graphs/";

// Scripts only from the archive itself; the page may read another archive (connect-src).
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; connect-src 'self' http: https:; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** Options of {@linkcode graphsResponse}. */
export interface GraphsOptions {
  /** Path of the archive listing the page reads, e.g. `/esmond/perfsonar/archive/`. */
  readonly archivePath: string;
}

/**
 * The response for a request under `/graphs`, or undefined when the path is not the page's.
 *
 * @example
 * ```ts
 * import { graphsResponse } from "./route.ts";
 * const page = graphsResponse(new URL("http://127.0.0.1/graphs/"), "GET", {
 *   archivePath: "/esmond/perfsonar/archive/",
 * });
 * if (page?.headers.get("content-type") !== "text/html; charset=utf-8") throw new Error();
 * ```
 */
export function graphsResponse(
  url: URL,
  method: string,
  options: GraphsOptions,
): Response | undefined {
  const path = url.pathname;
  if (path !== "/graphs" && !path.startsWith(GRAPHS_PATH)) return undefined;
  if (path === "/graphs") {
    return new Response(null, {
      status: 301,
      headers: { location: `${GRAPHS_PATH}${url.search}` },
    });
  }
  if (method !== "GET" && method !== "HEAD") {
    return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
  }
  const common = { "x-content-type-options": "nosniff", "content-security-policy": CSP };
  const rest = path.slice(GRAPHS_PATH.length);
  if (rest === "" || rest === "index.html") {
    const html = GRAPHS_HTML.replaceAll("%ARCHIVE%", escapeAttribute(options.archivePath));
    return new Response(html, {
      headers: {
        ...common,
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
      },
    });
  }
  const asset = rest === "graphs.js"
    ? { body: GRAPHS_JS, type: "text/javascript; charset=utf-8" }
    : rest === "graphs.css"
    ? { body: GRAPHS_CSS, type: "text/css; charset=utf-8" }
    : undefined;
  if (!asset) {
    return new Response("not found\n", {
      status: 404,
      headers: { ...common, "content-type": "text/plain; charset=utf-8" },
    });
  }
  return new Response(asset.body, {
    headers: { ...common, "content-type": asset.type, "cache-control": "no-cache" },
  });
}
