/**
 * The URL scheme by which the query tools name an OpenSearch cluster instead of an esmond
 * archive: `opensearch+https://host[:port][/prefix]` (or `opensearch+http://…`).
 *
 * @module
 */

/** The scheme prefix. */
export const OPENSEARCH_SCHEME = "opensearch+";

/**
 * The cluster URL named by `url` (`opensearch+https://h/os` → `https://h/os`), or undefined
 * for any other URL.
 *
 * @example
 * ```ts
 * import { openSearchUrl } from "./url_scheme.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(openSearchUrl("opensearch+https://u:p@h:9200/os"), "https://u:p@h:9200/os");
 * strictEqual(openSearchUrl("https://h/esmond"), undefined);
 * ```
 */
export function openSearchUrl(url: string): string | undefined {
  const lower = url.slice(0, OPENSEARCH_SCHEME.length + 8).toLowerCase();
  if (!lower.startsWith(OPENSEARCH_SCHEME)) return undefined;
  const rest = url.slice(OPENSEARCH_SCHEME.length);
  return /^https?:\/\//i.test(rest) ? rest : undefined;
}
