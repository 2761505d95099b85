/**
 * Connecting to an OpenSearch cluster with the official client: URL (with an optional path
 * prefix, e.g. `https://host/opensearch` behind Apache), basic auth, API key, client
 * certificate, CA file; TLS is verified unless `insecure` is set.
 *
 * @module
 */
import { Client } from "@opensearch-project/opensearch";

/** How to reach and authenticate to the cluster. */
export interface OpenSearchConnectionOptions {
  /** `http(s)://host[:port][/prefix]`; user info in the URL is used as basic auth. */
  readonly url: string;
  /** Basic-auth user (overrides the URL's). */
  readonly username?: string;
  /** Basic-auth password. */
  readonly password?: string;
  /** API key, sent as `Authorization: ApiKey <key>`. */
  readonly apiKey?: string;
  /** PEM client certificate file. */
  readonly certFile?: string;
  /** PEM key of the client certificate. */
  readonly keyFile?: string;
  /** PEM CA bundle to verify the server with. */
  readonly caFile?: string;
  /** Skip TLS verification (default false: verified). */
  readonly insecure?: boolean;
  /** Request timeout in milliseconds (default 30000). */
  readonly timeoutMs?: number;
}

/**
 * The URL without user info, for messages.
 *
 * @example
 * ```ts
 * import { shownUrl } from "./connection.ts";
 * import { strictEqual } from "node:assert/strict";
 * strictEqual(shownUrl("https://u:p@h:9200/os"), "https://h:9200/os");
 * ```
 */
export function shownUrl(url: string): string {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  return u.href.replace(/\/$/, "");
}

/**
 * A client for `options` (no request is made yet).
 *
 * @example
 * ```ts
 * import { openSearchClient } from "./connection.ts";
 * const client = openSearchClient({ url: "http://127.0.0.1:9200" });
 * await client.close();
 * ```
 */
export function openSearchClient(options: OpenSearchConnectionOptions): Client {
  const url = new URL(options.url);
  const username = options.username ?? (url.username ? decodeURIComponent(url.username) : "");
  const password = options.password ?? decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  const headers: Record<string, string> = {};
  if (options.apiKey) headers.authorization = `ApiKey ${options.apiKey}`;
  const ssl: Record<string, unknown> = { rejectUnauthorized: !options.insecure };
  if (options.caFile) ssl.ca = Deno.readTextFileSync(options.caFile);
  if (options.certFile) ssl.cert = Deno.readTextFileSync(options.certFile);
  if (options.keyFile) ssl.key = Deno.readTextFileSync(options.keyFile);
  return new Client({
    node: url.href.replace(/\/$/, ""),
    auth: username && !options.apiKey ? { username, password } : undefined,
    headers,
    ssl: url.protocol === "https:" ? ssl : undefined,
    requestTimeout: options.timeoutMs ?? 30_000,
    maxRetries: 2,
  });
}
