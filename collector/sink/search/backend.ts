/**
 * One interface over the two search clients: `@elastic/elasticsearch` 7.17 for Elasticsearch
 * 7.10–7.17 and `@opensearch-project/opensearch` for OpenSearch 1.x/2.x (the Elastic client
 * refuses OpenSearch servers). Several `-s` servers form one connection pool: a node that stops
 * answering is marked dead and the request moves on to the next one (failover).
 *
 * @module
 */
import { Client as ElasticClient } from "@elastic/elasticsearch";
import { Client as OpenSearchClient } from "@opensearch-project/opensearch";
import { Buffer } from "node:buffer";

/** Which client talks to the cluster. */
export type BackendKind = "elasticsearch" | "opensearch";

/** Credentials: basic auth or an Elasticsearch/OpenSearch API key. */
export type Credentials =
  | { readonly username: string; readonly password: string }
  | { readonly apiKey: string };

/** How to reach the cluster. */
export interface ConnectionOptions {
  /** Server URLs (`-s`, repeatable). */
  readonly servers: readonly string[];
  /** Skip TLS certificate verification (`-i/--insecure`). */
  readonly insecure?: boolean;
  /** PEM text of extra CA certificates to trust. */
  readonly ca?: string;
  /** Credentials, if the cluster needs them. */
  readonly credentials?: Credentials;
  /** Per-request timeout for bulk and template requests (ms, default 30 000). */
  readonly requestTimeoutMs?: number;
}

/** The `_bulk` answer fields the sink reads. */
export interface BulkAnswer {
  readonly errors?: boolean;
  readonly items?: readonly Record<string, { status?: number; error?: unknown }>[];
}

/** A search client reduced to what the sink and the lookup use. */
export interface SearchBackend {
  /** The client family in use. */
  readonly kind: BackendKind;
  /** Sends a `_bulk` request (NDJSON body, as text or UTF-8 bytes). */
  bulk(ndjson: string | Uint8Array): Promise<BulkAnswer>;
  /** Runs a search and returns the hits' `_source`s; `timeoutMs` bounds the whole request. */
  search(
    index: string,
    query: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<Record<string, unknown>[]>;
  /** Installs (or replaces) a composable index template. */
  putIndexTemplate(name: string, body: Record<string, unknown>): Promise<void>;
  /** Releases sockets. */
  close(): Promise<void>;
}

/** What `GET /` said about the server. */
export interface ServerInfo {
  /** The client family that suits it. */
  readonly kind: BackendKind;
  /** `version.number`. */
  readonly version: string;
}

/** The `_bulk` answer fields the sink reads (`filter_path`). */
const BULK_FILTER = "errors,items.*.status,items.*.error";

// The subset of both clients' (structurally identical) APIs used here.
interface ClientLike {
  info(params?: unknown, options?: unknown): Promise<{ body: unknown }>;
  bulk(
    params: { body: string | Buffer; filter_path?: string },
    options?: unknown,
  ): Promise<{ body: unknown }>;
  search(params: Record<string, unknown>, options?: unknown): Promise<{ body: unknown }>;
  indices: {
    putIndexTemplate(params: Record<string, unknown>, options?: unknown): Promise<unknown>;
  };
  close(): Promise<void>;
}

function clientOptions(connection: ConnectionOptions) {
  const credentials = connection.credentials;
  const headers: Record<string, string> = {};
  if (credentials !== undefined && "apiKey" in credentials) {
    headers.authorization = `ApiKey ${credentials.apiKey}`;
  }
  return {
    nodes: [...connection.servers],
    // One try per server, so a dead first server fails over to the next within one request.
    maxRetries: Math.max(1, connection.servers.length),
    requestTimeout: connection.requestTimeoutMs ?? 30_000,
    resurrectStrategy: "ping" as const,
    ssl: {
      rejectUnauthorized: !connection.insecure,
      ...(connection.ca !== undefined ? { ca: connection.ca } : {}),
    },
    headers,
    ...(credentials !== undefined && "username" in credentials
      ? { auth: { username: credentials.username, password: credentials.password } }
      : {}),
  };
}

function newClient(kind: BackendKind, connection: ConnectionOptions): ClientLike {
  const options = clientOptions(connection);
  return (kind === "elasticsearch"
    ? new ElasticClient(options)
    : new OpenSearchClient(options)) as unknown as ClientLike;
}

/**
 * Asks the cluster (`GET /`) whether it is Elasticsearch or OpenSearch. The OpenSearch client
 * is used for the question because it performs no product check of its own.
 *
 * @example
 * ```ts
 * import { detectServer } from "./backend.ts";
 * import assert from "node:assert/strict";
 * // With a cluster: `const { kind, version } = await detectServer({ servers: [url] });`
 * await assert.rejects(detectServer({ servers: ["http://127.0.0.1:9"] })); // nothing listens

 * ```
 */
export async function detectServer(connection: ConnectionOptions): Promise<ServerInfo> {
  const client = newClient("opensearch", { ...connection, requestTimeoutMs: 10_000 });
  try {
    const { body } = await client.info();
    const version = (body as { version?: { number?: string; distribution?: string } }).version;
    const kind: BackendKind = version?.distribution === "opensearch"
      ? "opensearch"
      : "elasticsearch";
    return { kind, version: version?.number ?? "unknown" };
  } finally {
    await client.close();
  }
}

/**
 * A backend of the given kind over the given servers.
 *
 * @example
 * ```ts
 * import { createBackend } from "./backend.ts";
 * const backend = createBackend("opensearch", { servers: ["http://127.0.0.1:9200"] });
 * await backend.close();
 * ```
 */
export function createBackend(kind: BackendKind, connection: ConnectionOptions): SearchBackend {
  const client = newClient(kind, connection);
  return {
    kind,
    async bulk(ndjson) {
      // Only what the sink reads comes back: the full answer (index, id, version, shards, …
      // per item) is several times larger and costs the collector parsing.
      // Bytes go as a Buffer, which both clients send as they are.
      const payload = typeof ndjson === "string"
        ? ndjson
        : Buffer.from(ndjson.buffer, ndjson.byteOffset, ndjson.byteLength);
      const { body } = await client.bulk({ body: payload, filter_path: BULK_FILTER });
      return body as BulkAnswer;
    },
    async search(index, query, timeoutMs) {
      const { body } = await client.search(
        { index, body: query, ignore_unavailable: true, allow_no_indices: true },
        { requestTimeout: timeoutMs, maxRetries: 0 },
      );
      const hits = (body as { hits?: { hits?: { _source?: Record<string, unknown> }[] } }).hits;
      return (hits?.hits ?? []).flatMap((h) => (h._source ? [h._source] : []));
    },
    async putIndexTemplate(name, body) {
      await client.indices.putIndexTemplate({ name, body });
    },
    close: () => client.close(),
  };
}
