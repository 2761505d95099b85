/**
 * Archive URL handling: what users paste into `--url` and how the archive root is built.
 *
 * @module
 */
import { ArchiveValidationError } from "./errors.ts";

const ARCHIVE_SUFFIX = /\/esmond\/perfsonar\/archive\/*$|\/perfsonar\/archive\/*$/;

/**
 * Trims a pasted `/esmond/perfsonar/archive[/]` (or `/perfsonar/archive[/]`) suffix and
 * trailing slashes, so `http://h/esmond/perfsonar/archive/` and `http://h/` both give `http://h`.
 * Throws {@linkcode ArchiveValidationError} (field `url`) for anything but http(s) URLs.
 *
 * @example
 * ```ts
 * import { normalizeArchiveUrl } from "./url.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(normalizeArchiveUrl("https://ps.example.net:8443/esmond/perfsonar/archive/"), "https://ps.example.net:8443");
 * ```
 */
export function normalizeArchiveUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new ArchiveValidationError("url", `not a valid URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ArchiveValidationError("url", `must start with http:// or https://: ${url}`);
  }
  // The query and fragment never belong to the archive root.
  let base = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  base = base.replace(/\/+$/, "");
  base = base.replace(ARCHIVE_SUFFIX, "");
  return base.replace(/\/+$/, "");
}

/**
 * Normalises a script alias: `"/esmond"`, `"esmond"` and `"esmond/"` all give `"/esmond"`;
 * `null`, `""` and `"/"` give `""` (no alias).
 *
 * @example
 * ```ts
 * import { normalizeScriptAlias } from "./url.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(normalizeScriptAlias("esmond/"), "/esmond");
 * assert.deepEqual(normalizeScriptAlias(null), "");
 * ```
 */
export function normalizeScriptAlias(alias: string | null | undefined): string {
  if (alias === undefined) return "/esmond";
  if (alias === null) return "";
  const inner = alias.replace(/^\/+|\/+$/g, "");
  return inner ? `/${inner}` : "";
}

/**
 * The absolute URL of the metadata collection, `…/esmond/perfsonar/archive/`.
 *
 * @example
 * ```ts
 * import { archiveRootUrl } from "./url.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(archiveRootUrl("http://h:8080/", "/esmond"), "http://h:8080/esmond/perfsonar/archive/");
 * assert.deepEqual(archiveRootUrl("http://h", null), "http://h/perfsonar/archive/");
 * ```
 */
export function archiveRootUrl(url: string, scriptAlias?: string | null): string {
  return `${normalizeArchiveUrl(url)}${normalizeScriptAlias(scriptAlias)}/perfsonar/archive/`;
}

/** Options of {@linkcode resolveArchiveUri}. */
export interface ResolveArchiveUriOptions {
  /**
   * Follow an absolute URI that names another origin as it is (default `false`: only its path
   * is used, on the archive's own origin, so a hostile archive cannot send the client — and
   * its credentials — to another host).
   */
  readonly allowOtherOrigin?: boolean;
}

/**
 * Resolves a URI the archive returned (`/esmond/perfsonar/archive/<key>/throughput/base`)
 * against the archive's origin, the way the original clients append it to the bare `--url`.
 * An absolute URL on the archive's origin is kept; one on another origin keeps only its path
 * unless `allowOtherOrigin` is set.
 *
 * @example
 * ```ts
 * import { resolveArchiveUri } from "./url.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(
 *   resolveArchiveUri("http://h:8080", "/esmond/perfsonar/archive/k/"),
 *   "http://h:8080/esmond/perfsonar/archive/k/",
 * );
 * strictEqual(
 *   resolveArchiveUri("http://h:8080", "http://other.example/esmond/perfsonar/archive/k/"),
 *   "http://h:8080/esmond/perfsonar/archive/k/",
 * );
 * ```
 */
export function resolveArchiveUri(
  url: string,
  uri: string,
  options: ResolveArchiveUriOptions = {},
): string {
  if (/^https?:\/\//i.test(uri)) {
    const target = new URL(uri);
    if (options.allowOtherOrigin || target.origin === new URL(normalizeArchiveUrl(url)).origin) {
      return uri;
    }
    uri = `${target.pathname}${target.search}`;
  }
  const base = normalizeArchiveUrl(url);
  const path = uri.startsWith("/") ? uri : `/${uri}`;
  const prefix = new URL(base).pathname.replace(/\/+$/, "");
  // The server already puts its mount prefix into every URI; only a prefix it cannot know
  // about (one a reverse proxy strips) has to be added back.
  if (prefix && (path === prefix || path.startsWith(`${prefix}/`))) {
    return `${new URL(base).origin}${path}`;
  }
  return `${base}${path}`;
}
