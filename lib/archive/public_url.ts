/**
 * The origin put into the archive's answers (`url`, `uri`, `base-uri`, `Location`, paging
 * links): the configured public URL, else the request's `Host` header once it is checked to
 * be a plain `host[:port]` (what esmond's Django `build_absolute_uri` echoes). Pure functions.
 *
 * @module
 */

// A DNS name or IPv4 address, or a bracketed IPv6 address; an optional port.
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * Whether `host` is a plain `host[:port]` fit to be echoed in a URL.
 *
 * @example
 * ```ts
 * import { isPlainHost } from "./public_url.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isPlainHost("ps.example.org:8080"), true);
 * assert.equal(isPlainHost("[::1]:80"), true);
 * assert.equal(isPlainHost('a"b<script>'), false);
 * assert.equal(isPlainHost("[::1"), false);
 * ```
 */
export function isPlainHost(host: string): boolean {
  if (host.length > 260 || !HOST.test(host)) return false;
  const port = /:(\d+)$/.exec(host.startsWith("[") ? host.slice(host.indexOf("]")) : host);
  return port === null || Number(port[1]) <= 65535;
}

/**
 * Checks a `--public-url` value and returns its origin; throws a one-line error otherwise.
 *
 * @example
 * ```ts
 * import { publicOrigin } from "./public_url.ts";
 * import assert from "node:assert/strict";
 * assert.equal(publicOrigin("https://ps.example.org/"), "https://ps.example.org");
 * ```
 */
export function publicOrigin(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new Error(`public URL ${JSON.stringify(publicUrl)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`public URL ${JSON.stringify(publicUrl)} must be http: or https:`);
  }
  return url.origin;
}

/**
 * The origin of `request` for answers: `publicUrl`'s when given, else `http://` and the
 * checked `Host` header, else (no `Host`, HTTP/1.0) the origin Deno gave the request.
 * Undefined when the `Host` header is not a plain `host[:port]` (the caller answers 400).
 *
 * @example
 * ```ts
 * import { requestOrigin } from "./public_url.ts";
 * import assert from "node:assert/strict";
 * const request = new Request("http://x/", { headers: { host: "a<b" } });
 * assert.equal(requestOrigin(request), undefined);
 * assert.equal(requestOrigin(request, "http://ps.example.org:8085"), "http://ps.example.org:8085");
 * ```
 */
export function requestOrigin(request: Request, publicUrl?: string): string | undefined {
  if (publicUrl !== undefined) return publicOrigin(publicUrl);
  const host = request.headers.get("host");
  if (host !== null) return isPlainHost(host) ? `http://${host}` : undefined;
  try {
    return new URL(request.url).origin;
  } catch {
    return undefined;
  }
}
